/**
 * Server-side request forgery guard for webhook and `http` action URLs.
 *
 * `checkUrlSyntax` is the cheap synchronous check made when a subscription is created;
 * `resolveSafeTarget` is made again at every delivery, resolves the host and returns the
 * vetted addresses, so that the connection goes to exactly what was checked (a second DNS
 * answer, as in DNS rebinding, is never consulted).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, isIPv4 } from 'node:net';

export const maxUrlLength = 2048;

export interface UrlSafetyOptions {
  /** Lets `http://127.0.0.1[:port]` and `http://localhost[:port]` through (local stack only). */
  allowLocal: boolean;
}

export type UrlSyntaxResult = { ok: true; url: URL } | { ok: false; problems: string[] };

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type NonEmptyAddresses = readonly [ResolvedAddress, ...ResolvedAddress[]];

/** Resolves a host name to every address it has (the port that tests replace). */
export type HostLookup = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

export type SafeTargetResult =
  /** Connect only to `addresses`: they are what was checked. */
  | { ok: true; url: URL; addresses: NonEmptyAddresses }
  /** `unsafe` will not change by retrying the same answer; `unresolvable` may (DNS failure). */
  | { ok: false; reason: 'unsafe' | 'unresolvable'; problems: string[] };

const defaultLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true });

const localHosts = new Set(['127.0.0.1', 'localhost']);

export function checkUrlSyntax(input: string, { allowLocal }: UrlSafetyOptions): UrlSyntaxResult {
  if (input.length > maxUrlLength) {
    return { ok: false, problems: [`URL is longer than ${maxUrlLength} characters`] };
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, problems: ['not a valid absolute URL'] };
  }
  const problems: string[] = [];
  const isLocalHost = localHosts.has(url.hostname);
  if (url.protocol === 'http:') {
    if (!(allowLocal && isLocalHost)) {
      problems.push(
        allowLocal
          ? 'http:// is allowed only for 127.0.0.1 and localhost'
          : 'URL must use https:// (http:// is allowed only for 127.0.0.1 when local webhooks are enabled)',
      );
    }
  } else if (url.protocol !== 'https:') {
    problems.push(`URL must use https://, not ${url.protocol}//`);
  }
  if (url.username !== '' || url.password !== '') {
    problems.push('URL must not contain credentials');
  }
  // The WHATWG parser has already turned forms such as 0x7f.1 or 2130706433 into dotted quads.
  const literal = ipLiteralOf(url);
  if (literal !== undefined) {
    const range = forbiddenRangeOf(literal);
    if (range !== undefined && !(allowLocal && isLocalHost && range === 'loopback')) {
      problems.push(`host ${literal} is in a forbidden range: ${range}`);
    }
  } else if (isLocalhostName(url.hostname) && !(allowLocal && isLocalHost)) {
    problems.push(`host ${url.hostname} is the local machine`);
  }
  return problems.length === 0 ? { ok: true, url } : { ok: false, problems };
}

export async function resolveSafeTarget(
  input: string,
  { allowLocal, lookup = defaultLookup }: UrlSafetyOptions & { lookup?: HostLookup },
): Promise<SafeTargetResult> {
  const syntax = checkUrlSyntax(input, { allowLocal });
  if (!syntax.ok) {
    return { ok: false, reason: 'unsafe', problems: syntax.problems };
  }
  const { url } = syntax;
  const literal = ipLiteralOf(url);
  let answers: readonly { address: string; family: number }[];
  if (literal !== undefined) {
    answers = [{ address: literal, family: isIPv4(literal) ? 4 : 6 }];
  } else {
    try {
      answers = await lookup(url.hostname);
    } catch (error) {
      return {
        ok: false,
        reason: 'unresolvable',
        problems: [`cannot resolve ${url.hostname}: ${messageOf(error)}`],
      };
    }
  }
  const [firstAnswer, ...otherAnswers] = answers;
  if (firstAnswer === undefined) {
    return { ok: false, reason: 'unresolvable', problems: [`${url.hostname} has no addresses`] };
  }
  const loopbackAllowed = allowLocal && localHosts.has(url.hostname);
  // Every answer must be safe: the connection may otherwise land on whichever one is unsafe.
  const problems = answers.flatMap(({ address }) => {
    const range = forbiddenRangeOf(address);
    return range === undefined || (loopbackAllowed && range === 'loopback')
      ? []
      : [`${url.hostname} resolves to ${address}, which is in a forbidden range: ${range}`];
  });
  if (problems.length > 0) {
    return { ok: false, reason: 'unsafe', problems };
  }
  return { ok: true, url, addresses: [vetted(firstAnswer), ...otherAnswers.map(vetted)] };
}

