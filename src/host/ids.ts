import { statSync } from 'node:fs';

/**
 * The user and group the containers should run as. Under `sudo` the process is root, but the
 * files belong to the person who typed the command, so SUDO_UID/SUDO_GID win. In a plain root
 * shell the process's own ids (0/0) say nothing about who should own the media: `root` marks
 * that, so the wizard looks at the media root's owner or asks instead of offering root.
 */
export interface HostIds {
  puid: number;
  pgid: number;
  /** The ids are root's only because this process is root without sudo. */
  root: boolean;
}

export function detectIds(
  env: NodeJS.ProcessEnv = process.env,
  own = { uid: process.getuid?.() ?? 1000, gid: process.getgid?.() ?? 1000 },
): HostIds {
  const puid = fromEnv(env.SUDO_UID) ?? own.uid;
  const pgid = fromEnv(env.SUDO_GID) ?? own.gid;
  return { puid, pgid, root: puid === 0 && fromEnv(env.SUDO_UID) === undefined };
}

/** The owner of an existing folder, unless that is root (which is no better a guess). */
export function ownerIds(path: string): { puid: number; pgid: number } | undefined {
  try {
    const st = statSync(path);
    return st.uid === 0 ? undefined : { puid: st.uid, pgid: st.gid };
  } catch {
    return undefined;
  }
}

/** What PUID or PGID 0 means, said wherever it is chosen or shown (wizard, review, doctor). */
export const ROOT_IDS_NOTE = '0 is root: the apps would run as root and write root-owned media and configs';

function fromEnv(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
