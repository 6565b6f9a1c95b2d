import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/**
 * Bulky JSON (order snapshots, replayable responses) stored as one compressed binary
 * attribute. DynamoDB bills writes per started kilobyte of the item: an order snapshot of
 * ~0.9 KB packs into ~0.45 KB, which keeps a history event within one write unit. Nothing
 * queries or filters on what is packed.
 */
export function pack(value: unknown): Uint8Array {
  const json = Buffer.from(JSON.stringify(value));
  return brotliCompressSync(json, {
    params: {
      // Fast and small for values of a few kilobytes; a larger window buys nothing here.
      [constants.BROTLI_PARAM_QUALITY]: 5,
      [constants.BROTLI_PARAM_LGWIN]: 16,
      [constants.BROTLI_PARAM_SIZE_HINT]: json.length,
    },
  });
}

/** The value `pack` stored; a value written before packing (a plain map) is returned as it is. */
export function unpack<T>(stored: unknown): T {
  if (!(stored instanceof Uint8Array)) return stored as T;
  return JSON.parse(brotliDecompressSync(stored).toString('utf8')) as T;
}
