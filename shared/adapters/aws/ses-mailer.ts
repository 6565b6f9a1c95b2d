import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { type Mailer, MailRefusedError, type OutgoingEmail } from '../../notifications/mailer.js';

/** SES accepts at most 50 recipients per message. */
export const MAX_RECIPIENTS_PER_EMAIL = 50;

export interface SesMailerOptions {
  /** The verified identity mail is sent from (the `SenderAddress` deploy parameter). */
  from: string;
  /** The configuration set whose event destinations record sends, bounces and complaints. */
  configurationSetName?: string;
}

/** Tag values may hold letters, digits, `_` and `-` only. */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || '_';
}

/** Sends through SES v2 (on AWS, and against the local SES server on the local stack). */
export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly options: SesMailerOptions,
  ) {}

  async send(email: OutgoingEmail): Promise<string> {
    if (email.to.length > MAX_RECIPIENTS_PER_EMAIL) {
      throw new MailRefusedError(
        `An email reaches at most ${MAX_RECIPIENTS_PER_EMAIL} addresses, not ${email.to.length}.`,
      );
    }
    try {
      const result = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.options.from,
          Destination: { ToAddresses: email.to },
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: email.text, Charset: 'UTF-8' },
                Html: { Data: email.html, Charset: 'UTF-8' },
              },
            },
          },
          ...(this.options.configurationSetName
            ? { ConfigurationSetName: this.options.configurationSetName }
            : {}),
          EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value: tagValue(Value) })),
        }),
      );
      if (!result.MessageId) throw new Error('SES answered without a message id.');
      return result.MessageId;
    } catch (error) {
      // A 4xx answer (rejected, not verified, throttled, paused) means SES sent nothing. Anything
      // else (a 5xx, a timeout, a dropped connection) may have sent it, and stays unknown.
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== undefined && status >= 400 && status < 500) {
        throw new MailRefusedError(`SES refused the email: ${(error as Error).message}`, { cause: error });
      }
      throw error;
    }
  }
}
