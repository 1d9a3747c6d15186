import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

export type Protocol = 'tcp' | 'udp';

/**
 * Whether a host port can be published. Binds the wildcard address the way Docker's proxy
 * does; only "address in use" counts as taken — a privileged port we may not bind as a normal
 * user is still free for the Docker daemon.
 */
export function isPortFree(port: number, protocol: Protocol): Promise<boolean> {
  return protocol === 'udp' ? udpFree(port) : tcpFree(port);
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code !== 'EADDRINUSE'));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.close();
      resolve(err.code !== 'EADDRINUSE');
    });
    socket.bind({ port, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}

/** Host ports held by this stack's own running containers: they are free for a re-deploy. */
export type StackPorts = () => Promise<Set<number>>;

export const dockerStackPorts: StackPorts = async () => {
  const [{ stackPorts }, { realExec }] = await Promise.all([import('../docker/compose.js'), import('../docker/exec.js')]);
  return stackPorts(realExec);
};

export type PortInUse = (port: number, protocol: Protocol) => Promise<boolean>;

/**
 * "Is this port taken by something other than plexarr?" Docker is asked (once) only when a port
 * is actually busy, so the usual case costs no process spawn.
 */
export function portInUseProbe(deps: { isPortFree: typeof isPortFree; stackPorts: StackPorts }): PortInUse {
  let ours: Promise<Set<number>> | undefined;
  return async (port, protocol) => {
    if (await deps.isPortFree(port, protocol)) return false;
    ours ??= deps.stackPorts().catch(() => new Set<number>());
    return !(await ours).has(port);
  };
}
