import Database from 'better-sqlite3';
import { DEFAULT_ENABLED, DEFAULT_PORTS, SERVICE_IDS, type ServiceId, type StackConfig } from '../../src/config/schema.js';
import type { AppliedSecrets, Hookup, HookupContext, PlannedChange } from '../../src/coordinate/types.js';
import { appliedSecrets } from '../../src/state/applied-secrets.js';
import { migrate } from '../../src/state/migrations.js';

/** A valid config with exactly the given services on. */
export function configWith(on: readonly ServiceId[]): StackConfig {
  return {
    schemaVersion: 1,
    mediaRoot: '/srv/media',
    configRoot: '/srv/appdata',
    puid: 1000,
    pgid: 1000,
    tz: 'UTC',
    hostAddress: '127.0.0.1',
    requestManager: 'seerr',
    adminUser: 'admin',
    services: Object.fromEntries(
      SERVICE_IDS.map((id) => [id, { enabled: on.includes(id), ports: { ...DEFAULT_PORTS[id] } }]),
    ) as unknown as StackConfig['services'],
    wireguard: { serverUrl: 'auto', peers: '1' },
    npm: { email: 'admin@example.com' },
    usenetServers: [],
    indexers: [],
    qualityProfile: 'hd',
  };
}

/** A valid config with the default services on (plus any extra ones). */
export function testConfig(extra: ServiceId[] = [], off: ServiceId[] = []): StackConfig {
  return configWith([...DEFAULT_ENABLED, ...extra].filter((s) => !off.includes(s)));
}

export function memoryDb(): Database.Database {
  const db = new Database(':memory:');
  migrate(db);
  return db;
}

/** The real applied-secrets repository over a fresh in-memory database (every migration applied). */
export function memoryApplied(): AppliedSecrets {
  const db = new Database(':memory:');
  migrate(db);
  return appliedSecrets(db);
}

/** An in-memory "app": a record of keys → values that fake hookups converge. */
export interface FakeWorld {
  values: Map<string, string>;
  events: string[];
  active: number;
  maxActive: number;
}

export function fakeWorld(): FakeWorld {
  return { values: new Map(), events: [], active: 0, maxActive: 0 };
}

export interface FakeHookupSpec {
  id: string;
  dependsOn?: string[];
  services?: ServiceId[];
  skip?: string | null;
  /** Desired key=value pairs this hookup owns. */
  want?: Record<string, string>;
  delayMs?: number;
  /** Errors thrown by successive plan/apply calls (undefined = succeed). */
  planErrors?: unknown[];
  applyErrors?: unknown[];
  /** Apply does nothing (so verify finds the difference). */
  forgetful?: boolean;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function fakeHookup(world: FakeWorld, spec: FakeHookupSpec): Hookup<FakeWorld> & { plans: number; applies: number } {
  const want = spec.want ?? { [spec.id]: 'on' };
  const planErrors = [...(spec.planErrors ?? [])];
  const applyErrors = [...(spec.applyErrors ?? [])];
  const h = {
    id: spec.id,
    title: `Fake ${spec.id}`,
    services: spec.services ?? ['radarr'],
    dependsOn: spec.dependsOn ?? [],
    plans: 0,
    applies: 0,
    skipReason: () => spec.skip ?? null,
    async plan(ctx: HookupContext<FakeWorld>): Promise<PlannedChange[]> {
      h.plans += 1;
      const w = ctx.clients;
      w.active += 1;
      w.maxActive = Math.max(w.maxActive, w.active);
      w.events.push(`plan:${spec.id}`);
      try {
        if (spec.delayMs) await wait(spec.delayMs);
        const e = planErrors.shift();
        if (e) throw e;
        return Object.entries(want).map(([k, v]) => {
          const have = w.values.get(k);
          if (have === v) return { kind: 'unchanged', target: k };
          return have === undefined ? { kind: 'create', target: k, data: v } : { kind: 'update', target: k, fields: ['value'], data: v };
        });
      } finally {
        w.active -= 1;
      }
    },
    async apply(ctx: HookupContext<FakeWorld>, plan: PlannedChange[]): Promise<void> {
      h.applies += 1;
      const w = ctx.clients;
      w.events.push(`apply:${spec.id}`);
      if (ctx.dryRun) throw new Error('apply called in a dry run');
      const e = applyErrors.shift();
      if (e) throw e;
      if (spec.forgetful) return;
      for (const c of plan) if (c.kind !== 'unchanged') w.values.set(c.target, c.data as string);
    },
  };
  return h;
}

/** An error shaped like got's HTTPError. */
export function httpError(statusCode: number, body: unknown = ''): Error {
  return Object.assign(new Error(`Response code ${statusCode}`), {
    name: 'HTTPError',
    response: { statusCode, body: typeof body === 'string' ? body : JSON.stringify(body) },
  });
}

export function netError(code = 'ECONNREFUSED'): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:7878`), { name: 'RequestError', code });
}
