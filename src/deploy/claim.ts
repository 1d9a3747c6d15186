import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configDir, containerName } from '../catalog/index.js';
import type { Secrets, StackConfig } from '../config/schema.js';
import { plexarrCommand } from '../ui/invocation.js';

/**
 * Plex claim: with the user's plex.tv token, deploy asks plex.tv for a claim token right before
 * `up` (claims expire about 4 minutes after they are issued) and hands it to the container through
 * `.env`. The container only consumes it while its Preferences.xml has no PlexOnlineToken, so an
 * already-claimed server gets no new claim — which also keeps `.env` (and so the container) unchanged.
 */

export const PREFERENCES_RELATIVE = 'Library/Application Support/Plex Media Server/Preferences.xml';

export type ClaimDecision = { needed: true } | { needed: false; reason: string };

export function claimDecision(config: StackConfig, secrets: Secrets): ClaimDecision {
  if (!config.services.plex.enabled) return { needed: false, reason: 'Plex is not enabled' };
  if (!secrets.PLEX_TOKEN)
    return {
      needed: false,
      reason: `no Plex account token (give one with \`${plexarrCommand('init --plex-token')}\` to claim the server)`,
    };
  const prefs = join(configDir(config, containerName('plex', config)), PREFERENCES_RELATIVE);
  if (existsSync(prefs) && /\sPlexOnlineToken="[^"]+"/.test(readFileSync(prefs, 'utf8'))) {
    return { needed: false, reason: 'the Plex server is already claimed' };
  }
  return { needed: true };
}

/** Sets one `NAME=value` line of a `.env` text, keeping every other line as it is. */
export function setEnvLine(text: string, name: string, value: string): string {
  const line = `${name}=${value}`;
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`${name}=`));
  if (at >= 0) lines[at] = line;
  else {
    const end = lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
    lines.splice(end, 0, line);
  }
  return lines.join('\n');
}
