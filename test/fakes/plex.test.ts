import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREFERENCES_RELATIVE, startPlex } from './plex.js';
import { CLAIM_TTL_MS, startPlexTv } from './plextv.js';
import { cleanupAfterEach } from './cleanup.js';

const { closers, dirs } = cleanupAfterEach();

const OWNER = 'owner-token-123456789';

async function setup(opts: { claim?: 'fresh' | 'expired' | 'none'; prefs?: string } = {}) {
  const tv = await startPlexTv({
    accounts: [
      { username: 'owner', token: OWNER },
      { username: 'stranger', token: 'stranger-token-12345' },
    ],
  });
  closers.push(() => tv.close());
  const root = mkdtempSync(join(tmpdir(), 'plexarr-plex-'));
  dirs.push(root);
  const configDir = join(root, 'config');
  const media = join(root, 'media');
  mkdirSync(join(media, 'media', 'movies'), { recursive: true });
  mkdirSync(join(media, 'media', 'tv'), { recursive: true });
  if (opts.prefs !== undefined) {
    mkdirSync(join(configDir, PREFERENCES_RELATIVE, '..'), { recursive: true });
    writeFileSync(join(configDir, PREFERENCES_RELATIVE), opts.prefs);
  }
  let claimToken = '';
  if (opts.claim !== 'none') {
    const res = await fetch(`${tv.url}/api/claim/token.json`, { headers: { 'X-Plex-Token': OWNER } });
    claimToken = ((await res.json()) as { token: string }).token;
    if (opts.claim === 'expired') tv.clock.advance(CLAIM_TTL_MS + 1000);
  }
  const plex = await startPlex({
    env: claimToken ? { PLEX_CLAIM: claimToken } : {},
    configDir,
    plexTvUrl: tv.url,
    pathMap: (p: string) => (p === '/data' || p.startsWith('/data/') ? join(media, p.slice('/data'.length)) : undefined),
  });
  closers.push(() => plex.close());
  return { tv, plex, configDir };
}

const prefsOf = (configDir: string) => readFileSync(join(configDir, PREFERENCES_RELATIVE), 'utf8');
const serverToken = (configDir: string) => /PlexOnlineToken="([^"]+)"/.exec(prefsOf(configDir))?.[1] ?? '';

