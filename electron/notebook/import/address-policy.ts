import ipaddr from 'ipaddr.js';

/**
 * Which network addresses a URL import may connect to: public unicast only. A page Gloss fetches is chosen by whoever
 * wrote the link, so without this a link (or a redirect) could make Gloss read a service on this computer, the local
 * network, or a cloud metadata endpoint (169.254.169.254) and store the answer as an article (SSRF).
 *
 * Range classification is ipaddr.js's (the IANA special-purpose registries for IPv4 and IPv6), not a hand-written
 * table: the edge cases (CGNAT, benchmarking, documentation, site-local, NAT64, mapped forms) are easy to miss.
 */

export type ParsedAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** Global unicast IPv6 (2000::/3): everything else in IPv6 is special-purpose or unassigned. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/** Addresses the tests' opt-in (the web host's `--allow-loopback-import`) allows: this computer only, never the LAN. */
export const LOOPBACK_RANGES: readonly string[] = ['127.0.0.0/8', '::1/128'];

/** Parses an IP literal as the URL parser or the resolver gives it (IPv6 possibly in brackets); null for a name. */
export function parseAddress(text: string): ParsedAddress | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // isValid also takes "127.1" and "0x7f.1"; the WHATWG URL parser has already turned those into dotted quads, and
  // a resolver only ever returns canonical forms, so accepting them here is harmless and errs on the side of checking.
  return ipaddr.isValid(bare) ? ipaddr.parse(bare) : null;
}

/**
 * True when `address` is a public unicast address, or inside one of `allowed` (CIDR strings, for tests only).
 * Refused: unspecified, loopback, private (RFC 1918), link-local, CGNAT (100.64/10), multicast, broadcast, reserved and
 * documentation ranges, IPv6 unique-local, site-local, discard, and any IPv4 address dressed as IPv6 (mapped,
 * compatible, translated, 6to4, Teredo) — except NAT64 (64:ff9b::/96), which IPv6-only networks use for every IPv4
 * site, and which is judged by the IPv4 address inside it.
 */
export function isAllowedAddress(address: ParsedAddress, allowed: readonly string[] = []): boolean {
  if (allowed.some((cidr) => inRange(address, cidr))) return true;
  if (address.kind() === 'ipv4') return address.range() === 'unicast';
  const v6 = address as ipaddr.IPv6;
  const range = v6.range();
  if (range === 'rfc6052' && v6.match(ipaddr.IPv6.parseCIDR('64:ff9b::/96'))) {
    const bytes = v6.toByteArray().slice(12);
    return ipaddr.IPv4.parse(bytes.join('.')).range() === 'unicast';
  }
  return range === 'unicast' && v6.match(GLOBAL_UNICAST_V6);
}

function inRange(address: ParsedAddress, cidr: string): boolean {
  const [net, bits] = ipaddr.parseCIDR(cidr);
  // ::ffff:127.0.0.1 is 127.0.0.1 for the purpose of an allowance (never the other way round: see isAllowedAddress).
  const candidate = address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
  return candidate.kind() === net.kind() && candidate.match(net, bits);
}

/** The address as people write it (IPv6 in its short form), for messages. */
export function showAddress(address: ParsedAddress): string {
  if (address.kind() === 'ipv4') return address.toString();
  const v6 = address as ipaddr.IPv6;
  return v6.isIPv4MappedAddress() ? `::ffff:${v6.toIPv4Address().toString()}` : v6.toRFC5952String();
}
