import { describe, expect, test } from '@jest/globals';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { snapshotDir } from '../helpers/dir-snapshot.js';
import { executedPackages } from '../helpers/executed-packages.mjs';
import { freePortArgs, freePorts } from '../helpers/ports.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const temp = useTempDirs();
const PASSWORD = 'correct-horse-battery';

function envValues(home: string): Record<string, string> {
  const text = readFileSync(join(home, 'generated-config', '.env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^[A-Z0-9_]+=/.test(l))
      .map((l) => {
        const [k, ...v] = l.split('=');
        return [k as string, v.join('=').replace(/^"|"$/g, '').replace(/^'|'$/g, '')];
      }),
  );
}

function storedSecrets(home: string): Record<string, string> {
  const db = new Database(join(home, 'plexarr.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT name, value FROM secrets').all() as { name: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.value]));
  } finally {
    db.close();
  }
}

function configCount(home: string): number {
  const db = new Database(join(home, 'plexarr.db'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM configs').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function listen(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('plexarr init (scripted)', () => {
  test('--yes writes the config, secrets, compose file and .env with private modes', async () => {
    const home = temp.make();
    const { args: ports } = await freePortArgs();
    const r = await runCli(['init', '--yes', '--home', home, '--admin-password', PASSWORD, '--tz', 'Europe/Berlin', ...ports]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const compose = join(home, 'generated-config', 'docker-compose.yml');
    expect(existsSync(compose)).toBe(true);
    expect(statSync(join(home, 'generated-config', '.env')).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'plexarr.db')).mode & 0o777).toBe(0o600);
    expect(configCount(home)).toBe(1);

    const stored = storedSecrets(home);
    expect(stored.ADMIN_PASSWORD).toBe(PASSWORD);
    expect(stored.RADARR_API_KEY).toMatch(/^[0-9a-f]{32}$/);
    expect(envValues(home).RADARR_API_KEY).toBe(stored.RADARR_API_KEY);
    const secrets = Object.values(stored).filter((v) => v.length >= 8);
    expect(secrets.length).toBeGreaterThan(5);
    const composeText = readFileSync(compose, 'utf8');
    for (const secret of secrets) {
      expect(composeText).not.toContain(secret);
      expect(r.stdout).not.toContain(secret);
    }
    expect(composeText).toContain('${RADARR_API_KEY}');
    expect(composeText).toContain('TZ: Europe/Berlin');
    expect(r.stdout).toContain('Next: npx plexarr deploy');
    expect(r.stdout).toContain(`${home}/data`);
  });

  test('a re-run keeps the saved answers and secrets, shows the compose diff and adds a config version', async () => {
    const home = temp.make();
    const { args: ports, ports: chosen } = await freePortArgs();
    expect((await runCli(['init', '--yes', '--home', home, '--media-root', join(home, 'media'), ...ports])).code).toBe(0);
    const before = envValues(home);

    const [radarr] = await freePorts(1);
    const r = await runCli(['init', '--yes', '--home', home, '--port', `radarr=${radarr}`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Changes to docker-compose.yml');
    expect(r.stdout).toMatch(new RegExp(`^-\\s+- "?${chosen.radarr}:7878"?$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^\\+\\s+- "?${radarr}:7878"?$`, 'm'));
    expect(configCount(home)).toBe(2);
    const compose = readFileSync(join(home, 'generated-config', 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`${home}/media:/data`);
    expect(envValues(home)).toEqual(before);

    const same = await runCli(['init', '--yes', '--home', home]);
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('docker-compose.yml stays as it is');
    expect(configCount(home)).toBe(3);
  });

  test('answers file, overridden by flags', async () => {
    const home = temp.make();
    const answers = join(temp.make(), 'answers.yaml');
    writeFileSync(
      answers,
      'services: [plex, radarr, prowlarr, nzbget, npm]\nports:\n  radarr: 17000\ndomain: media.example.org\ntz: Europe/Paris\nnpmEmail: Ops@Media.Example.ORG\n',
    );
    const { args: ports } = await freePortArgs();
    const r = await runCli([
      'init',
      '--yes',
      '--home',
      home,
      ...ports,
      '--config',
      answers,
      '--tz',
      'Asia/Tokyo',
      '--port',
      'npm.https=8443',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const compose = readFileSync(join(home, 'generated-config', 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('TZ: Asia/Tokyo');
    // The flags pin radarr to a free port too, and flags beat the file.
    expect(compose).not.toMatch(/17000:7878/);
    expect(compose).toMatch(/8443:443/);
    // NPM's admin is created through its API: INITIAL_ADMIN_PASSWORD would end up in its log.
    expect(compose).not.toContain('INITIAL_ADMIN');
    // Saved in lower case, as NPM compares it at login.
    expect((await runCli(['credentials', '--home', home])).stdout).toContain('ops@media.example.org');
    expect(compose).not.toContain('sonarr');
  });

  test('without --yes and without a terminal, a missing answer is an error naming the flag', async () => {
    const home = temp.make();
    const r = await runCli(['init', '--home', home, '--media-root', join(home, 'm')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--config-root');
    expect(r.stderr).not.toContain('--media-root,');
    expect(snapshotDir(home)).toEqual({});
  });

  test('a port in use on the host stops --yes, and --force accepts it', async () => {
    const server = await listen();
    try {
      const port = (server.address() as { port: number }).port;
      const home = temp.make();
      const { args: ports } = await freePortArgs();
      const refused = await runCli(['init', '--yes', '--home', home, ...ports, '--port', `radarr=${port}`]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`--port radarr: port ${port}/tcp is in use on this host`);
      expect(refused.stderr).toContain(`(got ${port})`);
      expect(snapshotDir(home)).toEqual({});

      const forced = await runCli(['init', '--yes', '--force', '--home', home, ...ports, '--port', `radarr=${port}`]);
      expect(forced.code).toBe(0);
      expect(forced.stderr).toContain('continuing because of --force');
      expect(readFileSync(join(home, 'generated-config', 'docker-compose.yml'), 'utf8')).toContain(`${port}:7878`);
    } finally {
      server.close();
    }
  });

  test('Ctrl-C (SIGINT) before the review exits 130 and writes nothing', async () => {
    // A busy port makes init ask docker which ports are its own; a fake docker that never answers
    // holds init there, mid-run and with nothing written, while the test interrupts it.
    const server = await listen();
    const bin = temp.make();
    const marker = join(bin, 'docker-was-asked');
    writeFileSync(join(bin, 'docker'), `#!/bin/sh\ntouch '${marker}'\nexec sleep 5\n`, { mode: 0o755 });
    const home = temp.make();
    const { args: ports } = await freePortArgs();
    const port = (server.address() as { port: number }).port;
    const child = spawn(process.execPath, [BIN, 'init', '--yes', '--home', home, ...ports, '--port', `radarr=${port}`], {
      env: { ...process.env, CI: 'true', NO_COLOR: '1', NODE_OPTIONS: '', PATH: `${bin}:${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      for (let i = 0; i < 300 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(marker)).toBe(true);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toContain('Cancelled, nothing was written.');
      expect(snapshotDir(home)).toEqual({});
    } finally {
      child.kill('SIGKILL');
      server.close();
    }
  });

  test('--json prints only the result', async () => {
    const home = temp.make();
    const { args: ports } = await freePortArgs();
    const r = await runCli(['init', '--yes', '--json', '--home', home, ...ports]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { home: string; configId: number; files: { composeFile: string } };
    expect(result).toMatchObject({ home, configId: 1 });
    expect(existsSync(result.files.composeFile)).toBe(true);
  });

  test('PLEXARR_HOME picks the home when --home is absent', async () => {
    const home = temp.make();
    const { args: ports } = await freePortArgs();
    const r = await runCli(['init', '--yes', ...ports], { env: { PLEXARR_HOME: home } });
    expect(r.code).toBe(0);
    expect(existsSync(join(home, 'plexarr.db'))).toBe(true);
  });
});

describe('plexarr (program)', () => {
  test('--help lists every command of the contract', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const name of ['init', 'deploy', 'coordinate', 'status', 'doctor', 'down', 'credentials'])
      expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  test('--help loads none of the heavy modules; init --yes none of the network/task/process ones', async () => {
    const dir = temp.make();
    const loaded = async (args: string[], name: string) => {
      const coverage = join(dir, name);
      const r = await runCli(args, { env: { NODE_V8_COVERAGE: coverage } });
      expect(r.code).toBe(0);
      // A package counts once code of its own ran, bundled in dist/ or not (V8's coverage says which).
      const packages = executedPackages(coverage);
      return (pkgs: string[]) => pkgs.filter((p) => packages.has(p));
    };
    const help = await loaded(['--help'], 'help');
    expect(help(['commander'])).toEqual(['commander']);
    expect(help(['got', 'listr2', 'execa', 'better-sqlite3', '@inquirer/prompts', 'zod', 'yaml'])).toEqual([]);
    const { args: ports } = await freePortArgs();
    const init = await loaded(['init', '--yes', '--home', join(dir, 'home'), ...ports], 'init');
    expect(init(['zod', 'better-sqlite3'])).toEqual(['zod', 'better-sqlite3']);
    expect(init(['got', 'listr2', 'execa', '@inquirer/prompts'])).toEqual([]);
  });

  test('init --help shows a flag for every question and examples', async () => {
    const r = await runCli(['init', '--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--media-root',
      '--config-root',
      '--puid',
      '--pgid',
      '--tz',
      '--host-address',
      '--services',
      '--port',
      '--request-manager',
      '--admin-user',
      '--admin-password',
      '--plex-token',
      '--wireguard-peers',
      '--wireguard-server-url',
      '--npm-email',
      '--domain',
      '--config',
      '--yes',
      '--force',
      '--home',
    ]) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toContain('Examples:');
  });

  test('an old Node is refused with a clear message before anything loads', async () => {
    const pretend = (v: string) => {
      const code = `Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '${v}' } }); Object.defineProperty(process, 'version', { value: 'v${v}' });`;
      return `--import=data:text/javascript,${encodeURIComponent(code)}`;
    };
    const old = await runCli(['--help'], { env: { NODE_OPTIONS: pretend('20.11.1') } });
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('plexarr needs Node.js 20.12 or newer; this is v20.11.1');
    expect(old.stdout).toBe('');
    expect((await runCli(['--help'], { env: { NODE_OPTIONS: pretend('20.12.0') } })).code).toBe(0);
  });

  test('an unknown command or flag is exit 2', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2);
    const r = await runCli(['status', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
  });
});