describe('Plex fake', () => {
  it('claims itself on start with PLEX_CLAIM and stores the token in Preferences.xml', async () => {
    const { plex, configDir, tv } = await setup();
    const token = serverToken(configDir);
    expect(token).toMatch(/^[\w-]{20}$/);
    expect(prefsOf(configDir)).toMatch(/ProcessedMachineIdentifier="[0-9a-f]{40}"/);
    const identity = await fetch(`${plex.url}/identity`, { headers: { accept: 'application/json' } });
    const mc = ((await identity.json()) as { MediaContainer: { claimed: boolean; machineIdentifier: string; version: string } })
      .MediaContainer;
    expect(mc.claimed).toBe(true);
    expect(tv.state.servers[0]?.clientIdentifier).toBe(mc.machineIdentifier);
    expect((await fetch(`${plex.url}/identity`, { method: 'HEAD' })).status).toBe(200);
    const xml = await (await fetch(`${plex.url}/identity`)).text();
    expect(xml).toContain('claimed="1"');
  });

  it('stays unclaimed (and only records why) when the claim has expired', async () => {
    const { plex, configDir } = await setup({ claim: 'expired' });
    expect(plex.state.claim).toMatchObject({ attempted: true, ok: false });
    expect(prefsOf(configDir)).not.toContain('PlexOnlineToken');
    const identity = await fetch(`${plex.url}/identity`, { headers: { accept: 'application/json' } });
    expect(((await identity.json()) as { MediaContainer: { claimed: boolean } }).MediaContainer.claimed).toBe(false);
    expect((await fetch(`${plex.url}/library/sections`, { headers: { 'X-Plex-Token': OWNER } })).status).toBe(401);
  });

  it('ignores PLEX_CLAIM when Preferences.xml already has a PlexOnlineToken', async () => {
    const prefs =
      '<?xml version="1.0" encoding="utf-8"?>\n<Preferences MachineIdentifier="m-1" ProcessedMachineIdentifier="p-1" PlexOnlineToken="kept-token"/>\n';
    const { plex, tv, configDir } = await setup({ prefs });
    expect(tv.log.filter((e) => e.path === '/api/claim/exchange')).toHaveLength(0);
    expect(plex.state.claim.attempted).toBe(false);
    expect(serverToken(configDir)).toBe('kept-token');
  });

  it('accepts the server token and the owner account token, by header or query, and nothing else', async () => {
    const { plex, configDir } = await setup();
    const get = (headers: Record<string, string>, q = '') => fetch(`${plex.url}/library/sections${q}`, { headers });
    expect((await get({ 'X-Plex-Token': serverToken(configDir) })).status).toBe(200);
    expect((await get({}, `?X-Plex-Token=${serverToken(configDir)}`)).status).toBe(200);
    expect((await get({ 'X-Plex-Token': OWNER })).status).toBe(200);
    expect((await get({ 'X-Plex-Token': 'stranger-token-12345' })).status).toBe(401);
    expect((await get({})).status).toBe(401);
    const root = await fetch(`${plex.url}/`, { headers: { 'X-Plex-Token': OWNER, accept: 'application/json' } });
    expect(((await root.json()) as { MediaContainer: { friendlyName: string } }).MediaContainer.friendlyName).toBe('plex');
  });

  it('creates libraries only with the real agent/scanner pair and an existing location', async () => {
    const { plex, configDir, tv: plexTv } = await setup();
    const tvUrl = plexTv.url;
    const headers = { 'X-Plex-Token': OWNER, accept: 'application/json' };
    const create = (q: Record<string, string>) =>
      fetch(`${plex.url}/library/sections?${new URLSearchParams(q)}`, { method: 'POST', headers });
    const movies = {
      name: 'Movies',
      type: 'movie',
      agent: 'tv.plex.agents.movie',
      scanner: 'Plex Movie',
      language: 'en-US',
      location: '/data/media/movies',
    };

    expect((await create({ ...movies, agent: 'tv.plex.agents.series' })).status).toBe(400);
    expect((await create({ ...movies, scanner: 'Plex Movie Scanner' })).status).toBe(400);
    expect((await create({ ...movies, location: '/data/media/films' })).status).toBe(400);
    expect((await create({ ...movies, location: '/movies' })).status).toBe(400);
    expect((await create({ ...movies, type: 'movies' })).status).toBe(400);
    expect(plex.state.sections).toHaveLength(0);

    expect((await create(movies)).status).toBe(200);
    const tv = await create({
      name: 'TV Shows',
      type: 'show',
      agent: 'tv.plex.agents.series',
      scanner: 'Plex TV Series',
      language: 'en-US',
      location: '/data/media/tv',
    });
    expect(tv.status).toBe(200);

    const list = await fetch(`${plex.url}/library/sections`, { headers });
    const dirs = (
      (await list.json()) as {
        MediaContainer: {
          Directory: {
            key: string;
            type: string;
            title: string;
            agent: string;
            scanner: string;
            language: string;
            Location: { path: string }[];
          }[];
        };
      }
    ).MediaContainer.Directory;
    expect(dirs.map((d) => [d.key, d.type, d.title, d.agent, d.scanner, d.language, d.Location[0]?.path])).toEqual([
      ['1', 'movie', 'Movies', 'tv.plex.agents.movie', 'Plex Movie', 'en-US', '/data/media/movies'],
      ['2', 'show', 'TV Shows', 'tv.plex.agents.series', 'Plex TV Series', 'en-US', '/data/media/tv'],
    ]);
    const xml = await (await fetch(`${plex.url}/library/sections`, { headers: { 'X-Plex-Token': OWNER } })).text();
    expect(xml).toContain('<Location id="100" path="/data/media/movies" />');

    expect((await fetch(`${plex.url}/library/sections/2/refresh`, { headers })).status).toBe(200);
    expect((await fetch(`${plex.url}/library/sections/all/refresh`, { headers })).status).toBe(200);
    expect((await fetch(`${plex.url}/library/sections/9/refresh`, { headers })).status).toBe(404);
    expect(plex.state.refreshes).toEqual(['2', 'all']);

    // Libraries survive a restart (PMS keeps them under its config dir).
    await plex.close();
    const again = await startPlex({ configDir, plexTvUrl: tvUrl });
    closers.push(() => again.close());
    expect(again.state.sections.map((s: { title: string }) => s.title)).toEqual(['Movies', 'TV Shows']);
  });
});
