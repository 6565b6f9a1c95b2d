import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DynamoDbLocalError, freePort, startDynamoDbLocal } from '../../local/dynamodb-local.js';

describe('DynamoDB Local', () => {
  it('refuses a port something else already listens on, instead of using that instead', async () => {
    const port = await freePort();
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', resolve));
    try {
      await expect(startDynamoDbLocal({ port })).rejects.toThrow(DynamoDbLocalError);
      await expect(startDynamoDbLocal({ port })).rejects.toThrow(/already in use/);
    } finally {
      other.close();
    }
  });

  it('listens on 127.0.0.1 only, not on every interface', async () => {
    const database = await startDynamoDbLocal({});
    try {
      const addresses = listeningAddresses(database.port);
      expect(addresses.length).toBeGreaterThan(0);
      expect(new Set(addresses)).toEqual(new Set(['127.0.0.1']));
    } finally {
      await database.stop();
    }
  });
});

/** The local addresses of sockets listening on `port`, read from the kernel's socket tables. */
function listeningAddresses(port: number): string[] {
  const LISTEN = '0A';
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    readFileSync(table, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[1]?.endsWith(`:${portHex}`) && fields[3] === LISTEN)
      .map((fields) => decodeAddress((fields[1] as string).split(':')[0] as string)),
  );
}

/** A kernel hex address (little-endian words) as text; an IPv4-mapped IPv6 address as its IPv4. */
function decodeAddress(hex: string): string {
  const bytes = (hex.match(/../g) ?? []).map((pair) => Number.parseInt(pair, 16));
  const words = Array.from({ length: bytes.length / 4 }, (_, i) =>
    bytes.slice(i * 4, i * 4 + 4).reverse(),
  ).flat();
  if (words.length === 4) return words.join('.');
  const mapped = words.slice(0, 10).every((b) => b === 0) && words[10] === 0xff && words[11] === 0xff;
  if (mapped) return words.slice(12).join('.');
  return words.every((b) => b === 0) ? '::' : words.map((b) => b.toString(16)).join(':');
}
