import { createHmac, timingSafeEqual } from 'node:crypto';
import { problems } from '../problem.js';

/**
 * Opaque, signed pagination cursors. The signature binds the position to the tenant and
 * the query it came from, so a tampered, foreign or reused-with-other-filters cursor is a 400.
 */
export class CursorCodec {
  constructor(private readonly secret: string) {}

  private sign(payload: string, scope: string): Buffer {
    return createHmac('sha256', this.secret).update(`${scope}\n${payload}`).digest().subarray(0, 16);
  }

  encode(position: unknown, scope: string): string {
    const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
    return `${payload}.${this.sign(payload, scope).toString('base64url')}`;
  }

  decode(cursor: string, scope: string): unknown {
    const invalid = () =>
      problems.validation([{ path: '/cursor', message: 'Not a cursor this query returned.' }]);
    const [payload, signature, extra] = cursor.split('.');
    if (!payload || !signature || extra !== undefined) throw invalid();
    const expected = this.sign(payload, scope);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
  }
}

/**
 * A page of a list the order itself holds (shipments, returns), newest first: the cursor is
 * the position in that list, signed for this tenant, order and list.
 */
export function newestFirstPage<T>(
  oldestFirst: readonly T[],
  query: { limit: number; cursor?: string },
  cursors: CursorCodec,
  scope: string,
): { items: T[]; nextCursor: string | null } {
  const newestFirst = [...oldestFirst].reverse();
  const start = query.cursor === undefined ? 0 : Number(cursors.decode(query.cursor, scope));
  const items = newestFirst.slice(start, start + query.limit);
  const next = start + items.length;
  return { items, nextCursor: next < newestFirst.length ? cursors.encode(next, scope) : null };
}
