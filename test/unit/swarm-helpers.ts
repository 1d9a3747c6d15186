import { join } from 'node:path';
import type { ServiceId } from '../../src/config/schema.js';
import { FIXTURE_SECRETS, fixtureConfig } from './compose-fixtures.js';
import { saveStack } from '../helpers/stack-home.js';

/** Docker's answers on a one-node swarm, shared by the Swarm day-two tests. */

export const PS = 'docker stack ps plexarr --no-trunc --filter desired-state=running --format {{json .}}';
export const LOCAL_TASKS = 'docker ps -q --no-trunc --filter label=com.docker.stack.namespace=plexarr';

/** A home with a saved Swarm configuration, its secrets and the generated stack file. */
export function seedSwarmHome(home: string, services: readonly ServiceId[]) {
  const config = fixtureConfig([...services], { mediaRoot: join(home, 'media'), configRoot: join(home, 'appdata'), engine: 'swarm' });
  saveStack(home, config, FIXTURE_SECRETS);
  return { home, config, stackFile: join(home, 'generated-config/docker-compose.yml') };
}

/** One line of `docker stack ps --format '{{json .}}'`, as Docker 28 prints it. */
export function taskLine(service: string, id: string, state: string): string {
  return JSON.stringify({
    ID: id,
    Name: `plexarr_${service}.1`,
    Node: 'box1',
    DesiredState: 'Running',
    CurrentState: `${state} 2 seconds ago`,
    Error: '',
    Ports: '',
  });
}

/** `docker inspect` of the task containers on this node: Swarm labels each with its service. */
export function localContainers(images: Record<string, string>): string {
  return JSON.stringify(
    Object.entries(images).map(([s, image]) => ({
      Id: `c-${s}`,
      Name: `/plexarr_${s}.1.x`,
      Image: image,
      State: { Status: 'running' },
      Config: { Labels: { 'com.docker.swarm.service.name': `plexarr_${s}` } },
      NetworkSettings: {},
    })),
  );
}
