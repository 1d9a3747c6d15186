import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotDir } from '../helpers/dir-snapshot.js';
import { executedPackages } from '../helpers/executed-packages.mjs';
import { freePortArgs } from '../helpers/ports.js';
import { runCli } from '../helpers/run-cli.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { fakeDockerEnv } from '../unit/status-helpers.js';

const temp = useTempDirs('plexarr-cli-day2-');

async function initHome(): Promise<string> {
  const home = temp.make();
  const { args } = await freePortArgs();
  const r = await runCli(['init', '--yes', '--home', home, ...args]);
  expect(r.code).toBe(0);
  return home;
}

/** The values in `.env`: none may appear in what backup or restore print. */
function envSecrets(home: string): string[] {
  return readFileSync(join(home, 'generated-config', '.env'), 'utf8')
    .split('\n')
    .map((l) =>
      l
        .split('=')
        .slice(1)
        .join('=')
        .replace(/^['"]|['"]$/g, ''),
    )
    .filter((v) => v.length >= 8);
}

describe('plexarr day-two commands (spawned)', () => {
  test('--help lists uninstall, backup, restore and update, each with examples, and stays light', async () => {
    const r = await runCli(['--help']);
    for (const name of ['uninstall', 'backup', 'restore', 'update']) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    for (const name of ['uninstall', 'backup', 'restore', 'update']) {
      const dir = temp.make();
      const h = await runCli([name, '--help'], { env: { NODE_V8_COVERAGE: dir } });
      expect(h.code).toBe(0);
      expect(h.stdout).toContain('Examples:');
      const ran = executedPackages(dir);
      expect(['better-sqlite3', 'zod', 'execa', '@inquirer/prompts'].filter((p) => ran.has(p))).toEqual([]);
      expect(ran.has('commander')).toBe(true);
    }
  });

  test('uninstall --purge-config without a terminal and without --yes: exit 2 naming --yes, nothing touched', async () => {
    const home = await initHome();
    const before = snapshotDir(home);
    const r = await runCli(['uninstall', '--purge-config', '--home', home], { env: fakeDockerEnv('healthy', 'v2-ndjson') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(snapshotDir(home)).toEqual(before);
  });

  test('backup --json then restore into an empty home; a second restore there needs --force', async () => {
    const home = await initHome();
    const env = fakeDockerEnv('healthy', 'v2-ndjson', { FAKE_DOCKER_DAEMON: 'down' });
    const file = join(temp.make(), 'b.tar.gz');
    const b = await runCli(['backup', '--home', home, '--output', file, '--json'], { env });
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({ ok: true, file, holdsSecrets: true, encrypted: false });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    for (const secret of envSecrets(home)) expect(b.stdout + b.stderr).not.toContain(secret);

    const target = join(temp.make(), 'home');
    const r = await runCli(['restore', file, '--home', target], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Restored configuration #1');
    expect(readFileSync(join(target, 'generated-config', '.env'), 'utf8')).toBe(
      readFileSync(join(home, 'generated-config', '.env'), 'utf8'),
    );
    for (const secret of envSecrets(home)) expect(r.stdout + r.stderr).not.toContain(secret);

    const again = await runCli(['restore', file, '--home', target], { env });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
    expect(existsSync(join(target, 'plexarr.db'))).toBe(true);
  });
});
