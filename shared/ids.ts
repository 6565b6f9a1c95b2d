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
