import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Exec } from '../../src/docker/exec.js';

/**
 * Builds the e2e images without a registry: a `FROM scratch` runtime holding node, a real NZBGet,
 * their shared libraries and curl/wget stand-ins; a fakes layer on top; and one tiny image per app,
 * tagged with the exact name the generated compose file uses so it runs unmodified.
 * Each layer is tagged by a hash of its inputs, so a second build in the same engine is a lookup.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const FAKES = join(ROOT, 'test/fakes');
/** The fakes validate requests against the apps' OpenAPI files, vendored in test/contracts. */
const CONTRACTS = resolve(ROOT, 'test/contracts');

/** Where the plex.tv fake listens inside its container; the images point every fake at it. */
export const PLEXTV_ALIAS = 'plextv';
export const PLEXTV_PORT = 32999;
export const PLEXTV_IMAGE = 'plexarr-e2e/plextv:latest';

interface AppImage {
  image: string;
  fake: string;
  /**
   * linuxserver images start as root, chown /config and drop to PUID:PGID; `recyclarr` runs the
   * Recyclarr stand-in (no fake behind it: Recyclarr has no HTTP API).
   */
  init: 'lsio' | 'nzbget' | 'none' | 'recyclarr';
  user?: string;
  healthcheck?: string[];
  port?: number;
}

export const APP_IMAGES: readonly AppImage[] = [
  { image: 'lscr.io/linuxserver/plex:latest', fake: 'plex', init: 'lsio' },
  { image: 'lscr.io/linuxserver/radarr:latest', fake: 'radarr', init: 'lsio' },
  { image: 'lscr.io/linuxserver/sonarr:latest', fake: 'sonarr', init: 'lsio' },
  { image: 'lscr.io/linuxserver/lidarr:latest', fake: 'lidarr', init: 'lsio' },
  { image: 'lscr.io/linuxserver/prowlarr:latest', fake: 'prowlarr', init: 'lsio' },
  { image: 'lscr.io/linuxserver/overseerr:latest', fake: 'overseerr', init: 'lsio' },
  { image: 'lscr.io/linuxserver/nzbget:latest', fake: 'nzbget', init: 'nzbget' },
  // The real Seerr image runs as node (1000:1000) with no PUID/PGID.
  { image: 'ghcr.io/seerr-team/seerr:latest', fake: 'seerr', init: 'none', user: '1000:1000' },
  // The real Maintainerr image ships this HEALTHCHECK (API-NOTES §5).
  {
    image: 'ghcr.io/maintainerr/maintainerr:latest',
    fake: 'maintainerr',
    init: 'none',
    user: '1000:1000',
    healthcheck: ['CMD', '/usr/bin/curl', '-fsS', 'http://127.0.0.1:6246/api/health/ready'],
  },
  { image: PLEXTV_IMAGE, fake: 'plextv', init: 'none', port: PLEXTV_PORT },
  // Recyclarr: `recyclarr sync` is recorded in /config (image/recyclarr.js). The catalog declares
  // no health check for it (nothing in it answers one): it counts as ready once it runs.
  { image: 'ghcr.io/recyclarr/recyclarr:latest', fake: 'recyclarr', init: 'recyclarr' },
];

type Log = (line: string) => void;

async function docker(exec: Exec, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await exec('docker', args, { timeoutMs: opts.timeoutMs ?? 10 * 60_000, input: opts.input, env: { DOCKER_BUILDKIT: '0' } });
  if (r.exitCode !== 0) throw new Error(`docker ${args.slice(0, 4).join(' ')} … failed (exit ${r.exitCode}):\n${r.stderr.slice(-2000)}`);
  return r.stdout;
}

async function imageExists(exec: Exec, tag: string): Promise<boolean> {
  return (await exec('docker', ['image', 'inspect', tag], { timeoutMs: 30_000 })).exitCode === 0;
}