const vetted = ({ address }: { address: string }): ResolvedAddress => ({
  address,
  family: isIPv4(address) ? 4 : 6,
});

/**
 * The name of the forbidden range an IPv4 or IPv6 address is in, or undefined when it is
 * a public unicast address. Anything that is not an IP address is forbidden.
 */
export function forbiddenRangeOf(address: string): string | undefined {
  const family = isIP(address);
  if (family === 4) {
    return forbiddenIpv4RangeOf(parseIpv4(address));
  }
  if (family === 6) {
    return forbiddenIpv6RangeOf(parseIpv6(address));
  }
  return 'not an IP address';
}

function ipLiteralOf(url: URL): string | undefined {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) === 0 ? undefined : host;
}

/** RFC 6761 reserves `localhost` and every name under it for the loopback interface. */
function isLocalhostName(hostname: string): boolean {
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  return name === 'localhost' || name.endsWith('.localhost');
}

interface Ipv4Range {
  base: number;
  mask: number;
  name: string;
}

function ipv4Range(cidr: string, name: string): Ipv4Range {
  const [address = '', prefix = ''] = cidr.split('/');
  const bits = Number(prefix);
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return { base: (parseIpv4(address) & mask) >>> 0, mask, name };
}

/** First match wins, so narrower ranges come before the ranges that contain them. */
const forbiddenIpv4Ranges: readonly Ipv4Range[] = [
  ipv4Range('0.0.0.0/8', '"this network" 0.0.0.0/8'),
  ipv4Range('10.0.0.0/8', 'private'),
  ipv4Range('100.64.0.0/10', 'carrier-grade NAT 100.64.0.0/10'),
  ipv4Range('127.0.0.0/8', 'loopback'),
  ipv4Range('169.254.0.0/16', 'link-local (includes cloud metadata 169.254.169.254)'),
  ipv4Range('172.16.0.0/12', 'private'),
  ipv4Range('192.0.0.0/24', 'IETF protocol assignments 192.0.0.0/24'),
  ipv4Range('192.0.2.0/24', 'documentation'),
  ipv4Range('192.88.99.0/24', '6to4 relay anycast 192.88.99.0/24'),
  ipv4Range('192.168.0.0/16', 'private'),
  ipv4Range('198.18.0.0/15', 'benchmarking 198.18.0.0/15'),
  ipv4Range('198.51.100.0/24', 'documentation'),
  ipv4Range('203.0.113.0/24', 'documentation'),
  ipv4Range('224.0.0.0/4', 'multicast'),
  ipv4Range('255.255.255.255/32', 'broadcast'),
  ipv4Range('240.0.0.0/4', 'reserved 240.0.0.0/4'),
];

function forbiddenIpv4RangeOf(address: number): string | undefined {
  return forbiddenIpv4Ranges.find((range) => (address & range.mask) >>> 0 === range.base)?.name;
}

interface Ipv6Range {
  base: bigint;
  mask: bigint;
  name: string;
}

const all128 = (1n << 128n) - 1n;

function ipv6Range(cidr: string, name: string): Ipv6Range {
  const [address = '', prefix = ''] = cidr.split('/');
  const mask = (all128 << BigInt(128 - Number(prefix))) & all128;
  return { base: parseIpv6(address) & mask, mask, name };
}

