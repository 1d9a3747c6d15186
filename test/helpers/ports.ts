import { createServer, type Server } from 'node:net';

/** Every service port role, as `--port` keys in their shortest spelling (the catalog test checks it). */
export const PORT_KEYS = [
  'plex',
  'radarr',
  'sonarr',
  'lidarr',
  'prowlarr',
  'requests',
  'maintainerr',
  'nzbget',
  'nzbget2',
  'wireguard',
  'npm.http',
  'npm.https',
  'npm',
] as const;

export type StackPorts = Record<(typeof PORT_KEYS)[number], number>;

/**
 * Ports the OS just handed out as free. The default ports (7878, 32400, …) may be held by a stack
 * another test brought up, so CLI tests that are not about ports pin every service to these.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve) => {
          const s = createServer();
          s.listen(0, () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** `--port plex=P1 --port radarr=P2 …` for every service, and the chosen ports by key. */
export async function freePortArgs(): Promise<{ args: string[]; ports: StackPorts }> {
  const list = await freePorts(PORT_KEYS.length);
  const ports = Object.fromEntries(PORT_KEYS.map((k, i) => [k, list[i] as number])) as StackPorts;
  return { args: PORT_KEYS.flatMap((k) => ['--port', `${k}=${ports[k]}`]), ports };
}
