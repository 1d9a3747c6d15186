import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { interpolate, parseEnvFile } from './compose-read.js';
import { PREFERENCES_RELATIVE } from './plex.js';
import { startPlexTv } from './plextv.js';
import { freePort } from './core/index.js';
import { startStack } from './run.js';
import { cleanupAfterEach } from './cleanup.js';

const { closers, dirs } = cleanupAfterEach();

const OWNER = 'owner-token-123456789';
const SEERR_KEY = 'c0ffee00c0ffee00c0ffee00c0ffee00';

/** A small stack in the generated file's shape: map env, short volumes, "host:internal" ports. */
async function fixture(extraEnv = '') {
  const home = mkdtempSync(join(tmpdir(), 'plexarr-run-'));
  dirs.push(home);
  const configRoot = join(home, 'config');
  const mediaRoot = join(home, 'media');
  for (const d of ['media/movies', 'media/tv', 'downloads/movies']) mkdirSync(join(mediaRoot, d), { recursive: true });
  const [plexPort, seerrPort, maintPort] = [await freePort(), await freePort(), await freePort()];
  const compose = `services:
  plex:
    image: "lscr.io/linuxserver/plex:latest"
    container_name: "plex"
    environment:
      PUID: "1000"
      VERSION: docker
      PLEX_CLAIM: \${PLEX_CLAIM}
    volumes:
      - "${configRoot}/plex:/config"
      - "${mediaRoot}:/data"
    ports:
      - "${plexPort}:32400"
  seerr:
    image: "ghcr.io/seerr-team/seerr:latest"
    container_name: "seerr"
    init: true
    environment:
      API_KEY: \${REQUESTS_API_KEY}
      TZ: \${TZ:-Etc/UTC}
      PORT: "5055"
    volumes:
      - "./config/seerr:/app/config"
    ports:
      - "${seerrPort}:5055"
  maintainerr:
    image: "ghcr.io/maintainerr/maintainerr:latest"
    container_name: "maintainerr"
    environment:
      - TZ=Etc/UTC
    volumes:
      - type: bind
        source: "${configRoot}/maintainerr"
        target: /opt/data
    ports:
      - "${maintPort}:6246"
  wireguard:
    image: "lscr.io/linuxserver/wireguard:latest"
    container_name: "wireguard"
    ports:
      - "51820:51820/udp"
`;
  const composeFile = join(home, 'docker-compose.yml');
  writeFileSync(composeFile, compose);
  const envFile = join(home, '.env');
  writeFileSync(envFile, `# secrets\nREQUESTS_API_KEY=${SEERR_KEY}\nPLEX_TOKEN=${OWNER}\n${extraEnv}`);
  return { home, composeFile, envFile, configRoot, mediaRoot, ports: { plexPort, seerrPort, maintPort } };
}

describe('compose interpolation', () => {
  it('reads .env files and interpolates like Compose', () => {
    const vars = parseEnvFile('# c\nA=1\nexport B="two words"\nC=\'$lit\'\nD=x # note\nE=\n');
    expect(vars).toEqual({ A: '1', B: 'two words', C: '$lit', D: 'x', E: '' });
    expect(interpolate('${A}-$A-${B:-d}-${E:-d}-${E-d}-${Z-d}-$$A-${Z:+alt}${A:+alt}', vars)).toBe('1-1-two words-d--d-$A-alt');
    expect(() => interpolate('${Z:?must be set}', vars)).toThrow(/Z/);
  });
});

