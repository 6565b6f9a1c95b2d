import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type DeliveryRequest, deliverOnce } from '../../../shared/webhooks/deliver.js';
import { generateWebhookSecret } from '../../../shared/webhooks/signing.js';
import type { HostLookup } from '../../../shared/webhooks/url-safety.js';

interface ReceivedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Responder = (request: ReceivedRequest, response: ServerResponse) => void;

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        }),
    ),
  );
});

/** A real HTTP receiver on 127.0.0.1 that records what it was sent. */
async function startReceiver(respond: Responder) {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received = {
        method: request.method ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(received);
      respond(received, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, url: `http://127.0.0.1:${port}/hooks`, requests };
}

const replyWith =
  (status: number, body = '', headers: Record<string, string> = {}): Responder =>
  (_request, response) => {
    response.writeHead(status, headers).end(body);
  };

const resolvesTo =
  (address: string): HostLookup =>
  async () => [{ address, family: address.includes(':') ? 6 : 4 }];

const secret = generateWebhookSecret();
const envelope = {
  id: 'evt_01J0000000000000000000001',
  type: 'order.shipped',
  tenantId: 'acme',
  timestamp: '2026-11-26T10:00:00.000Z',
  data: { order: { id: 'ord_1' }, sequence: 3 },
};

const attempt = (url: string, overrides: Partial<DeliveryRequest> = {}): DeliveryRequest => ({
  url,
  secret,
  eventId: envelope.id,
  body: JSON.stringify(envelope),
  allowLocal: true,
  now: new Date(),
  ...overrides,
});

describe('deliverOnce', () => {
  it('POSTs the JSON body with Standard Webhooks headers that the receiver verifies', async () => {
    const receiver = await startReceiver((request, response) => {
      const payload = new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
      response.writeHead(200).end(`verified ${(payload as typeof envelope).id}`);
    });

    const result = await deliverOnce(attempt(receiver.url));

    expect(result).toMatchObject({
      outcome: 'delivered',
      statusCode: 200,
      responseBody: `verified ${envelope.id}`,
    });
    expect(result.error).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': envelope.id },
      body: JSON.stringify(envelope),
    });
  });

  it('counts any 2xx as delivered, with or without a body', async () => {
    const receiver = await startReceiver(replyWith(204));
    expect(await deliverOnce(attempt(receiver.url))).toMatchObject({
      outcome: 'delivered',
      statusCode: 204,
      responseBody: '',
    });
  });

  it('asks for a retry when the receiver answers 500, keeping its response body', async () => {
    const receiver = await startReceiver(replyWith(500, 'database down'));
    expect(await deliverOnce(attempt(receiver.url))).toMatchObject({
      outcome: 'retry',
      statusCode: 500,
      responseBody: 'database down',
    });
  });

  it('reports 410 as gone so the caller disables the subscription', async () => {
    const receiver = await startReceiver(replyWith(410, 'unsubscribed'));
    expect(await deliverOnce(attempt(receiver.url))).toMatchObject({ outcome: 'gone', statusCode: 410 });
  });

  it('passes on Retry-After seconds from a 429', async () => {
    const receiver = await startReceiver(replyWith(429, '', { 'retry-after': '30' }));
    expect(await deliverOnce(attempt(receiver.url))).toMatchObject({
      outcome: 'retry',
      statusCode: 429,
      retryAfterSeconds: 30,
    });
  });

  it('turns a Retry-After date on a 503 into seconds from the attempt time', async () => {
    const now = new Date('2026-11-26T10:00:00.000Z');
    const receiver = await startReceiver(
      replyWith(503, '', { 'retry-after': 'Thu, 26 Nov 2026 10:05:00 GMT' }),
    );
    expect(await deliverOnce(attempt(receiver.url, { now }))).toMatchObject({
      outcome: 'retry',
      statusCode: 503,
      retryAfterSeconds: 300,
    });
  });

  it('ignores Retry-After on statuses other than 429 and 503', async () => {
    const receiver = await startReceiver(replyWith(500, '', { 'retry-after': '30' }));
    const result = await deliverOnce(attempt(receiver.url));
    expect(result.outcome).toBe('retry');
    expect(result.retryAfterSeconds).toBeUndefined();
  });

  it('does not follow a redirect, and retries naming where it pointed', async () => {
    const elsewhere = await startReceiver(replyWith(200));
    const receiver = await startReceiver(replyWith(302, '', { location: elsewhere.url }));

    const result = await deliverOnce(attempt(receiver.url));

    expect(result).toMatchObject({
      outcome: 'retry',
      statusCode: 302,
      error: `redirect to ${elsewhere.url} not followed`,
    });
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('keeps only the first KiB of a long response body', async () => {
    const receiver = await startReceiver(replyWith(500, 'x'.repeat(100_000)));
    const result = await deliverOnce(attempt(receiver.url));
    expect(result.responseBody).toBe('x'.repeat(1024));
  });

  it('retries when the receiver does not answer within the timeout', async () => {
    const receiver = await startReceiver(() => {});
    const result = await deliverOnce(attempt(receiver.url, { timeoutMs: 200 }));
    expect(result).toMatchObject({ outcome: 'retry', error: 'no response within 200 ms' });
    expect(result.statusCode).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(190);
    expect(result.durationMs).toBeLessThan(2000);
  });

  it('counts a 2xx as delivered when the body is still streaming at the timeout', async () => {
    const receiver = await startReceiver((_request, response) => {
      response.writeHead(200).write('accepted, ');
    });
    expect(await deliverOnce(attempt(receiver.url, { timeoutMs: 200 }))).toMatchObject({
      outcome: 'delivered',
      statusCode: 200,
      responseBody: 'accepted, ',
    });
  });

  it('includes name resolution in the timeout', async () => {
    const neverResolves: HostLookup = () => new Promise(() => {});
    const result = await deliverOnce(
      attempt('http://localhost:9/hooks', { lookup: neverResolves, timeoutMs: 100 }),
    );
    expect(result).toMatchObject({ outcome: 'retry', error: 'no response within 100 ms' });
  });

  it('retries with the error message when the connection is refused', async () => {
    const closed = await startReceiver(replyWith(200));
    const server = servers.pop();
    await new Promise((resolve) => server?.close(resolve));

    const result = await deliverOnce(attempt(closed.url));

    expect(result.outcome).toBe('retry');
    expect(result.error).toMatch(/ECONNREFUSED/);
  });

  it('retries when the host name does not resolve', async () => {
    const failing: HostLookup = async () => {
      throw new Error('getaddrinfo EAI_AGAIN hooks.example.com');
    };
    expect(await deliverOnce(attempt('https://hooks.example.com/', { lookup: failing }))).toEqual({
      outcome: 'retry',
      durationMs: expect.any(Number),
      responseBody: '',
      error: 'cannot resolve hooks.example.com: getaddrinfo EAI_AGAIN hooks.example.com',
    });
  });

  it('connects to the address it checked and keeps the original Host header', async () => {
    const receiver = await startReceiver(replyWith(200));
    // A second answer would rebind to a private address; it must never be asked for.
    const lookup = vi
      .fn<HostLookup>()
      .mockImplementationOnce(resolvesTo('127.0.0.1'))
      .mockImplementation(resolvesTo('10.0.0.1'));

    const result = await deliverOnce(attempt(`http://localhost:${receiver.port}/hooks`, { lookup }));

    expect(result.outcome).toBe('delivered');
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(receiver.requests[0]?.headers.host).toBe(`localhost:${receiver.port}`);
  });

  it('refuses a public host name that resolves to the receiver on loopback, sending nothing', async () => {
    const receiver = await startReceiver(replyWith(200));
    const result = await deliverOnce(
      attempt(`https://rebound.example.com:${receiver.port}/hooks`, { lookup: resolvesTo('127.0.0.1') }),
    );
    expect(result).toMatchObject({
      outcome: 'refused',
      error: 'rebound.example.com resolves to 127.0.0.1, which is in a forbidden range: loopback',
    });
    expect(result.statusCode).toBeUndefined();
    expect(receiver.requests).toHaveLength(0);
  });

  it.each([
    ['private 10/8', '10.0.0.1'],
    ['private 172.16/12', '172.16.5.4'],
    ['private 192.168/16', '192.168.1.1'],
    ['loopback', '127.0.0.53'],
    ['IPv6 loopback', '::1'],
    ['cloud metadata', '169.254.169.254'],
    ['IPv6 link-local', 'fe80::1'],
    ['carrier-grade NAT', '100.64.0.1'],
    ['this network', '0.0.0.0'],
    ['multicast', '224.0.0.251'],
    ['IPv6 multicast', 'ff02::1'],
    ['broadcast', '255.255.255.255'],
    ['reserved 240/4', '240.0.0.1'],
    ['benchmarking', '198.18.0.1'],
    ['documentation', '203.0.113.10'],
    ['IPv6 documentation', '2001:db8::1'],
    ['unique local', 'fd12:3456::1'],
    ['site-local', 'fec0::1'],
    ['unspecified', '::'],
    ['IPv4-mapped private', '::ffff:192.168.0.1'],
    ['IPv4-mapped metadata in hex', '::ffff:a9fe:a9fe'],
    ['IPv4-compatible private', '::a00:1'],
    ['NAT64 private', '64:ff9b::c0a8:1'],
    ['6to4 private', '2002:a00:1::1'],
  ])('refuses a host name that resolves to a %s address (%s)', async (_name, address) => {
    const result = await deliverOnce(
      attempt('https://hooks.example.com/orders', { allowLocal: false, lookup: resolvesTo(address) }),
    );
    expect(result.outcome).toBe('refused');
    expect(result.error).toContain(`resolves to ${address}, which is in a forbidden range`);
  });

  it('refuses a URL that is not allowed at all, without resolving it', async () => {
    const lookup = vi.fn(resolvesTo('93.184.215.14'));
    const result = await deliverOnce(attempt('http://hooks.example.com/', { allowLocal: false, lookup }));
    expect(result.outcome).toBe('refused');
    expect(lookup).not.toHaveBeenCalled();
  });

  it('refuses to send with a secret that is not usable key material', async () => {
    const receiver = await startReceiver(replyWith(200));
    const result = await deliverOnce(attempt(receiver.url, { secret: 'whsec_' }));
    expect(result).toMatchObject({
      outcome: 'refused',
      error: expect.stringMatching(/^unusable signing secret/),
    });
    expect(receiver.requests).toHaveLength(0);
  });
});
