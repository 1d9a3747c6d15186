import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerName } from '../../src/catalog/index.js';
import { defaultCoordinateDeps, runCoordinate } from '../../src/commands/coordinate.js';
import type { StackState } from '../../src/coordinate/stack.js';
import { saveConfig } from '../../src/state/configs.js';
import { openState } from '../../src/state/db.js';
import { setSecrets } from '../../src/state/secrets.js';
import { configWith } from './helpers.js';

/**
 * `--timeout` bounds the whole run, requests included: a Radarr that is up (its `/ping` answers)
 * but never answers an API call used to hold a 10 s run for 92 s (30 s per request, retried).
 */

let home: string;
let server: Server;
let apiCalls = 0;

beforeEach(async () => {
  apiCalls = 0;
  server = createServer((req, res) => {
    req.resume();
    if (req.url === '/ping') res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"OK"}');
    else apiCalls += 1; // accepted, never answered
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const config = configWith(['radarr']);
  config.services.radarr.ports.web = (server.address() as AddressInfo).port;
  home = mkdtempSync(join(tmpdir(), 'plexarr-deadline-'));
  const state = openState(home);
  saveConfig(state.db, config);
  setSecrets(state.db, { RADARR_API_KEY: '0123456789abcdef0123456789abcdef' });
  state.close();
});
afterEach(async () => {
  await new Promise<void>((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
  rmSync(home, { recursive: true, force: true });
});

it('ends within the deadline when a service accepts requests and never answers: exit 1, with a sentence', async () => {
  const out: string[] = [];
  // Docker says Radarr's container runs: the run gets as far as the API calls.
  const radarr = containerName('radarr', configWith(['radarr']));
  const up: StackState = { state: 'up', containers: [{ service: radarr, name: radarr, state: 'running', publishedPorts: [] }] };
  const deps = {
    ...defaultCoordinateDeps(),
    log: { info: (t: string) => out.push(t), warn: (t: string) => out.push(t), error: (t: string) => out.push(t) },
    stack: async () => up,
    renderer: 'silent' as const,
  };
  const started = Date.now();
  const code = await runCoordinate({ home, timeout: 3 }, deps);
  const took = Date.now() - started;
  expect(code).toBe(1);
  expect(apiCalls).toBeGreaterThan(0);
  expect(took).toBeLessThan(5000);
  expect(out.join('\n')).toContain("Radarr could not be reached on GET /api/v3/rootfolder: no answer before the run's deadline");
  expect(out.join('\n')).toContain('the --timeout of 3 s ran out');
});