/** Libraries `ldd` lists for a binary, by absolute path (the dynamic loader included). */
async function sharedLibraries(exec: Exec, binary: string): Promise<string[]> {
  const r = await exec('ldd', [binary]);
  if (r.exitCode !== 0) throw new Error(`ldd ${binary} failed: ${r.stderr}`);
  return [...r.stdout.matchAll(/(\/\S+)\s+\(0x/g)].map((m) => m[1] as string);
}

function fileStamp(path: string): string {
  const s = statSync(path);
  return `${path}:${s.size}:${s.mtimeMs}`;
}

function treeFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function hashOf(parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 12);
}

async function buildRuntime(exec: Exec, log: Log): Promise<string> {
  const binaries = ['/usr/bin/node', '/usr/bin/nzbget'];
  const libs = [...new Set((await Promise.all(binaries.map((b) => sharedLibraries(exec, b)))).flat())].sort();
  const scripts = ['curl.js', 'wget.js', 'recyclarr.js', 'lsio-init.js', 'nzbget-init.js'].map((f) => join(HERE, 'image', f));
  const template = '/usr/share/doc/nzbget/examples/nzbget.conf.gz';
  const tag = `plexarr-e2e/runtime:${hashOf([...binaries, ...libs, template].map(fileStamp).concat(scripts.map((f) => readFileSync(f, 'utf8'))))}`;
  if (await imageExists(exec, tag)) return tag;

  const started = Date.now();
  const ctx = mkdtempSync(join(tmpdir(), 'plexarr-e2e-runtime-'));
  try {
    const fs = join(ctx, 'rootfs');
    const put = (from: string, to: string, mode?: number) => {
      mkdirSync(dirname(join(fs, to)), { recursive: true });
      cpSync(from, join(fs, to), { dereference: true, recursive: true });
      if (mode !== undefined) chmodSync(join(fs, to), mode);
    };
    for (const path of [...binaries, ...libs]) put(path, path);
    put('/usr/share/nzbget/webui', '/usr/share/nzbget/webui');
    mkdirSync(join(fs, 'usr/share/nzbget'), { recursive: true });
    writeFileSync(join(fs, 'usr/share/nzbget/nzbget.conf'), gunzipSync(readFileSync(template)));
    put(join(HERE, 'image/curl.js'), '/usr/bin/curl', 0o755);
    put(join(HERE, 'image/wget.js'), '/usr/bin/wget', 0o755);
    put(join(HERE, 'image/recyclarr.js'), '/usr/bin/recyclarr', 0o755);
    put(join(HERE, 'image/lsio-init.js'), '/e2e/lsio-init.js');
    put(join(HERE, 'image/nzbget-init.js'), '/e2e/nzbget-init.js');
    writeFileSync(join(fs, 'e2e/package.json'), '{"type":"module"}\n');
    mkdirSync(join(fs, 'etc'), { recursive: true });
    writeFileSync(join(fs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n');
    writeFileSync(join(fs, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
    writeFileSync(join(fs, 'etc/nsswitch.conf'), 'hosts: files dns\n');
    for (const dir of ['tmp', 'config', 'downloads', 'root']) {
      mkdirSync(join(fs, dir), { recursive: true });
      chmodSync(join(fs, dir), 0o1777);
    }
    writeFileSync(
      join(ctx, 'Dockerfile'),
      [
        'FROM scratch',
        'COPY rootfs/ /',
        'ENV PATH=/usr/bin:/bin HOME=/tmp',
        `ENV PLEXARR_PLEX_TV_URL=http://${PLEXTV_ALIAS}:${PLEXTV_PORT}`,
        '',
      ].join('\n'),
    );
    await docker(exec, ['build', '-q', '-t', tag, ctx]);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
  log(`built ${tag} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return tag;
}

/** npm packages the fakes import (bare specifiers), with their dependency closure. */
function packageClosure(files: string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const pkgJson = join(ROOT, 'node_modules', name, 'package.json');
    if (!existsSync(pkgJson)) return;
    seen.add(name);
    const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep);
  };
  for (const file of files.filter((f) => f.endsWith('.js'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"./][^'"]*)['"]/g)) {
      const spec = m[1] as string;
      if (spec.startsWith('node:')) continue;
      visit(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
    }
  }
  return [...seen].sort();
}

async function buildFakesLayer(exec: Exec, runtime: string, log: Log): Promise<string> {
  const files = treeFiles(FAKES);
  const packages = packageClosure(files);
  const contracts = treeFiles(CONTRACTS);
  const tag = `plexarr-e2e/fakes:${hashOf([runtime, ...packages, ...contracts.map(fileStamp), ...files.map((f) => `${f}\n${readFileSync(f, 'utf8')}`)])}`;
  if (await imageExists(exec, tag)) return tag;
  const ctx = mkdtempSync(join(tmpdir(), 'plexarr-e2e-fakes-'));
  try {
    cpSync(FAKES, join(ctx, 'fakes'), { recursive: true });
    cpSync(CONTRACTS, join(ctx, 'contracts'), { recursive: true });
    writeFileSync(join(ctx, 'package.json'), '{"type":"module"}\n');
    for (const name of packages)
      cpSync(join(ROOT, 'node_modules', name), join(ctx, 'node_modules', name), { recursive: true, dereference: true });
    writeFileSync(
      join(ctx, 'Dockerfile'),
      [
        `FROM ${runtime}`,
        'COPY package.json /package.json',
        'COPY fakes/ /fakes/',
        'COPY contracts/ /contracts/',
        'COPY node_modules/ /node_modules/',
        '',
      ].join('\n'),
    );
    if (packages.length === 0) mkdirSync(join(ctx, 'node_modules'));
    await docker(exec, ['build', '-q', '-t', tag, ctx]);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
  log(`built ${tag} (npm packages: ${packages.join(', ') || 'none'})`);
  return tag;
}

function appDockerfile(from: string, app: AppImage): string {
  const cmd =
    app.init === 'lsio'
      ? ['/usr/bin/node', '/e2e/lsio-init.js', app.fake]
      : app.init === 'nzbget'
        ? ['/usr/bin/node', '/e2e/nzbget-init.js']
        : app.init === 'recyclarr'
          ? ['/usr/bin/recyclarr']
          : ['/usr/bin/node', '/fakes/serve.js', app.fake];
  const lines = [`FROM ${from}`, `LABEL plexarr.e2e.from="${from}"`];
  if (app.port) lines.push(`ENV PORT=${app.port}`);
  if (app.user) lines.push(`USER ${app.user}`);
  if (app.healthcheck) lines.push(`HEALTHCHECK --interval=5s --timeout=5s --retries=20 CMD ${JSON.stringify(app.healthcheck.slice(1))}`);
  lines.push(`CMD ${JSON.stringify(cmd)}`, '');
  return lines.join('\n');
}

/** Builds (or finds) every image the e2e stack needs; returns the names tagged. */
export async function buildE2EImages(exec: Exec, log: Log = () => {}): Promise<string[]> {
  const runtime = await buildRuntime(exec, log);
  const fakes = await buildFakesLayer(exec, runtime, log);
  await Promise.all(
    APP_IMAGES.map(async (app) => {
      const current = await exec('docker', ['image', 'inspect', '--format', '{{index .Config.Labels "plexarr.e2e.from"}}', app.image]);
      if (current.exitCode === 0 && current.stdout.trim() === fakes) return;
      // Never shadow a real image someone pulled into this engine with a test image.
      if (current.exitCode === 0 && !current.stdout.trim().startsWith('plexarr-e2e/')) {
        throw new Error(
          `${app.image} in this engine is a real image, not an e2e build; run the e2e tier on a private engine (unset DOCKER_HOST).`,
        );
      }
      await docker(exec, ['build', '-q', '-t', app.image, '-'], { input: appDockerfile(fakes, app) });
    }),
  );
  return APP_IMAGES.map((a) => a.image);
}
