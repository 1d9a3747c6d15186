import type { StackConfig } from '../config/schema.js';
import { dockerInfo } from '../docker/docker.js';
import { openEngine, type StackEngine } from '../engine/index.js';
import type { Exec } from '../docker/exec.js';
import { diskSpace } from '../doctor/disk.js';
import { portsFree } from '../doctor/ports.js';
import { WorkError } from '../errors.js';
import type { Protocol } from '../host/ports.js';
import { plexarrCommand } from '../ui/invocation.js';

/**
 * What must hold before deploy touches anything: a reachable engine, Compose (v2, else v1) — or
 * a swarm manager for a Swarm stack — able to read the generated file, free disk, and the host ports free or held by this stack's own containers. Every problem is collected
 * so the user sees the whole list at once; disk and port checks are the ones `plexarr doctor` runs.
 */
export interface PrerequisitesContext {
  exec: Exec;
  config: StackConfig;
  composeFile: string;
  isPortFree(port: number, protocol: Protocol): Promise<boolean>;
}

export interface Prerequisites {
  engine: StackEngine;
  engineVersion: string;
  /** The images the compose file uses, as Compose itself resolves it. */
  images: string[];
  /** Passed, but worth saying (low disk). */
  warnings: string[];
}

export async function checkPrerequisites(ctx: PrerequisitesContext): Promise<Prerequisites> {
  const problems: string[] = [];
  const warnings: string[] = [];

  const engine = await dockerInfo(ctx.exec);
  if (!engine.ok) problems.push(`Docker: ${engine.reason}. Start the engine (or set DOCKER_HOST) and check with \`docker info\`.`);

  let stackEngine: StackEngine | undefined;
  let images: string[] = [];
  try {
    stackEngine = await openEngine({ exec: ctx.exec }, ctx.config);
    images = await stackEngine.images(ctx.composeFile);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (engine.ok && stackEngine?.kind === 'swarm' && !engine.swarm.manager) {
    problems.push(
      engine.swarm.active
        ? 'Swarm: this engine is a worker; run plexarr on a manager node (`docker node ls` works there).'
        : `Swarm: this engine is not in a swarm. Create one with \`docker swarm init\` (or join one), or choose the compose engine with \`${plexarrCommand('init --engine compose')}\`.`,
    );
  }

  const disk = await diskSpace({ config: ctx.config });
  if (disk.status === 'fail') problems.push(`Disk: ${disk.message}. ${disk.fix ?? ''}`.trim());
  else if (disk.status === 'warn') warnings.push(`Disk: ${disk.message}. ${disk.fix ?? ''}`.trim());

  if (engine.ok) {
    const stackPorts = stackEngine ? stackEngine.ownPorts : async () => new Set<number>();
    const ports = await portsFree({ config: ctx.config, exec: ctx.exec, isPortFree: ctx.isPortFree, stackPorts });
    if (ports.status === 'fail') problems.push(`Ports: ${ports.message}. ${ports.fix ?? ''}`.trim());
  }

  if (problems.length > 0 || !stackEngine || !engine.ok) {
    throw new WorkError(`Deploy cannot start:\n  - ${problems.join('\n  - ')}`);
  }
  return { engine: stackEngine, engineVersion: engine.serverVersion, images, warnings };
}
