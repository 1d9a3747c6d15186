import { statfsSync } from 'node:fs';
import { nearestExisting } from './paths.js';
import { GiB, formatBytes, worst, type CheckResult, type ConfiguredContext } from './types.js';

/**
 * Free space where the data will live. Downloads unpack on the media root, so it needs room for
 * a few releases; the config root holds databases and Plex metadata.
 */
const LIMITS = [
  { name: 'media root', key: 'mediaRoot', fail: 1 * GiB, warn: 20 * GiB },
  { name: 'config root', key: 'configRoot', fail: 0.5 * GiB, warn: 2 * GiB },
] as const;

export async function diskSpace(ctx: Pick<ConfiguredContext, 'config'>): Promise<CheckResult> {
  const parts = LIMITS.map((l) => {
    const dir = nearestExisting(ctx.config[l.key]);
    const st = statfsSync(dir);
    const free = Number(st.bavail) * Number(st.bsize);
    const status = free < l.fail ? 'fail' : free < l.warn ? 'warn' : 'ok';
    return { status, text: `${l.name} ${dir}: ${formatBytes(free)} free`, limit: l } as const;
  });
  const status = worst(parts.map((p) => p.status));
  const result: CheckResult = { id: 'disk', status, message: parts.map((p) => p.text).join('; ') };
  if (status !== 'ok') {
    const low = parts.filter((p) => p.status !== 'ok').map((p) => `${p.limit.name} (${formatBytes(p.limit.warn)} recommended)`);
    result.fix = `Free space on, or move, the ${low.join(' and ')}.`;
  }
  return result;
}
