/** One email to a list of recipients, as the `email` action hands it to the mail service. */
export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Lets the mail service's events be traced back to the order (SES message tags). */
  tags: Record<string, string>;
}

/** Sends email (SES v2 on AWS, the local SES server on the local stack). */
export interface Mailer {
  /** Answers the mail service's message id. Throws MailRefusedError when nothing was sent. */
  send(email: OutgoingEmail): Promise<string>;
}

/** The mail service answered and did not accept the message: nothing was sent. */
export class MailRefusedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailRefusedError';
  }
}
