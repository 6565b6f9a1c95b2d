import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  checkUrlSyntax,
  forbiddenRangeOf,
  type HostLookup,
  maxUrlLength,
  resolveSafeTarget,
} from '../../../shared/webhooks/url-safety.js';

const strict = { allowLocal: false };
const local = { allowLocal: true };

/** The forbidden IPv4 ranges as the tests understand them, written independently of the code. */
const forbiddenIpv4: readonly [base: string, prefix: number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

/** Node's own BlockList is the oracle, a matcher that shares no code with the one under test. */
const ipv4Oracle = new BlockList();
for (const [base, prefix] of forbiddenIpv4) {
  ipv4Oracle.addSubnet(base, prefix, 'ipv4');
}

const ipv4ToNumber = (address: string) =>
  address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
const numberToIpv4 = (value: number) =>
  [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
const hex16 = (value: number) => value.toString(16);
const highHalf = (address: string) => hex16(Math.floor(ipv4ToNumber(address) / 0x10000));
const lowHalf = (address: string) => hex16(ipv4ToNumber(address) % 0x10000);

const inIpv4Range = ([base, prefix]: readonly [string, number]) =>
  fc
    .integer({ min: 0, max: 2 ** (32 - prefix) - 1 })
    .map((offset) => numberToIpv4(ipv4ToNumber(base) + offset));

const anyForbiddenIpv4 = fc.oneof(...forbiddenIpv4.map(inIpv4Range));
const publicIpv4 = fc.ipV4().filter((address) => !ipv4Oracle.check(address, 'ipv4'));

/** Writes a 128-bit value as eight groups, either in full or compressed by the URL parser. */
const formatIpv6 = (value: bigint, compressed: boolean) => {
  const full = Array.from({ length: 8 }, (_, index) =>
    ((value >> BigInt(112 - 16 * index)) & 0xffffn).toString(16),
  ).join(':');
  return compressed ? new URL(`http://[${full}]/`).hostname.slice(1, -1) : full;
};
const leadingGroups = (...groups: number[]) =>
  groups.reduce((value, group, index) => value | (BigInt(group) << BigInt(112 - 16 * index)), 0n);

const forbiddenIpv6: readonly [name: string, base: bigint, prefix: number][] = [
  ['unspecified', 0n, 128],
  ['loopback', 1n, 128],
  ['discard-only', leadingGroups(0x100), 64],
  ['local-use NAT64', leadingGroups(0x64, 0xff9b, 1), 48],
  ['benchmarking', leadingGroups(0x2001, 2), 48],
  ['documentation 2001:db8::/32', leadingGroups(0x2001, 0xdb8), 32],
  ['documentation 3fff::/20', leadingGroups(0x3fff), 20],
  ['Teredo', leadingGroups(0x2001), 32],
  ['ORCHID', leadingGroups(0x2001, 0x10), 28],
  ['unique local', leadingGroups(0xfc00), 7],
  ['link-local', leadingGroups(0xfe80), 10],
  ['site-local', leadingGroups(0xfec0), 10],
  ['multicast', leadingGroups(0xff00), 8],
  ['IPv4-compatible', 0n, 96],
  ['unassigned 4000::/2', leadingGroups(0x4000), 2],
];

const inIpv6Range = (base: bigint, prefix: number) =>
  fc
    .record({
      offset: fc.bigInt({ min: 0n, max: (1n << BigInt(128 - prefix)) - 1n }),
      compressed: fc.boolean(),
    })
    .map(({ offset, compressed }) => formatIpv6(base + offset, compressed));

/** Global unicast space that holds no special-purpose block: 2400::/6 and 2800::/5. */
const publicIpv6 = fc
  .record({
    high: fc.integer({ min: 0x2400, max: 0x2fff }),
    rest: fc.bigInt({ min: 0n, max: (1n << 112n) - 1n }),
    compressed: fc.boolean(),
  })
  .map(({ high, rest, compressed }) => formatIpv6((BigInt(high) << 112n) | rest, compressed));

const resolvesTo =
  (...addresses: string[]): HostLookup =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('checkUrlSyntax', () => {
  it('accepts an https URL with a public host name', () => {
    const result = checkUrlSyntax('https://hooks.example.com/orders?tenant=1', strict);
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.url.hostname).toBe('hooks.example.com');
  });

  it.each([
    'http://hooks.example.com/',
    'ftp://hooks.example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
  ])('refuses %s because only https is allowed', (url) => {
    expect(checkUrlSyntax(url, strict)).toMatchObject({ ok: false });
    expect(checkUrlSyntax(url, local)).toMatchObject({ ok: false });
  });

  it.each([
    'http://127.0.0.1/',
    'http://127.0.0.1:8080/hook',
    'http://localhost:3001/hook',
    'https://localhost/',
  ])('allows %s only when local webhooks are enabled', (url) => {
    expect(checkUrlSyntax(url, local)).toMatchObject({ ok: true });
    expect(checkUrlSyntax(url, strict)).toMatchObject({ ok: false });
  });

  it.each(['http://127.0.0.2/', 'http://[::1]/', 'http://10.0.0.1/', 'http://api.localhost/'])(
    'refuses %s even when local webhooks are enabled',
    (url) => {
      expect(checkUrlSyntax(url, local)).toMatchObject({ ok: false });
    },
  );

  it('refuses credentials in the URL', () => {
    expect(checkUrlSyntax('https://user:secret@hooks.example.com/', strict)).toEqual({
      ok: false,
      problems: ['URL must not contain credentials'],
    });
    expect(checkUrlSyntax('https://user@hooks.example.com/', strict)).toMatchObject({ ok: false });
  });

  it(`accepts ${maxUrlLength} characters and refuses one more`, () => {
    const prefix = 'https://hooks.example.com/';
    const longest = prefix + 'a'.repeat(maxUrlLength - prefix.length);
    expect(checkUrlSyntax(longest, strict)).toMatchObject({ ok: true });
    expect(checkUrlSyntax(`${longest}a`, strict)).toMatchObject({ ok: false });
  });

  it('refuses text that is not an absolute URL', () => {
    expect(checkUrlSyntax('hooks.example.com/orders', strict)).toEqual({
      ok: false,
      problems: ['not a valid absolute URL'],
    });
  });

  it('lists every problem at once', () => {
    const result = checkUrlSyntax('http://user:pw@10.1.2.3/', strict);
    expect(result.ok ? [] : result.problems).toHaveLength(3);
  });

  it.each([
    ['https://0x7f.1/', 'loopback'],
    ['https://2130706433/', 'loopback'],
    ['https://0177.0.0.1/', 'loopback'],
    ['https://127.1/', 'loopback'],
    ['https://0x0a000001/', 'private'],
    ['https://0/', '"this network"'],
    ['https://169.254.169.254/latest/meta-data/', 'link-local'],
    ['https://[::1]/', 'loopback'],
    ['https://[::ffff:127.0.0.1]/', 'loopback (IPv4-mapped form)'],
    ['https://[::ffff:a9fe:a9fe]/', 'link-local'],
    ['https://[64:ff9b::10.0.0.1]/', 'private (NAT64 form)'],
    ['https://[fe80::1]/', 'link-local'],
  ])('refuses the IP literal in %s, however it is written', (url, range) => {
    const result = checkUrlSyntax(url, strict);
    expect(result.ok ? [] : result.problems).toEqual([expect.stringContaining(range)]);
  });

  it.each(['https://localhost/', 'https://localhost./', 'https://api.localhost/'])(
    'refuses the local machine name in %s',
    (url) => {
      expect(checkUrlSyntax(url, strict)).toMatchObject({ ok: false });
    },
  );

  it('refuses every forbidden IPv4 address written as one decimal or hex number', () => {
    fc.assert(
      fc.property(anyForbiddenIpv4, fc.boolean(), (address, asHex) => {
        const number = ipv4ToNumber(address);
        const host = asHex ? `0x${number.toString(16)}` : String(number);
        expect(checkUrlSyntax(`https://${host}/`, strict)).toMatchObject({ ok: false });
      }),
    );
  });
});

describe('forbiddenRangeOf', () => {
  it.each(forbiddenIpv4)('names every IPv4 address in %s/%i as forbidden', (base, prefix) => {
    fc.assert(
      fc.property(inIpv4Range([base, prefix]), (address) => {
        expect(forbiddenRangeOf(address)).toBeDefined();
      }),
    );
  });

  it('agrees with the oracle on any IPv4 address, on both sides of every range edge', () => {
    const atARangeEdge = fc
      .constantFrom(...forbiddenIpv4)
      .chain(([base, prefix]) =>
        fc.constantFrom(
          ipv4ToNumber(base) - 1,
          ipv4ToNumber(base),
          ipv4ToNumber(base) + 2 ** (32 - prefix) - 1,
          ipv4ToNumber(base) + 2 ** (32 - prefix),
        ),
      )
      .filter((value) => value >= 0 && value < 2 ** 32)
      .map(numberToIpv4);
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), atARangeEdge), (address) => {
        expect(forbiddenRangeOf(address) !== undefined).toBe(ipv4Oracle.check(address, 'ipv4'));
      }),
    );
  });

  it('names the broadcast address and the cloud metadata address', () => {
    expect(forbiddenRangeOf('255.255.255.255')).toBe('broadcast');
    expect(forbiddenRangeOf('169.254.169.254')).toMatch(/metadata/);
  });

  it('refuses forbidden IPv4 addresses in every IPv6 form that embeds them', () => {
    const embeddings = [
      (v4: string) => `::ffff:${v4}`,
      (v4: string) => `::ffff:${highHalf(v4)}:${lowHalf(v4)}`,
      (v4: string) => `::ffff:0:${v4}`,
      (v4: string) => `64:ff9b::${v4}`,
      (v4: string) => `::${v4}`,
      (v4: string) => `2002:${highHalf(v4)}:${lowHalf(v4)}::1`,
    ];
    fc.assert(
      fc.property(anyForbiddenIpv4, fc.constantFrom(...embeddings), (address, embed) => {
        expect(forbiddenRangeOf(embed(address))).toBeDefined();
      }),
    );
  });

  it('allows public IPv4 addresses mapped into IPv6 or reached through NAT64, but not IPv4-compatible ones', () => {
    fc.assert(
      fc.property(publicIpv4, (address) => {
        expect(forbiddenRangeOf(`::ffff:${address}`)).toBeUndefined();
        expect(forbiddenRangeOf(`64:ff9b::${address}`)).toBeUndefined();
        expect(forbiddenRangeOf(`::${address}`)).toBe('IPv4-compatible (deprecated)');
      }),
    );
  });

  it.each(forbiddenIpv6)('names every IPv6 address in the %s range as forbidden', (_name, base, prefix) => {
    fc.assert(
      fc.property(inIpv6Range(base, prefix), (address) => {
        expect(forbiddenRangeOf(address)).toBeDefined();
      }),
    );
  });

  it('allows public global unicast IPv6 addresses', () => {
    fc.assert(
      fc.property(publicIpv6, (address) => {
        expect(forbiddenRangeOf(address)).toBeUndefined();
      }),
    );
  });

  it('judges an IPv6 address the same however it is written', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
        expect(forbiddenRangeOf(address)).toBe(forbiddenRangeOf(canonical));
      }),
    );
  });

  it('treats anything that is not an IP address as forbidden', () => {
    expect(forbiddenRangeOf('hooks.example.com')).toBe('not an IP address');
    expect(forbiddenRangeOf('')).toBe('not an IP address');
  });
});

