import { SESv2Client, SESv2ServiceException, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../../../shared/adapters/aws/ses-mailer.js';
import { MailRefusedError } from '../../../../shared/notifications/mailer.js';

const ses = mockClient(SESv2Client);
const mailer = new SesMailer(new SESv2Client({ region: 'eu-west-1' }), {
  from: 'orders@shop.example',
  configurationSetName: 'orderflow-email',
});
const email = {
  to: ['rita@example.com', 'raj@example.com'],
  subject: 'Order ord_1 needs review',
  text: 'Ada & Co',
  html: '<p>Ada &amp; Co</p>',
  tags: { tenant: 'ten_1', order: 'ord_1', action: 'ask.reviewers' },
};

const failure = (name: string, status: number) =>
  new SESv2ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });

beforeEach(() => ses.reset());

describe('the SES mailer', () => {
  it('sends one simple email from the verified identity through the configuration set', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'msg-1' });
    expect(await mailer.send(email)).toBe('msg-1');
    expect(ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input)).toEqual([
      {
        FromEmailAddress: 'orders@shop.example',
        Destination: { ToAddresses: ['rita@example.com', 'raj@example.com'] },
        Content: {
          Simple: {
            Subject: { Data: 'Order ord_1 needs review', Charset: 'UTF-8' },
            Body: {
              Text: { Data: 'Ada & Co', Charset: 'UTF-8' },
              Html: { Data: '<p>Ada &amp; Co</p>', Charset: 'UTF-8' },
            },
          },
        },
        ConfigurationSetName: 'orderflow-email',
        EmailTags: [
          { Name: 'tenant', Value: 'ten_1' },
          { Name: 'order', Value: 'ord_1' },
          { Name: 'action', Value: 'ask_reviewers' },
        ],
      },
    ]);
  });

  it('reports a 4xx answer as a refusal: nothing was sent', async () => {
    ses.on(SendEmailCommand).rejects(failure('MessageRejected', 400));
    await expect(mailer.send(email)).rejects.toBeInstanceOf(MailRefusedError);
    ses.on(SendEmailCommand).rejects(failure('TooManyRequestsException', 429));
    await expect(mailer.send(email)).rejects.toBeInstanceOf(MailRefusedError);
  });

  it('leaves a 5xx answer unknown: the email may have gone out', async () => {
    ses.on(SendEmailCommand).rejects(failure('InternalFailure', 500));
    const error = await mailer.send(email).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(MailRefusedError);
  });

  it('refuses more recipients than SES takes in one message, before calling it', async () => {
    const many = Array.from({ length: 51 }, (_, index) => `r${index}@example.com`);
    await expect(mailer.send({ ...email, to: many })).rejects.toBeInstanceOf(MailRefusedError);
    expect(ses.commandCalls(SendEmailCommand)).toEqual([]);
  });
});