describe('run.js stack runner', () => {
  it('starts each service from the compose file + .env, with config dirs, path maps and name resolution', async () => {
    const f = await fixture();
    const tv = await startPlexTv();
    closers.push(() => tv.close());
    tv.addAccount({ username: 'owner', token: OWNER });
    const claim = (
      (await (await fetch(`${tv.url}/api/claim/token.json`, { headers: { 'X-Plex-Token': OWNER } })).json()) as { token: string }
    ).token;
    writeFileSync(f.envFile, `${readFileSync(f.envFile, 'utf8')}PLEX_CLAIM=${claim}\n`);

    const stack = await startStack({ composeFile: f.composeFile, envFile: f.envFile, env: {}, plexTv: tv });
    closers.push(() => stack.close());
    expect([...stack.services.keys()]).toEqual(['plex', 'seerr', 'maintainerr']);
    expect(stack.skipped).toEqual([{ service: 'wireguard', reason: 'wireguard is not faked (no HTTP API)' }]);
    expect(stack.services.get('seerr')?.url).toBe(`http://127.0.0.1:${f.ports.seerrPort}`);
    expect(stack.resolve('http://plex:32400/identity')).toBe(`http://127.0.0.1:${f.ports.plexPort}/identity`);
    expect(stack.resolve('http://elsewhere:80/x')).toBe('http://127.0.0.1:9/x');

    // Plex claimed itself with PLEX_CLAIM from .env, in the bind-mounted config dir.
    expect(readFileSync(join(f.configRoot, 'plex', PREFERENCES_RELATIVE), 'utf8')).toContain('PlexOnlineToken=');
    // Seerr took API_KEY=${REQUESTS_API_KEY} and wrote settings.json into ./config/seerr (relative to the file).
    expect(JSON.parse(readFileSync(join(f.configRoot, 'seerr', 'settings.json'), 'utf8')).main.apiKey).toBe(SEERR_KEY);
    expect(existsSync(join(f.configRoot, 'maintainerr', 'maintainerr-fake.json'))).toBe(true);

    // Plex sees the media root at /data.
    const plexUrl = stack.services.get('plex')?.url;
    const created = await fetch(
      `${plexUrl}/library/sections?${new URLSearchParams({ name: 'Movies', type: 'movie', agent: 'tv.plex.agents.movie', scanner: 'Plex Movie', language: 'en-US', location: '/data/media/movies' })}`,
      { method: 'POST', headers: { 'X-Plex-Token': OWNER } },
    );
    expect(created.status).toBe(200);

    // Seerr reaches Plex as http://plex:32400 (container name), with PLEX_TOKEN's account.
    const seerr = stack.services.get('seerr')?.url;
    const post = (path: string, body: unknown) =>
      fetch(`${seerr}/api/v1${path}`, {
        method: 'POST',
        headers: { 'X-Api-Key': SEERR_KEY, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/auth/plex', { authToken: OWNER })).status).toBe(200);
    const plexSettings = await post('/settings/plex', { ip: 'plex', port: 32400, useSsl: false });
    expect(plexSettings.status).toBe(200);

    // Maintainerr reaches Seerr as http://seerr:5055.
    const m = stack.services.get('maintainerr')?.url;
    await fetch(`${m}/api/settings/seerr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://seerr:5055', api_key: SEERR_KEY }),
    });
    const test = await fetch(`${m}/api/settings/test/seerr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://seerr:5055', api_key: SEERR_KEY }),
    });
    expect(await test.json()).toEqual({ status: 'OK', code: 1, message: '3.1.0' });
    // Inside the maintainerr container, localhost is maintainerr itself, not Seerr's published port.
    const viaLocalhost = await fetch(`${m}/api/settings/test/seerr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://localhost:5055`, api_key: SEERR_KEY }),
    });
    expect(((await viaLocalhost.json()) as { code: number }).code).toBe(0);
    const self = await fetch(`${m}/api/settings/test/seerr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://localhost:6246`, api_key: SEERR_KEY }),
    });
    expect(((await self.json()) as { message: string }).message).toMatch(/unexpected response/);
  });

  it('runs as a command: one JSON line per service, then stops cleanly on SIGTERM', async () => {
    const f = await fixture();
    const plexTvPort = await freePort();
    const child = spawn(
      process.execPath,
      ['test/fakes/run.js', '--compose', f.composeFile, '--env-file', f.envFile, '--plex-tv-port', String(plexTvPort), '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    closers.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });
    const lines: Record<string, unknown>[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      lines.push(parsed);
      if (parsed.ready) break;
    }
    expect(lines).toEqual([
      { service: 'plex.tv', url: `http://127.0.0.1:${plexTvPort}` },
      { service: 'plex', url: `http://127.0.0.1:${f.ports.plexPort}` },
      { service: 'seerr', url: `http://127.0.0.1:${f.ports.seerrPort}` },
      { service: 'maintainerr', url: `http://127.0.0.1:${f.ports.maintPort}` },
      { service: 'wireguard', skipped: 'wireguard is not faked (no HTTP API)' },
      { ready: true },
    ]);
    // The .env's PLEX_TOKEN is a known plex.tv account; Plex stayed unclaimed (no PLEX_CLAIM).
    const me = await fetch(`http://127.0.0.1:${plexTvPort}/api/v2/user`, {
      headers: { 'X-Plex-Token': OWNER, accept: 'application/json' },
    });
    expect(me.status).toBe(200);
    const identity = await fetch(`http://127.0.0.1:${f.ports.plexPort}/identity`, { headers: { accept: 'application/json' } });
    expect(((await identity.json()) as { MediaContainer: { claimed: boolean } }).MediaContainer.claimed).toBe(false);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${f.ports.seerrPort}/api/v1/status`)).rejects.toThrow();
  });

  it('serve.js runs one fake as a process: the real port by default, PORT or --port to move it', async () => {
    const configDir = mkdtempSync(join(tmpdir(), 'plexarr-serve-'));
    dirs.push(configDir);
    const port = await freePort();
    const child = spawn(process.execPath, ['test/fakes/serve.js', 'overseerr', '--host', '127.0.0.1', '--config-dir', configDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORT: String(port) },
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    closers.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });
    const lines = createInterface({ input: child.stdout });
    const first = (await lines[Symbol.asyncIterator]().next()).value as string | undefined;
    expect(JSON.parse(first ?? '')).toEqual({ service: 'overseerr', url: `http://127.0.0.1:${port}` });
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/status`)).status).toBe(200);
    expect(existsSync(join(configDir, 'settings.json'))).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
