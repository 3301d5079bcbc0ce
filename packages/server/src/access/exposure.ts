import { BlockList, isIPv6 } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { hostNameOf } from './access-options.js';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** Whether a server listening on `address` (an IP address) can be reached only from this machine. */
export function isLoopback(address: string): boolean {
  return loopback.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
}

/** Names every server answers: this machine's loopback names. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The Host names a server bound to `host` (as the user gave it) at `address` (what it
 * resolved to) answers by itself: the loopback names, the bound host and its address; bound
 * to every interface (0.0.0.0, ::), also each interface's address and the machine's name,
 * since those are the names it is reached by.
 */
export function servedHostNames(host: string, address: string): string[] {
  const names = [...LOOPBACK_NAMES, host, asHostName(address)];
  if (address === '0.0.0.0' || address === '::') {
    names.push(hostname(), ...Object.values(networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => asHostName(entry.address))));
  }
  return [...new Set(names.flatMap((name) => hostNameOf(name) ?? []))];
}

/** An IP address as a Host header names it (IPv6 in brackets, without a zone). */
function asHostName(address: string): string {
  return isIPv6(address) ? `[${address.replace(/%.*$/, '')}]` : address;
}
