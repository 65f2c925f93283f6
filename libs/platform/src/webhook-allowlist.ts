import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may not point unless an operator allows it (WEBHOOK_ALLOWED_HOSTS): the
 * service's own machine, private networks and cloud metadata endpoints. A notice POSTed there
 * would let whoever registers a contact point probe or call what only the service can reach.
 */
const FORBIDDEN_V4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, incl. the 169.254.169.254 metadata endpoint
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. broadcast
];
const FORBIDDEN_V6: readonly (readonly [string, number])[] = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64: an IPv4 address in disguise
  ['fc00::', 7], // unique local, incl. fd00::/8 (and fd00:ec2::254, a metadata endpoint)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed somewhere)
  ['ff00::', 8], // multicast
];

const forbidden = new BlockList();
for (const [net, prefix] of FORBIDDEN_V4) forbidden.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of FORBIDDEN_V6) forbidden.addSubnet(net, prefix, 'ipv6');

/** An IPv4-mapped IPv6 address (::ffff:10.0.0.1) as the IPv4 address it is. */
function unmapped(address: string): string {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted?.[1]) return dotted[1];
  // The URL parser writes ::ffff:127.0.0.1 as ::ffff:7f00:1.
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex?.[1] && hex[2]) {
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return address;
}

/** True for a loopback, private, link-local, metadata or otherwise non-public IP address. */
export function isNonPublicAddress(address: string): boolean {
  const ip = unmapped(address);
  const family = isIP(ip);
  if (family === 0) return false;
  return forbidden.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** One WEBHOOK_ALLOWED_HOSTS entry: a host name, an IP address or a CIDR range. */
export type AllowedHost =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'range'; readonly network: string; readonly prefix: number; readonly family: 'ipv4' | 'ipv6' };

/** Parses the comma-separated WEBHOOK_ALLOWED_HOSTS, e.g. `localhost,127.0.0.0/8,::1,hooks.internal`. */
export function parseAllowedHosts(value: string): { entries: AllowedHost[]; problems: string[] } {
  const entries: AllowedHost[] = [];
  const problems: string[] = [];
  for (const raw of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = '', prefixText] = raw.replace(/^\[|\]$/g, '').split('/');
    const family = isIP(address);
    if (family !== 0) {
      const max = family === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? max : Number(prefixText);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
        problems.push(`entry "${raw}" has a prefix length outside 0 to ${max}`);
        continue;
      }
      entries.push({ kind: 'range', network: address, prefix, family: family === 4 ? 'ipv4' : 'ipv6' });
    } else if (/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(raw)) {
      entries.push({ kind: 'name', name: raw.toLowerCase() });
    } else {
      problems.push(`entry "${raw}" is neither a host name, an IP address nor a CIDR range like 10.1.0.0/16`);
    }
  }
  return { entries, problems };
}

/** Whether the operator allowed this host name or address (as written in the URL, or as resolved). */
export function isAllowedHost(allowed: readonly AllowedHost[], host: string, address?: string): boolean {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  const ranges = new BlockList();
  let hasRanges = false;
  for (const entry of allowed) {
    if (entry.kind === 'name') {
      if (entry.name === name) return true;
    } else {
      ranges.addSubnet(entry.network, entry.prefix, entry.family);
      hasRanges = true;
    }
  }
  if (!hasRanges) return false;
  return [name, address].some((candidate) => {
    if (!candidate) return false;
    const ip = unmapped(candidate);
    const family = isIP(ip);
    return family !== 0 && ranges.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  });
}

/**
 * Why a webhook URL may not be registered, or undefined when it may: its host is a literal
 * non-public address (or `localhost`) the operator did not allow. Names are checked again at
 * delivery, after they are resolved.
 */
export function literalWebhookHostRefusal(url: string, allowed: readonly AllowedHost[]): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined; // the URL's own validation says what is wrong with it
  }
  const nonPublic = isNonPublicAddress(host) || host.toLowerCase() === 'localhost' || host.endsWith('.localhost');
  if (!nonPublic || isAllowedHost(allowed, host)) return undefined;
  return `the webhook host ${host} is a loopback, private, link-local or metadata address; use a public address (or ask the operator to list it in WEBHOOK_ALLOWED_HOSTS)`;
}
