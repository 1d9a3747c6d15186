import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Secrets, StackConfig } from '../config/schema.js';
import type { FileChange } from '../deploy/changes.js';
import type { PreseedPlan } from './types.js';

/**
 * Overseerr has no API-key variable, so `settings.json` carries `main.apiKey` before its first
 * start (a pre-written file is deep-merged over Overseerr's defaults). Every other service takes
 * its key or login from the environment.
 *
 * A user's existing settings.json is never overwritten: when it already holds a key, plexarr
 * adopts that key instead (returned in `adopt`, to be stored as REQUESTS_API_KEY).
 */
export function overseerrSettings(config: StackConfig, secrets: Secrets, configDir: string): PreseedPlan {
  const plan: PreseedPlan = { changes: [], adopt: {}, notes: [] };
  const key = secrets.REQUESTS_API_KEY;
  if (!key) return plan;
  const path = join(configDir, 'settings.json');
  const owner = { uid: config.puid, gid: config.pgid };
  const write = (content: unknown, what: string): FileChange => ({
    kind: 'write',
    path,
    mode: 0o600,
    owner,
    content: `${JSON.stringify(content, null, 1)}\n`,
    what,
  });

  if (!existsSync(path)) {
    plan.changes.push(write({ main: { apiKey: key } }, 'Overseerr API key'));
    return plan;
  }
  let existing: unknown;
  try {
    existing = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    plan.notes.push(`${path} is not valid JSON; left it alone. Overseerr will not accept plexarr's API key until it is fixed.`);
    return plan;
  }
  if (typeof existing !== 'object' || existing === null || Array.isArray(existing)) {
    plan.notes.push(`${path} does not hold a settings object; left it alone.`);
    return plan;
  }
  const settings = existing as { main?: Record<string, unknown> };
  const current = settings.main?.apiKey;
  if (typeof current === 'string' && current !== '') {
    if (current !== key) {
      plan.adopt.REQUESTS_API_KEY = current;
      plan.notes.push(`Kept the API key already in ${path}; plexarr uses it from now on.`);
    }
    return plan;
  }
  // Without a key Overseerr would generate one plexarr cannot know; add ours, keep everything else.
  plan.changes.push(write({ ...settings, main: { ...settings.main, apiKey: key } }, 'Overseerr API key added to existing settings'));
  return plan;
}
