import { detectCompose } from '../docker/compose.js';
import type { CheckResult, DoctorContext } from './types.js';

/** Compose v2 (`docker compose`) or v1 (`docker-compose`): plexarr drives both the same way. */
export async function composeAvailable(ctx: Pick<DoctorContext, 'exec'>): Promise<CheckResult> {
  try {
    const compose = await detectCompose(ctx.exec);
    const how = compose.command.join(' ');
    return { id: 'compose', status: 'ok', message: `Compose ${compose.kind} ${compose.version} (\`${how}\`)` };
  } catch (e) {
    return {
      id: 'compose',
      status: 'fail',
      message: (e as Error).message,
      fix: 'Install the Compose v2 plugin (`sudo apt-get install docker-compose-plugin`) or Compose v1 (`sudo apt-get install docker-compose`).',
    };
  }
}
