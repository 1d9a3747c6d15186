import type { PublishedPort } from './index.js';

/**
 * The port policy, for init, the wizard, doctor and deploy alike: two services may not publish the
 * same port and protocol, and a port something else on the host holds is not free.
 */

export function samePort(a: Pick<PublishedPort, 'port' | 'protocol'>, b: Pick<PublishedPort, 'port' | 'protocol'>): boolean {
  return a.port === b.port && a.protocol === b.protocol;
}

/** Each port an earlier one in `ports` already publishes, with that earlier one (its holder). */
export function portClashes(ports: readonly PublishedPort[]): { port: PublishedPort; holder: PublishedPort }[] {
  return ports.flatMap((port, i) => {
    const holder = ports.slice(0, i).find((earlier) => samePort(earlier, port));
    return holder ? [{ port, holder }] : [];
  });
}

/** The ports something on the host holds; `inUse` is asked for all of them at once. */
export async function portsInUse(
  ports: readonly PublishedPort[],
  inUse: (port: number, protocol: PublishedPort['protocol']) => Promise<boolean>,
): Promise<Set<PublishedPort>> {
  const answers = await Promise.all(ports.map((p) => inUse(p.port, p.protocol)));
  return new Set(ports.filter((_, i) => answers[i]));
}
