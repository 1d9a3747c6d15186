import { afterEach, describe, expect, it } from '@jest/globals';
import {
  createOpenApiValidator,
  createRouter,
  json,
  openApiValidatorStyle,
  startFake,
  type FakeHandle,
  type FakeRequest,
} from './core/index.js';

const started: FakeHandle[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((f) => f.close()));
});

async function echoFake(faults = {}) {
  const router = createRouter().on('GET', '/items/{id}', (req) => json(200, { id: req.params.id }));
  const fake = await startFake({
    name: 'echo',
    state: { items: 1 },
    faults,
    handle: (req: FakeRequest) => router.dispatch(req, () => json(404, { message: 'NotFound' })),
  });
  started.push(fake);
  return fake;
}

async function statusOf(url: string): Promise<number | string> {
  try {
    return (await fetch(url)).status;
  } catch (err) {
    return String((err as { cause?: { code?: string } }).cause?.code ?? err);
  }
}

describe('fake core: log and control endpoints', () => {
  it('logs every app request with method, path, query, body, status; never the control calls', async () => {
    const fake = await echoFake();
    await fetch(`${fake.url}/items/7?x=1`);
    await fetch(`${fake.url}/nope`, { method: 'POST', body: JSON.stringify({ a: 1 }), headers: { 'Content-Type': 'application/json' } });
    const log = await (await fetch(`${fake.url}/__fake/log`)).json();
    expect(log).toEqual([
      expect.objectContaining({ method: 'GET', path: '/items/7', query: { x: '1' }, status: 200 }),
      expect.objectContaining({ method: 'POST', path: '/nope', body: { a: 1 }, status: 404 }),
    ]);
    expect(await (await fetch(`${fake.url}/__fake/state`)).json()).toEqual({ items: 1 });
    await fetch(`${fake.url}/__fake/reset-log`, { method: 'POST' });
    expect(fake.log).toHaveLength(0);
  });
});

describe('fake core: fault injection', () => {
  it('refuses connections during a refuse start-up period, then serves', async () => {
    const fake = await echoFake({ startupMs: 400, startupMode: 'refuse' });
    expect(await statusOf(`${fake.url}/items/1`)).toBe('ECONNREFUSED');
    await fake.ready;
    expect(await statusOf(`${fake.url}/items/1`)).toBe(200);
  });

  it('answers 503 during a 503 start-up period, then serves', async () => {
    const fake = await echoFake({ startupMs: 300, startupMode: '503' });
    expect(await statusOf(`${fake.url}/items/1`)).toBe(503);
    await new Promise((r) => setTimeout(r, 350));
    expect(await statusOf(`${fake.url}/items/1`)).toBe(200);
  });

  it('simulates a restart when startupMs is set live', async () => {
    const fake = await echoFake();
    expect(await statusOf(`${fake.url}/items/1`)).toBe(200);
    fake.setFaults({ startupMs: 300, startupMode: 'refuse' });
    expect(await statusOf(`${fake.url}/items/1`)).toBe('ECONNREFUSED');
    await fake.ready;
    expect(await statusOf(`${fake.url}/items/1`)).toBe(200);
  });

  it('adds the configured latency', async () => {
    const fake = await echoFake();
    fake.setFaults({ latencyMs: 150 });
    const t0 = performance.now();
    await fetch(`${fake.url}/items/1`);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
  });

  it('answers about errorRate of the requests with 500, reproducibly for a seed', async () => {
    const fake = await echoFake();
    const run = async () => {
      await fetch(`${fake.url}/__fake/faults`, { method: 'POST', body: JSON.stringify({ errorRate: 0.3, seed: 42 }) });
      const statuses: number[] = [];
      for (let i = 0; i < 200; i += 1) statuses.push((await fetch(`${fake.url}/items/${i}`)).status);
      return statuses;
    };
    const first = await run();
    const failed = first.filter((s) => s === 500).length / first.length;
    expect(failed).toBeGreaterThan(0.22);
    expect(failed).toBeLessThan(0.38);
    expect(await run()).toEqual(first);
  });

  it('drops connections after crashAfter requests', async () => {
    const fake = await echoFake();
    fake.faults = { crashAfter: 2 };
    expect(await statusOf(`${fake.url}/items/1`)).toBe(200);
    expect(await statusOf(`${fake.url}/items/2`)).toBe(200);
    expect(await statusOf(`${fake.url}/items/3`)).toBe('UND_ERR_SOCKET');
    expect(fake.log.map((l) => l.status)).toEqual([200, 200, 0]);
    fake.faults = {};
    expect(await statusOf(`${fake.url}/items/4`)).toBe(200);
  });
});

describe('OpenAPI request validator', () => {
  const radarr = createOpenApiValidator('radarr-v3.openapi.json', { readOnly: 'ignore' });
  const overseerr = createOpenApiValidator('overseerr.openapi.yml', { basePath: '/api/v1' });

  it('matches literal paths before templates and reports unknown paths and methods', () => {
    expect(radarr.validate({ method: 'GET', path: '/api/v3/downloadclient/schema' })).toMatchObject({
      ok: true,
      template: '/api/v3/downloadclient/schema',
    });
    expect(radarr.validate({ method: 'GET', path: '/api/v3/nothing' })).toMatchObject({ ok: false, miss: 'path' });
    expect(radarr.validate({ method: 'PATCH', path: '/api/v3/downloadclient/1' })).toMatchObject({ ok: false, miss: 'method' });
  });

  it('coerces typed query and path parameters and rejects ones that do not parse', () => {
    const good = radarr.validate({ method: 'PUT', path: '/api/v3/downloadclient/3', query: { forceSave: 'true' }, body: {} });
    expect(good).toMatchObject({ ok: true, params: { id: 3 }, query: { forceSave: true } });
    const bad = radarr.validate({ method: 'PUT', path: '/api/v3/downloadclient/x', query: { forceSave: 'maybe' }, body: {} });
    expect(bad.errors.map((e) => `${e.in}${e.path} ${e.keyword}`).sort()).toEqual(['path/id type', 'query/forceSave type']);
  });

  it('rejects a wrong type, an unknown property, and accepts nullable null', () => {
    const res = radarr.validate({ method: 'POST', path: '/api/v3/downloadclient', body: { name: null, priority: '1', extra: true } });
    expect(res.errors.map((e) => `${e.path} ${e.keyword}`).sort()).toEqual(['/extra additionalProperties', '/priority type']);
  });

  it('rejects a missing required field and a read-only field in Overseerr style', () => {
    const res = overseerr.validate({
      method: 'POST',
      path: '/api/v1/settings/radarr',
      body: {
        id: 1,
        name: 'Radarr',
        hostname: 'radarr',
        port: 7878,
        apiKey: 'k',
        useSsl: false,
        activeProfileId: 1,
        activeProfileName: 'Any',
        activeDirectory: '/data/media/movies',
        is4k: false,
        isDefault: true,
      },
    });
    expect(res.ok).toBe(false);
    expect(openApiValidatorStyle(res.errors).errors).toEqual([
      {
        path: '.body.minimumAvailability',
        message: "should have required property 'minimumAvailability'",
        errorCode: 'required.openapi.validation',
      },
      { path: '.body.id', message: 'is read-only', errorCode: 'read-only.openapi.validation' },
    ]);
  });

  it('reports a body that is not JSON', () => {
    const res = radarr.validate({ method: 'POST', path: '/api/v3/rootfolder', body: undefined, bodyInvalid: true });
    expect(res.errors).toEqual([expect.objectContaining({ in: 'body', keyword: 'json' })]);
  });
});
