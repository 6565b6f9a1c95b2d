import type * as z from 'zod';
import type { Principal } from '../auth/api-keys.js';
import { problems } from '../problem.js';
import type { PathParams, Route } from './routes.js';

type BodyOf<R> = R extends { body: infer S extends z.ZodType } ? z.output<S> : undefined;
type QueryOf<R> = R extends { query: infer S extends z.ZodType } ? z.output<S> : Record<string, never>;

/** A request after the edge has authenticated it and validated its body and query. */
export interface ApiRequest<R extends Route = Route> {
  route: R;
  /** The route template's parameters: `/v1/orders/{id}` gives `params.id`. */
  params: PathParams<R['path']>;
  query: QueryOf<R>;
  body: BodyOf<R>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  principal: R extends { auth: 'tenant' } ? Principal : undefined;
  idempotency?: { key: string; owner: string };
}

export interface ApiResponse {
  statusCode: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless `headers['content-type']` says otherwise and it is a string. */
  body?: unknown;
  /**
   * The response was stored under the request's Idempotency-Key in the same transaction as
   * the change it answers, so nothing is left to record.
   */
  idempotencyRecorded?: boolean;
}

/** `If-Match: "4"` (or W/"4") as the version number it names. */
export function ifMatchVersion(headers: Record<string, string>): number | undefined {
  const value = headers['if-match'];
  if (value === undefined) return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(value);
  if (!match) {
    throw problems.validation([{ path: '/headers/if-match', message: 'Must be an ETag such as "4".' }]);
  }
  return Number(match[1]);
}

export function etag(version: number): string {
  return `"${version}"`;
}

/**
 * Whether an `If-None-Match` header names this ETag (weak comparison, RFC 9110 §13.1.2), so
 * that a GET answers 304 Not Modified instead of the representation the client holds.
 */
export function ifNoneMatchHolds(ifNoneMatch: string | undefined, current: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const listed = ifNoneMatch.split(',').map(opaque);
  return listed.includes('*') || listed.includes(opaque(current));
}
