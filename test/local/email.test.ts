import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { beforeAll, describe, expect, it } from 'vitest';
import { wireTasks } from '../../functions/workflow-task/wiring.js';
import { TABLE_NAME } from '../../local/stack.js';
import { sendEmailAction } from '../../shared/actions/email.js';
import { SesMailer } from '../../shared/adapters/aws/ses-mailer.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoNotificationStore } from '../../shared/adapters/dynamodb/notification-store.js';
import { DynamoOrderStore } from '../../shared/adapters/dynamodb/order-store.js';
import { type Mailer, MailRefusedError } from '../../shared/notifications/mailer.js';
import type { Order } from '../../shared/orders/schema.js';
import { eventually } from '../support/eventually.js';
import { sampleOrder, useStack } from '../support/stack.js';

const api = useStack();
const example = JSON.parse(
  readFileSync(new URL('../../examples/review-by-email.workflow.json', import.meta.url), 'utf8'),
);
const run = randomUUID().slice(0, 8);
const reviewers = [`rita-${run}@example.com`, `raj-${run}@example.com`];
let tenant: { apiKey: string; tenantId: string };

interface SentEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text: string; html: string };
}

/** What the local SES server holds, read over its own HTTP API. */
async function sentTo(address: string): Promise<SentEmail[]> {
  const store = (await (await fetch(`${api.stack.filesAndMail.ses.endpoint}/store`)).json()) as {
    emails: SentEmail[];
  };
  return store.emails.filter((email) => email.destination.to.includes(address));
}

beforeAll(async () => {
  tenant = await api.newTenant('Reviewed shop');
  const published = await api.call('/v1/workflow', { method: 'PUT', key: tenant.apiKey, body: example });
  expect(published.status).toBe(201);
  const recipients = await api.call('/v1/notifications/recipients', {
    method: 'PUT',
    key: tenant.apiKey,
    body: { reviewer: reviewers },
  });
  expect(recipients.status).toBe(200);
});

