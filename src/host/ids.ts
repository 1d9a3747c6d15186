/**
 * The user and group the containers should run as. Under `sudo` the process is root, but the
 * files belong to the person who typed the command, so SUDO_UID/SUDO_GID win.
 */
export interface HostIds {
  puid: number;
  pgid: number;
}

export function detectIds(env: NodeJS.ProcessEnv = process.env): HostIds {
  return {
    puid: fromEnv(env.SUDO_UID) ?? process.getuid?.() ?? 1000,
    pgid: fromEnv(env.SUDO_GID) ?? process.getgid?.() ?? 1000,
  };
}

function fromEnv(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
