import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DOWNLOADS_ROOT, LIBRARY_ROOT } from '../catalog/index.js';
import { safeJson } from '../docker/docker.js';
import { ROOT_IDS_NOTE } from '../host/ids.js';
import { plexarrCommand } from '../ui/invocation.js';
import type { CheckResult, ConfiguredContext } from './types.js';

/**
 * The containers run as PUID:PGID and must write the media and config roots. As root we prove it
 * with a real write from a child process that switches to PUID:PGID (this sees ACLs, read-only
 * mounts and parent directories the mode bits do not show). As anyone else we cannot switch user,
 * so we read the mode bits and ownership of each folder for that uid/gid.
 */
type Ctx = Pick<ConfiguredContext, 'config' | 'exec' | 'uid' | 'nodePath'>;

interface Verdict {
  dir: string;
  writable: boolean;
  why?: string;
}

export async function rootsWritable(ctx: Ctx): Promise<CheckResult> {
  const result = await writable(ctx);
  const { puid, pgid } = ctx.config;
  if (result.status !== 'ok' || (puid !== 0 && pgid !== 0)) return result;
  // Root can write anything, so the check passes; running the apps as root is allowed but rarely meant.
  return {
    ...result,
    status: 'warn',
    message: `${result.message}; PUID/PGID ${puid}/${pgid} — ${ROOT_IDS_NOTE}`,
    fix: `Choose the user who should own the media: \`${plexarrCommand('init --puid <uid> --pgid <gid>')}\` (\`id <name>\` shows them).`,
  };
}

async function writable(ctx: Ctx): Promise<CheckResult> {
  const id = 'permissions';
  const { mediaRoot, configRoot, puid, pgid } = ctx.config;
  const dirs = [mediaRoot, join(mediaRoot, LIBRARY_ROOT), join(mediaRoot, DOWNLOADS_ROOT), configRoot].filter((d) => existsSync(d));
  if (dirs.length === 0) {
    return { id, status: 'ok', message: `${mediaRoot} and ${configRoot} do not exist yet; deploy creates them owned by ${puid}:${pgid}` };
  }
  const verdicts = ctx.uid === 0 && puid !== 0 ? await probeAsUser(ctx, dirs) : dirs.map((dir) => byModeBits(dir, puid, pgid));
  const denied = verdicts.filter((v) => !v.writable);
  const how = ctx.uid === 0 && puid !== 0 ? 'a test write' : 'mode bits';
  if (denied.length === 0) return { id, status: 'ok', message: `${puid}:${pgid} can write ${dirs.join(', ')} (checked by ${how})` };
  return {
    id,
    status: 'fail',
    message: `${puid}:${pgid} cannot write ${denied.map((v) => `${v.dir}${v.why ? ` (${v.why})` : ''}`).join(', ')} (checked by ${how})`,
    fix: `Give the folders to that user: \`sudo chown -R ${puid}:${pgid} ${denied.map((v) => v.dir).join(' ')}\` (or choose another PUID/PGID with \`${plexarrCommand('init')}\`).`,
  };
}

/** Owner, then group, then other: the first class that matches decides, as the kernel does. */
function byModeBits(dir: string, uid: number, gid: number): Verdict {
  const st = statSync(dir);
  if (uid === 0) return { dir, writable: true };
  const [w, x] = st.uid === uid ? [0o200, 0o100] : st.gid === gid ? [0o020, 0o010] : [0o002, 0o001];
  const writable = (st.mode & w) !== 0 && (st.mode & x) !== 0;
  return writable
    ? { dir, writable }
    : { dir, writable, why: `owner ${st.uid}:${st.gid}, mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}` };
}

/** Runs in a child so that switching user never touches this process. */
const PROBE = `
const fs = require('node:fs'), path = require('node:path');
const [uid, gid, ...dirs] = process.argv.slice(1);
process.setgroups([Number(gid)]); process.setgid(Number(gid)); process.setuid(Number(uid));
console.log(JSON.stringify(dirs.map((dir) => {
  const file = path.join(dir, '.plexarr-doctor-write-' + process.pid);
  try { fs.writeFileSync(file, ''); fs.unlinkSync(file); return { dir, writable: true }; }
  catch (e) { return { dir, writable: false, why: e.code || e.message }; }
})));`;

async function probeAsUser(ctx: Ctx, dirs: string[]): Promise<Verdict[]> {
  const { puid, pgid } = ctx.config;
  const r = await ctx.exec(ctx.nodePath, ['-e', PROBE, String(puid), String(pgid), ...dirs], { timeoutMs: 15_000 });
  const parsed = safeJson(r.stdout);
  if (r.exitCode === 0 && Array.isArray(parsed)) return parsed as Verdict[];
  return dirs.map((dir) => byModeBits(dir, puid, pgid));
}
