import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += CROCKFORD[byte % 32];
  return out;
}

/** What follows `<prefix>_` in every id `newId` makes: 26 Crockford base-32 characters. */
export const ID_BODY_PATTERN = '[0-9A-HJKMNP-TV-Z]{26}';

export type IdPrefix =
  | 'ord'
  | 'evt'
  | 'ten'
  | 'key'
  | 'wh'
  | 'dlv'
  | 'po'
  | 'task'
  | 'shp'
  | 'chg'
  | 'att'
  | 'hold'
  | 'ret';

/** A ULID-shaped id (48-bit time, 80 random bits) behind a type prefix: `ord_01J…`. Sorts by creation time. */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  return `${prefix}_${encodeTime(now)}${encodeRandom(16)}`;
}

/** The smallest id `newId(prefix, at)` can make: every id made at or after `at` sorts at or after it. */
export function firstIdAt(prefix: IdPrefix, at: number): string {
  return `${prefix}_${encodeTime(at)}`;
}

/** When `newId` made this id (its first 10 characters after the prefix, in milliseconds). */
export function idTime(id: string): number {
  const body = id.slice(id.indexOf('_') + 1, id.indexOf('_') + 11);
  let ms = 0;
  for (const char of body) ms = ms * 32 + CROCKFORD.indexOf(char);
  return ms;
}
