import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClients, type Clients } from '../../src/clients/index.js';
import type { Secrets, ServiceId, StackConfig } from '../../src/config/schema.js';
import type { AppliedSecrets, Hookup, HookupContext, PlannedChange } from '../../src/coordinate/types.js';
import { startArr } from '../fakes/arr.js';
import { startMaintainerr } from '../fakes/maintainerr.js';
import { startNzbget } from '../fakes/nzbget.js';
import { startPlex } from '../fakes/plex.js';
import { startPlexTv } from '../fakes/plextv.js';
import { startProwlarr } from '../fakes/prowlarr.js';
import { startSeerr } from '../fakes/seerr.js';
import { configWith, memoryApplied } from './helpers.js';

/**
 * A small stack of fakes (and real NZBGet) on loopback for hookup tests: each fake listens on a
 * free port, the config publishes exactly those ports, and `http://<container>:<port>` URLs the
 * apps store resolve to the fakes. Container paths (`/data/...`) live under a temp dir.
 */

export interface FakeLike {
  url: string;
  port: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- fakes are untyped JS; tests poke their state
  state: any;
  log: { method: string; path: string; query: Record<string, unknown>; body: unknown; status: number }[];
  close(): Promise<void>;
}

export interface TestStack {
  config: StackConfig;
  secrets: Secrets;
  clients: Clients;
  fakes: Partial<Record<ServiceId | 'plextv', FakeLike>>;
  nzbget: Partial<Record<'nzbget' | 'nzbget2', Awaited<ReturnType<typeof startNzbget>>>>;
  root: string;
  /** The stack's applied-secret fingerprints, kept across ctx() calls as coordinate's database keeps them. */
  applied: AppliedSecrets;
  /** `applied` replaces the stack's store (e.g. a fresh database). */
  ctx(opts?: { dryRun?: boolean; secrets?: Secrets; applied?: AppliedSecrets }): HookupContext<Clients>;
  close(): Promise<void>;
}

const INTERNAL: Partial<Record<ServiceId, [string, number]>> = {
  radarr: ['radarr', 7878],
  sonarr: ['sonarr', 8989],
  lidarr: ['lidarr', 8686],
  prowlarr: ['prowlarr', 9696],
  plex: ['plex', 32400],
  maintainerr: ['maintainerr', 6246],
  nzbget: ['nzbget', 6789],
  nzbget2: ['nzbget2', 6789],
};

const key = () => randomBytes(16).toString('hex');

export function stackSecrets(overrides: Secrets = {}): Secrets {
  return {
    ADMIN_PASSWORD: `adm-${key()}`,
    PLEX_TOKEN: `plx-${key().slice(0, 20)}`,
    RADARR_API_KEY: key(),
    SONARR_API_KEY: key(),
    LIDARR_API_KEY: key(),
    PROWLARR_API_KEY: key(),
    REQUESTS_API_KEY: key(),
    NZBGET_USER: 'nzbuser',
    NZBGET_PASS: `nzb-${key().slice(0, 12)}`,
    NZBGET2_USER: 'nzbuser2',
    NZBGET2_PASS: `nzb2-${key().slice(0, 12)}`,
    NPM_ADMIN_PASSWORD: `npm-${key()}`,
    ...overrides,
  };
}

export { configWith as baseConfig };

export interface TestStackOptions {
  secrets?: Secrets;
  /** NZBGet 2's categories as index → name (gaps allowed), to show renumbering. */
  nzbget2Categories?: Record<number, string>;
  requestManager?: StackConfig['requestManager'];
}