const inIpv6Range = (address: bigint, range: Ipv6Range) => (address & range.mask) === range.base;

const forbiddenIpv6Ranges: readonly Ipv6Range[] = [
  ipv6Range('::/128', 'unspecified'),
  ipv6Range('::1/128', 'loopback'),
  ipv6Range('100::/64', 'discard-only 100::/64'),
  ipv6Range('64:ff9b:1::/48', 'local-use NAT64 64:ff9b:1::/48'),
  ipv6Range('2001:2::/48', 'benchmarking 2001:2::/48'),
  ipv6Range('2001:db8::/32', 'documentation'),
  ipv6Range('3fff::/20', 'documentation'),
  // Teredo hides an arbitrary (obfuscated) IPv4 address that cannot be vetted here.
  ipv6Range('2001::/32', 'Teredo 2001::/32'),
  ipv6Range('2001:10::/28', 'ORCHID 2001:10::/28'),
  ipv6Range('2001:20::/28', 'ORCHIDv2 2001:20::/28'),
  ipv6Range('fc00::/7', 'unique local fc00::/7'),
  ipv6Range('fe80::/10', 'link-local'),
  ipv6Range('fec0::/10', 'site-local fec0::/10'),
  ipv6Range('ff00::/8', 'multicast'),
];

interface Ipv4Embedding {
  range: Ipv6Range;
  /** Bits to shift right to bring the embedded IPv4 address into the low 32 bits. */
  shift: bigint;
  /** Deprecated forms are refused even when the embedded address is public. */
  deprecated: boolean;
}

/** IPv6 forms that reach an IPv4 address: they are as safe as the address they embed. */
const ipv4Embeddings: readonly Ipv4Embedding[] = [
  { range: ipv6Range('::ffff:0:0/96', 'IPv4-mapped'), shift: 0n, deprecated: false },
  { range: ipv6Range('::ffff:0:0:0/96', 'IPv4-translated'), shift: 0n, deprecated: false },
  { range: ipv6Range('64:ff9b::/96', 'NAT64'), shift: 0n, deprecated: false },
  { range: ipv6Range('2002::/16', '6to4'), shift: 80n, deprecated: false },
  { range: ipv6Range('::/96', 'IPv4-compatible (deprecated)'), shift: 0n, deprecated: true },
];

const globalUnicast = ipv6Range('2000::/3', 'global unicast');

function forbiddenIpv6RangeOf(address: bigint): string | undefined {
  const listed = forbiddenIpv6Ranges.find((range) => inIpv6Range(address, range));
  if (listed !== undefined) {
    return listed.name;
  }
  const embedding = ipv4Embeddings.find(({ range }) => inIpv6Range(address, range));
  if (embedding !== undefined) {
    const embedded = forbiddenIpv4RangeOf(Number((address >> embedding.shift) & 0xffffffffn));
    if (embedded !== undefined) {
      return `${embedded} (${embedding.range.name} form)`;
    }
    return embedding.deprecated ? embedding.range.name : undefined;
  }
  // Everything outside 2000::/3 is unassigned or special-purpose, so it is refused wholesale.
  return inIpv6Range(address, globalUnicast) ? undefined : 'reserved (outside global unicast 2000::/3)';
}

/** Parses a dotted quad already validated by `isIPv4`. */
function parseIpv4(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** Parses an address already validated by `isIPv6`, including `::` and a trailing dotted quad. */
function parseIpv6(address: string): bigint {
  let text = address.split('%')[0] ?? '';
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    text = `${text.slice(0, lastColon + 1)}${Math.floor(v4 / 0x10000).toString(16)}:${(v4 % 0x10000).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups =
    rest === undefined
      ? headGroups
      : [...headGroups, ...Array<string>(8 - headGroups.length - restGroups.length).fill('0'), ...restGroups];
  return groups.reduce((value, group) => (value << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
