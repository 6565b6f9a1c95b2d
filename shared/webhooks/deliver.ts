/**
 * One webhook delivery attempt over real HTTP. Scheduling, logging and disabling
 * subscriptions belong to the caller; this only sends, classifies and never throws.
 */

import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import packageJson from '../../package.json' with { type: 'json' };
import { parseRetryAfter } from './retry-schedule.js';
import { signDelivery, type WebhookSignatureHeaders } from './signing.js';
import { type HostLookup, type NonEmptyAddresses, resolveSafeTarget } from './url-safety.js';

/** Names the sender in receivers' logs and firewalls, with the release that sent it. */
export const WEBHOOK_USER_AGENT = `Orderflow-Webhooks/${packageJson.version}`;

/** How much of a response body is kept for the attempt log. */
export const responseBodyLimitBytes = 1024;

export interface DeliveryRequest {
  url: string;
  /** The subscription's `whsec_` secret. */
  secret: string;
  /** During a rotation's overlap, the secret before it: the request is signed under both. */
  previousSecret?: string;
  /** Sent as `webhook-id`; the same for every attempt of an event. */
  eventId: string;
  /** The serialized event envelope, sent and signed byte for byte. */
  body: string;
  allowLocal: boolean;
  lookup?: HostLookup;
  /** The whole attempt (resolution, connection, response status) must fit in this. */
  timeoutMs?: number;
  /** The attempt's time: signed as `webhook-timestamp` and the base for a Retry-After date. */
  now: Date;
  /** How much of the response body to keep; the attempt log's 1 KiB unless the caller needs more. */
  responseBodyLimitBytes?: number;
}

/**
 * - `delivered`: a 2xx status arrived within the timeout.
 * - `retry`: anything else worth trying again per the schedule: other statuses, redirects
 *   (never followed, since the new location was never vetted), timeouts, connection and DNS errors.
 * - `gone`: 410; the receiver asks for the subscription to be disabled.
 * - `refused`: nothing was sent, because the URL is (now) unsafe or the secret is unusable.
 */
export type DeliveryOutcome = 'delivered' | 'retry' | 'gone' | 'refused';

export interface DeliveryResult {
  outcome: DeliveryOutcome;
  statusCode?: number;
  durationMs: number;
  /** The first KiB of the response body, '' when there was none. */
  responseBody: string;
  error?: string;
  /** The receiver's Retry-After on a 429 or 503, in seconds. */
  retryAfterSeconds?: number;
  /** The response body was longer than the limit and was cut there. */
  responseBodyTruncated?: true;
}

interface ReceivedResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: string;
  truncated: boolean;
}

export async function deliverOnce({
  url,
  secret,
  previousSecret,
  eventId,
  body,
  allowLocal,
  lookup,
  timeoutMs = 10_000,
  now,
  responseBodyLimitBytes: bodyLimit = responseBodyLimitBytes,
}: DeliveryRequest): Promise<DeliveryResult> {
  const startedAt = performance.now();
  const finish = (
    result: Omit<DeliveryResult, 'durationMs' | 'responseBody'> & { responseBody?: string },
  ) => ({
    responseBody: '',
    ...result,
    durationMs: Math.round(performance.now() - startedAt),
  });

  let signatureHeaders: WebhookSignatureHeaders;
  try {
    signatureHeaders = signDelivery(
      previousSecret === undefined ? [secret] : [secret, previousSecret],
      eventId,
      now,
      body,
    );
  } catch (error) {
    return finish({ outcome: 'refused', error: `unusable signing secret: ${messageOf(error)}` });
  }

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
  try {
    const target = await Promise.race([
      resolveSafeTarget(url, { allowLocal, lookup }),
      rejectOnAbort(deadline.signal),
    ]);
    if (!target.ok) {
      return finish({
        outcome: target.reason === 'unsafe' ? 'refused' : 'retry',
        error: target.problems.join('; '),
      });
    }
    const response = await post(target.url, target.addresses, deadline.signal, body, bodyLimit, {
      'content-type': 'application/json',
      'user-agent': WEBHOOK_USER_AGENT,
      ...signatureHeaders,
    });
    return finish(classify(response, now));
  } catch (error) {
    const reason = deadline.signal.aborted ? deadline.signal.reason : error;
    return finish({ outcome: 'retry', error: messageOf(reason) });
  } finally {
    clearTimeout(timer);
  }
}

function classify(
  { statusCode, headers, body, truncated }: ReceivedResponse,
  now: Date,
): Omit<DeliveryResult, 'durationMs'> {
  const received = {
    statusCode,
    responseBody: body,
    ...(truncated && { responseBodyTruncated: true as const }),
  };
  if (statusCode >= 200 && statusCode < 300) {
    return { outcome: 'delivered', ...received };
  }
  if (statusCode === 410) {
    return { outcome: 'gone', ...received };
  }
  if (statusCode >= 300 && statusCode < 400) {
    return {
      outcome: 'retry',
      ...received,
      error: `redirect to ${headers.location ?? '(no location)'} not followed`,
    };
  }
  const retryAfterSeconds =
    statusCode === 429 || statusCode === 503 ? parseRetryAfter(headers['retry-after'], now) : undefined;
  return { outcome: 'retry', ...received, ...(retryAfterSeconds !== undefined && { retryAfterSeconds }) };
}

/**
 * POSTs to `url` connecting only to the vetted `addresses`: the custom lookup replaces DNS,
 * while the Host header and TLS server name stay the URL's host. The response counts once
 * its status arrives; its body is read until `bodyLimit` bytes, its end or the deadline.
 */
function post(
  url: URL,
  addresses: NonEmptyAddresses,
  signal: AbortSignal,
  body: string,
  bodyLimit: number,
  headers: Record<string, string>,
): Promise<ReceivedResponse> {
  return new Promise((resolve, reject) => {
    let settleWithResponse: (() => void) | undefined;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(addresses),
        // A pooled keep-alive socket may be connected to an address vetted for an earlier attempt.
        agent: false,
        signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let received = 0;
        const settle = () =>
          resolve({
            statusCode: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).subarray(0, bodyLimit).toString('utf8'),
            truncated: received > bodyLimit,
          });
        settleWithResponse = settle;
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          received += chunk.length;
          if (received > bodyLimit) {
            settle();
            response.destroy();
          }
        });
        response.on('end', settle);
        response.on('close', settle);
        response.on('error', settle);
      },
    );
    // Once the status is in, a later error (deadline, reset) only cuts the body short.
    request.on('error', (error) => (settleWithResponse ? settleWithResponse() : reject(error)));
    request.end(body);
  });
}

/** Answers every lookup with the vetted addresses, whether Node asks for one or for all. */
function pinnedLookup(addresses: NonEmptyAddresses): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) {
      callback(null, [...addresses]);
      return;
    }
    const [first] = addresses;
    callback(null, first.address, first.family);
  };
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