describe('resolveSafeTarget', () => {
  it('returns every resolved address so the connection goes only where was checked', async () => {
    const result = await resolveSafeTarget('https://hooks.example.com/', {
      allowLocal: false,
      lookup: resolvesTo('93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'),
    });
    expect(result).toEqual({
      ok: true,
      url: new URL('https://hooks.example.com/'),
      addresses: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
    });
  });

  it('refuses a host when any one of its addresses is forbidden', async () => {
    const result = await resolveSafeTarget('https://hooks.example.com/', {
      allowLocal: false,
      lookup: resolvesTo('93.184.215.14', '10.0.0.7'),
    });
    expect(result).toEqual({
      ok: false,
      reason: 'unsafe',
      problems: ['hooks.example.com resolves to 10.0.0.7, which is in a forbidden range: private'],
    });
  });

  it('refuses a public-looking host that resolves to any forbidden address', async () => {
    await fc.assert(
      fc.asyncProperty(anyForbiddenIpv4, fc.boolean(), async (address, allowLocal) => {
        const result = await resolveSafeTarget('https://hooks.example.com/', {
          allowLocal,
          lookup: resolvesTo(address),
        });
        expect(result).toMatchObject({ ok: false, reason: 'unsafe' });
      }),
      { numRuns: 50 },
    );
  });

  it('does not look up IP literals', async () => {
    const lookup = vi.fn(resolvesTo('10.0.0.1'));
    const result = await resolveSafeTarget('https://[2606:4700::1111]:8443/', { allowLocal: false, lookup });
    expect(result).toMatchObject({ ok: true, addresses: [{ address: '2606:4700::1111', family: 6 }] });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('allows loopback addresses for localhost only when local webhooks are enabled', async () => {
    const lookup = resolvesTo('::1', '127.0.0.1');
    expect(await resolveSafeTarget('http://localhost:3001/', { allowLocal: true, lookup })).toMatchObject({
      ok: true,
      addresses: [{ address: '::1' }, { address: '127.0.0.1' }],
    });
    expect(await resolveSafeTarget('https://localhost/', { allowLocal: false, lookup })).toMatchObject({
      ok: false,
      reason: 'unsafe',
    });
    expect(await resolveSafeTarget('https://hooks.example.com/', { allowLocal: true, lookup })).toMatchObject(
      {
        ok: false,
        reason: 'unsafe',
      },
    );
  });

  it('still refuses private addresses for localhost when local webhooks are enabled', async () => {
    const result = await resolveSafeTarget('http://localhost/', {
      allowLocal: true,
      lookup: resolvesTo('10.0.0.1'),
    });
    expect(result).toMatchObject({ ok: false, reason: 'unsafe' });
  });

  it('reports a host that does not resolve as unresolvable, not unsafe', async () => {
    const failing: HostLookup = async () => {
      throw new Error('getaddrinfo ENOTFOUND hooks.example.com');
    };
    expect(
      await resolveSafeTarget('https://hooks.example.com/', { allowLocal: false, lookup: failing }),
    ).toEqual({
      ok: false,
      reason: 'unresolvable',
      problems: ['cannot resolve hooks.example.com: getaddrinfo ENOTFOUND hooks.example.com'],
    });
    expect(
      await resolveSafeTarget('https://hooks.example.com/', { allowLocal: false, lookup: resolvesTo() }),
    ).toMatchObject({ ok: false, reason: 'unresolvable' });
  });

  it('refuses a URL that fails the syntax check without looking it up', async () => {
    const lookup = vi.fn(resolvesTo('93.184.215.14'));
    const result = await resolveSafeTarget('http://hooks.example.com/', { allowLocal: false, lookup });
    expect(result).toMatchObject({ ok: false, reason: 'unsafe' });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('resolves through the system resolver by default', async () => {
    const result = await resolveSafeTarget('http://localhost:3001/', { allowLocal: true });
    expect(result.ok && result.addresses.map(({ address }) => forbiddenRangeOf(address))).toEqual(
      expect.arrayContaining(['loopback']),
    );
  });
});
