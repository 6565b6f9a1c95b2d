import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RESULT_BYTES } from '../../../shared/actions/http.js';
import { contextFor, freshSku, orderWith, runnerFor } from '../../support/actions.js';
import { useStack } from '../../support/stack.js';

const api = useStack();

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real receiver on 127.0.0.1 whose answer each test sets. */
let server: Server;
let receiverUrl: string;
let received: Received[] = [];
let answer: (response: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/order`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
});

const json = (status: number, body: string) => (response: ServerResponse) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(body);
};

const httpAction = (url: string, params: Record<string, unknown> = {}) =>
  ({ id: 'notify-erp', type: 'http', params: { url, ...params } }) as const;

describe('the http action', () => {
  it('POSTs the order signed with the secret the API hands out and stores the JSON answer', async () => {
    answer = json(200, JSON.stringify({ erpId: 'E-17', accepted: true }));
    const { runner } = runnerFor(api.stack, { allowLocal: true });
    const order = orderWith([{ sku: freshSku(), quantity: 2 }]);

    // Signed at the real time: verifiers refuse timestamps more than five minutes off.
    const outcome = await runner.run(contextFor(order, httpAction(receiverUrl), { now: new Date() }));
    expect(outcome).toEqual({ result: { erpId: 'E-17', accepted: true } });

    const { body: secret } = await api.call('/v1/actions/signing-secret');
    const [delivery] = received;
    const payload = new Webhook(secret.secret).verify(delivery?.body as string, {
      'webhook-id': delivery?.headers['webhook-id'] as string,
      'webhook-timestamp': delivery?.headers['webhook-timestamp'] as string,
      'webhook-signature': delivery?.headers['webhook-signature'] as string,
    });
    expect(payload).toMatchObject({
      type: 'order.action',
      tenantId: 'demo',
      data: { order: { id: order.id }, stage: 'confirmed', action: { id: 'notify-erp', type: 'http' } },
    });
    expect(delivery?.headers['content-type']).toBe('application/json');
  });

  it('keeps the webhook-id per (order, entry, action) so the receiver can drop repeats', async () => {
    answer = json(200, '{}');
    const { runner } = runnerFor(api.stack, { allowLocal: true });
    const order = orderWith([{ sku: freshSku(), quantity: 1 }]);
    await runner.run(contextFor(order, httpAction(receiverUrl)));
    await runner.run(contextFor(order, httpAction(receiverUrl)));
    await runner.run(contextFor(order, httpAction(receiverUrl), { entry: 2 }));
    const ids = received.map((delivery) => delivery.headers['webhook-id']);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('succeeds without a result when the receiver answers 204', async () => {
    answer = (response) => response.writeHead(204).end();
    const { runner } = runnerFor(api.stack, { allowLocal: true });
    const outcome = await runner.run(
      contextFor(orderWith([{ sku: freshSku(), quantity: 1 }]), httpAction(receiverUrl)),
    );
    expect(outcome).toEqual({});
  });

  it('throws on a non-2xx answer and does not follow redirects', async () => {
    const { runner } = runnerFor(api.stack, { allowLocal: true });
    const context = contextFor(orderWith([{ sku: freshSku(), quantity: 1 }]), httpAction(receiverUrl));
    answer = json(500, '{"error":"down"}');
    await expect(runner.run(context)).rejects.toThrow(/answered 500/);
    answer = (response) => response.writeHead(307, { location: 'http://10.0.0.1/' }).end();
    await expect(runner.run(context)).rejects.toThrow(/answered 307.*not followed/);
    expect(received).toHaveLength(2);
  });

  it('accepts a 32 KiB object and throws on a larger one', async () => {
    const { runner } = runnerFor(api.stack, { allowLocal: true });
    const context = contextFor(orderWith([{ sku: freshSku(), quantity: 1 }]), httpAction(receiverUrl));
    const objectOfSize = (bytes: number) => `{"pad":"${'x'.repeat(bytes - '{"pad":""}'.length)}"}`;
    answer = json(200, objectOfSize(MAX_RESULT_BYTES));
    const outcome = await runner.run(context);
    expect(JSON.stringify(outcome.result)).toHaveLength(MAX_RESULT_BYTES);
    answer = json(200, objectOfSize(MAX_RESULT_BYTES + 1));
    await expect(runner.run(context)).rejects.toThrow(/larger than 32768 bytes/);
  });

  it('throws when a 2xx body is not a JSON object', async () => {
    const { runner } = runnerFor(api.stack, { allowLocal: true });
    const context = contextFor(orderWith([{ sku: freshSku(), quantity: 1 }]), httpAction(receiverUrl));
    answer = json(200, '[1,2]');
    await expect(runner.run(context)).rejects.toThrow(/not a JSON object/);
    answer = json(200, 'ok');
    await expect(runner.run(context)).rejects.toThrow(/not JSON/);
  });

  it('throws when the receiver does not answer within timeoutSeconds', async () => {
    answer = () => undefined;
    const { runner } = runnerFor(api.stack, { allowLocal: true });
    const context = contextFor(
      orderWith([{ sku: freshSku(), quantity: 1 }]),
      httpAction(receiverUrl, { timeoutSeconds: 1 }),
    );
    const started = Date.now();
    await expect(runner.run(context)).rejects.toThrow(/no response within 1000 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses private and loopback addresses without sending anything', async () => {
    answer = json(200, '{}');
    const order = orderWith([{ sku: freshSku(), quantity: 1 }]);
    const strict = runnerFor(api.stack).runner;
    await expect(strict.run(contextFor(order, httpAction(receiverUrl)))).rejects.toThrow(/must use https/);
    await expect(strict.run(contextFor(order, httpAction('https://10.1.2.3/hook')))).rejects.toThrow(
      /forbidden range: private/,
    );
    await expect(strict.run(contextFor(order, httpAction('https://169.254.169.254/latest')))).rejects.toThrow(
      /link-local/,
    );
    const local = runnerFor(api.stack, { allowLocal: true }).runner;
    await expect(local.run(contextFor(order, httpAction('http://192.168.1.20/hook')))).rejects.toThrow(
      /only for 127.0.0.1 and localhost/,
    );
    expect(received).toEqual([]);
  });
});