export async function startTestStack(on: readonly ServiceId[], opts: TestStackOptions = {}): Promise<TestStack> {
  const secrets = stackSecrets(opts.secrets);
  const config = configWith(on);
  config.requestManager = opts.requestManager ?? 'seerr';
  const root = mkdtempSync(join(tmpdir(), 'plexarr-hookups-'));
  for (const d of [
    'media/movies',
    'media/tv',
    'media/music',
    'downloads/incomplete',
    'downloads/movies',
    'downloads/tv',
    'downloads/music',
  ]) {
    mkdirSync(join(root, 'data', d), { recursive: true });
  }
  const pathMap = (p: string) => (p.startsWith('/data') ? join(root, p) : p);
  const routes = new Map<string, string>();
  const resolve = (url: string) => {
    const m = /^(https?):\/\/([^/:]+):(\d+)(.*)$/.exec(url);
    const target = m ? routes.get(`${m[2]}:${m[3]}`) : undefined;
    return m && target ? `${target}${m[4]}` : url;
  };
  const fakes: TestStack['fakes'] = {};
  const nzbget: TestStack['nzbget'] = {};
  const publish = (id: ServiceId, url: string, port: number) => {
    const internal: [string, number] | undefined = id === 'requests' ? [config.requestManager, 5055] : INTERNAL[id];
    if (internal) routes.set(`${internal[0]}:${internal[1]}`, url);
    config.services[id].ports.web = port;
  };
  const closers: (() => Promise<void>)[] = [];
  try {
    for (const id of ['nzbget', 'nzbget2'] as const) {
      if (!on.includes(id)) continue;
      const user = id === 'nzbget' ? secrets.NZBGET_USER : secrets.NZBGET2_USER;
      const pass = id === 'nzbget' ? secrets.NZBGET_PASS : secrets.NZBGET2_PASS;
      const n = await startNzbget({
        username: user,
        password: pass,
        ...(id === 'nzbget2' && opts.nzbget2Categories ? { categories: opts.nzbget2Categories } : {}),
      });
      closers.push(() => n.stop());
      nzbget[id] = n;
      publish(id, n.url, n.port);
    }
    const common: { pathMap: typeof pathMap; resolve: typeof resolve; plexTvUrl?: string } = { pathMap, resolve };
    if (on.includes('plex') || on.includes('requests') || on.includes('maintainerr')) {
      const plexTv = await startPlexTv({ accounts: [{ username: 'owner', token: secrets.PLEX_TOKEN }] });
      closers.push(() => plexTv.close());
      fakes.plextv = plexTv as FakeLike;
      common.plexTvUrl = plexTv.url;
      if (on.includes('plex')) {
        const claim = (await (
          await fetch(`${plexTv.url}/api/claim/token.json`, {
            headers: { 'X-Plex-Token': secrets.PLEX_TOKEN ?? '', Accept: 'application/json' },
          })
        ).json()) as { token: string };
        const plex = await startPlex({ ...common, env: { PLEX_CLAIM: claim.token } });
        closers.push(() => plex.close());
        fakes.plex = plex as FakeLike;
        publish('plex', plex.url, plex.port);
      }
    }
    for (const app of ['radarr', 'sonarr', 'lidarr'] as const) {
      if (!on.includes(app)) continue;
      const apiKey = secrets[`${app.toUpperCase()}_API_KEY` as keyof Secrets];
      const fake = await startArr(app, { ...common, env: { [`${app.toUpperCase()}__AUTH__APIKEY`]: apiKey } });
      closers.push(() => fake.close());
      fakes[app] = fake as FakeLike;
      publish(app, fake.url, fake.port);
    }
    if (on.includes('prowlarr')) {
      const fake = await startProwlarr({ ...common, env: { PROWLARR__AUTH__APIKEY: secrets.PROWLARR_API_KEY ?? '' } });
      closers.push(() => fake.close());
      fakes.prowlarr = fake as FakeLike;
      publish('prowlarr', fake.url, fake.port);
    }
    if (on.includes('requests')) {
      // Seerr takes its key from API_KEY; Overseerr only from a pre-seeded settings.json (as deploy does).
      const configDir = join(root, 'requests-config');
      mkdirSync(configDir, { recursive: true });
      writeFileSync(join(configDir, 'settings.json'), JSON.stringify({ main: { apiKey: secrets.REQUESTS_API_KEY } }));
      const fake = await startSeerr({
        ...common,
        configDir,
        variant: config.requestManager,
        env: config.requestManager === 'seerr' ? { API_KEY: secrets.REQUESTS_API_KEY ?? '' } : {},
      });
      closers.push(() => fake.close());
      fakes.requests = fake as FakeLike;
      publish('requests', fake.url, fake.port);
    }
    if (on.includes('maintainerr')) {
      const fake = await startMaintainerr(common);
      closers.push(() => fake.close());
      fakes.maintainerr = fake as FakeLike;
      publish('maintainerr', fake.url, fake.port);
    }
  } catch (error) {
    await Promise.all(closers.map((c) => c()));
    throw error;
  }
  const clients = createClients({ config, secrets, host: '127.0.0.1', plexTvUrl: fakes.plextv?.url, timeoutMs: 15_000 });
  const applied = memoryApplied();
  return {
    config,
    secrets,
    clients,
    fakes,
    nzbget,
    root,
    applied,
    ctx: (o = {}) => {
      const s = o.secrets ?? secrets;
      return {
        config,
        secrets: s,
        clients: o.secrets ? createClients({ config, secrets: s, host: '127.0.0.1', plexTvUrl: fakes.plextv?.url }) : clients,
        applied: o.applied ?? applied,
        dryRun: o.dryRun ?? false,
        signal: new AbortController().signal,
        log: () => undefined,
      };
    },
    async close() {
      await Promise.all(closers.map((c) => c()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export const kinds = (plan: PlannedChange[]) => plan.map((c) => c.kind);

/** plan → apply → plan, the way the runner verifies: returns both plans. */
export async function converge<C>(hookup: Hookup<C>, ctx: HookupContext<C>): Promise<{ first: PlannedChange[]; second: PlannedChange[] }> {
  const first = await hookup.plan(ctx);
  if (first.some((c) => c.kind !== 'unchanged')) await hookup.apply(ctx, first);
  const second = await hookup.plan(ctx);
  return { first, second };
}

/** Every request but a GET, `/test` endpoints included: a plan sends none (NPM's login aside). */
export function mutations(fake: FakeLike | undefined): string[] {
  return (fake?.log ?? []).filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.path}`);
}
