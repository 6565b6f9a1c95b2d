import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  webhookId: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
  at: number;
  /** Whether standardwebhooks' own verifier accepted the signature with the subscription's secret. */
  verified: boolean;
}

export type Responder = (request: Received, response: ServerResponse, index: number) => void;

export interface Receiver {
  url: string;
  /** Set once the subscription answered it; every delivery is verified with it. */
  secret: string;
  received: Received[];
  respond: Responder;
  /** Most requests it ever had open at once. */
  maxConcurrent: number;
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A real webhook endpoint on 127.0.0.1 that verifies every delivery it gets. */
export async function startReceiver(respond: Responder = (_r, res) => res.writeHead(204).end()) {
  let open = 0;
  const receiver = { secret: '', received: [], respond, maxConcurrent: 0 } as unknown as Receiver;
  const server = createServer((request, response) => {
    open++;
    receiver.maxConcurrent = Math.max(receiver.maxConcurrent, open);
    response.on('close', () => open--);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        new Webhook(receiver.secret).verify(raw, request.headers as Record<string, string>);
        verified = true;
      } catch {}
      const received: Received = {
        webhookId: String(request.headers['webhook-id']),
        headers: request.headers,
        raw,
        body: JSON.parse(raw),
        at: Date.now(),
        verified,
      };
      receiver.received.push(received);
      receiver.respond(received, response, receiver.received.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.waitFor = async (count, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (receiver.received.length < count) {
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} deliveries, got ${receiver.received.length}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return receiver.received;
  };
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
