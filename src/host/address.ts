import { networkInterfaces } from 'node:os';

/** The address people on the LAN reach this host at: the first non-internal IPv4 address. */
export function detectHostAddress(interfaces = networkInterfaces()): string {
  for (const addresses of Object.values(interfaces)) {
    for (const a of addresses ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  return '127.0.0.1';
}