describe('an order entering submitted under the review-by-email example', () => {
  it('emails the reviewer role once, placeholders filled and the customer name escaped in HTML', async () => {
    const customer = { name: `<b>Ada</b> & "Co" ${run}`, email: `ada-${run}@example.com` };
    const created = await api.call('/v1/orders', {
      method: 'POST',
      key: tenant.apiKey,
      body: { ...sampleOrder, customer },
    });
    const orderId = created.body.id as string;
    const moved = await api.call(`/v1/orders/${orderId}/transitions`, {
      method: 'POST',
      key: tenant.apiKey,
      body: { to: 'submitted' },
    });
    expect(moved.status).toBe(200);

    const [email] = await eventually('the reviewers email', async () => {
      const sent = await sentTo(reviewers[0] as string);
      return sent.length ? sent : undefined;
    });
    expect(email?.destination.to).toEqual(reviewers);
    expect(email?.subject).toBe(`Order ${orderId} from ${customer.name} needs review`);
    expect(email?.body.text).toContain(
      `${customer.name} (${customer.email}) submitted order ${orderId}: 2 line(s), 130.00 GBP.`,
    );
    expect(email?.body.text).toContain('It is now in "Submitted for review".');
    expect(email?.body.html).toContain(`&lt;b&gt;Ada&lt;/b&gt; &amp; &quot;Co&quot; ${run}`);
    expect(email?.body.html).not.toContain('<b>Ada</b>');
    expect(email?.body.html).toContain('&quot;Submitted for review&quot;');

    // The action's success is on the order's history, with the mail service's message id.
    const events = await eventually('the action succeeded event', async () => {
      const page = await api.call(`/v1/orders/${orderId}/events?limit=100`, { key: tenant.apiKey });
      const items = page.body.items as { type: string; data: Record<string, unknown> }[];
      return items.some((event) => event.type === 'order.action_succeeded') ? items : undefined;
    });
    expect(events.find((event) => event.type === 'order.action_succeeded')?.data).toMatchObject({
      action: { id: 'ask-reviewers', type: 'email' },
      result: { sent: true, messageId: email?.messageId, recipients: 2 },
    });
    // The customer is not mailed in this stage.
    expect(await sentTo(customer.email)).toEqual([]);

    // Retrying the Task (the same payload again) sends no second email.
    const documents = createDocumentClient({
      tableName: TABLE_NAME,
      endpoint: api.stack.dynamo.endpoint,
      region: 'local',
    });
    const record = await new DynamoOrderStore(documents, TABLE_NAME).get(tenant.tenantId, orderId);
    const ses = new SESv2Client({
      endpoint: api.stack.filesAndMail.ses.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const mailer = new SesMailer(ses, { from: 'orders@orderflow.localhost' });
    const tasks = wireTasks({
      tableName: TABLE_NAME,
      endpoint: api.stack.dynamo.endpoint,
      region: 'local',
      actionSigningKey: 'not-used-by-email-actions',
      mailer,
    });
    const { id, type, to, subject, text } = example.stages[1].onEnter[0];
    const action = { id, type, params: { to, subject, text } };
    const entry = record?.entry as number;
    await tasks.handle({
      kind: 'runActions',
      tenantId: tenant.tenantId,
      orderId,
      stage: 'submitted',
      entry,
      actions: [action],
    });
    expect(await sentTo(reviewers[0] as string)).toHaveLength(1);

    // A run that sent and crashed before recording its success: the action itself runs again.
    const again = await sendEmailAction(
      {
        notifications: new DynamoNotificationStore(documents, TABLE_NAME),
        mailer,
        stageLabel: async () => 'Submitted for review',
      },
      {
        tenantId: tenant.tenantId,
        order: record?.order as Order,
        stage: 'submitted',
        entry,
        action,
        now: new Date(),
      },
    );
    expect(again.result).toEqual({ sent: false, reason: 'already sent for this stage entry' });
    expect(await sentTo(reviewers[0] as string)).toHaveLength(1);
    ses.destroy();
    documents.destroy();
  });
});

describe('a send the mail service did not complete', () => {
  const localSes = () =>
    new SesMailer(
      new SESv2Client({
        endpoint: api.stack.filesAndMail.ses.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      { from: 'orders@orderflow.localhost' },
    );
  const attempt = async (orderId: string, to: string, mailer: Mailer) => {
    const documents = createDocumentClient({
      tableName: TABLE_NAME,
      endpoint: api.stack.dynamo.endpoint,
      region: 'local',
    });
    const order = (await new DynamoOrderStore(documents, TABLE_NAME).get(tenant.tenantId, orderId))
      ?.order as Order;
    const action = {
      id: 'notify-ops',
      type: 'email' as const,
      params: { to: [to], subject: 'Order {{order.id}}', text: 'Hi' },
    };
    return sendEmailAction(
      {
        notifications: new DynamoNotificationStore(documents, TABLE_NAME),
        mailer,
        stageLabel: async () => 'Preliminary',
      },
      { tenantId: tenant.tenantId, order, stage: 'preliminary', entry: 1, action, now: new Date() },
    );
  };
  const newOrder = async () =>
    (await api.call('/v1/orders', { method: 'POST', key: tenant.apiKey, body: sampleOrder })).body
      .id as string;

  it('is sent by the retry when SES refused it, since nothing went out', async () => {
    const orderId = await newOrder();
    const to = `ops-refused-${run}@example.com`;
    const refusing: Mailer = { send: async () => Promise.reject(new MailRefusedError('throttled')) };
    await expect(attempt(orderId, to, refusing)).rejects.toBeInstanceOf(MailRefusedError);
    expect((await attempt(orderId, to, localSes())).result).toMatchObject({ sent: true });
    expect(await sentTo(to)).toHaveLength(1);
  });

  it('is not sent again when it is unknown whether SES sent it', async () => {
    const orderId = await newOrder();
    const to = `ops-unknown-${run}@example.com`;
    const timingOut: Mailer = { send: async () => Promise.reject(new Error('socket hang up')) };
    await expect(attempt(orderId, to, timingOut)).rejects.toThrow('socket hang up');
    expect((await attempt(orderId, to, localSes())).result).toMatchObject({ sent: false });
    expect(await sentTo(to)).toEqual([]);
  });
});

describe('the default workflow', () => {
  it('has no email action', async () => {
    const { body } = await api.call('/v1/workflow');
    const types = (body.stages as { onEnter?: { type: string }[] }[]).flatMap((stage) =>
      (stage.onEnter ?? []).map((action) => action.type),
    );
    expect(types).not.toContain('email');
  });
});

describe('notification recipients', () => {
  it('are read back as stored and need notifications:manage', async () => {
    const read = await api.call('/v1/notifications/recipients', { key: tenant.apiKey });
    expect(read.body).toEqual({ reviewer: reviewers });
    const bad = await api.call('/v1/notifications/recipients', {
      method: 'PUT',
      key: tenant.apiKey,
      body: { Reviewer: ['not-an-address'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.length).toBeGreaterThan(0);
  });
});
