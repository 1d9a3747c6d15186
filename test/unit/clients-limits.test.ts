import { afterEach, describe, expect, test } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { createHttp } from '../../src/clients/http.js';
import { MASK } from '../../src/redact.js';
import { apiFailure } from '../helpers/failures.js';

/** The client layer's limits: one write at a time for single-file apps, a cap on bodies, no half-masked secrets. */

let server: Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (s)
    await new Promise<void>((done) => {
      s.close(() => done());
      s.closeAllConnections();
    });
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

describe('write queue', () => {
  /** Answers every request after 80 ms and records how many of each kind were open at once. */
  async function slowServer() {
    const open = { GET: 0, write: 0 };
    const most = { GET: 0, write: 0 };
    const url = await serve((req, res) => {
      const kind = req.method === 'GET' ? 'GET' : 'write';
      open[kind] += 1;
      most[kind] = Math.max(most[kind], open[kind]);
      req.resume();
      setTimeout(() => {
        open[kind] -= 1;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }, 80);
    });
    return { url, most };
  }

  async function burst(serialWrites: NonNullable<Parameters<typeof createHttp>[0]['serialWrites']>) {
    const { url, most } = await slowServer();
    const http = createHttp({ service: 'Seerr', baseUrl: url, secrets: [], serialWrites });
    const any = z.unknown();
    await Promise.all([
      http.send('POST', '/a', {}, any),
      http.send('PUT', '/b', {}, any),
      http.serial(() => http.get('/saves', any)),
      http.send('POST', '/c', {}, any),
      http.get('/x', any),
      http.get('/y', any),
    ]);
    return most;
  }

  test('mutating calls to a single-file app never overlap; reads still run in parallel', async () => {
    const most = await burst(true);
    expect(most.write).toBe(1);
    expect(most.GET).toBeGreaterThanOrEqual(2);
  });

  test('a mutating call the app answers without saving (a connection test) does not wait in the queue', async () => {
    const { url, most } = await slowServer();
    const http = createHttp({ service: 'Seerr', baseUrl: url, secrets: [], serialWrites: (_m, path) => !path.endsWith('/test') });
    const any = z.unknown();
    const order: string[] = [];
    const tracked = (name: string, p: Promise<unknown>) => p.then(() => order.push(name));
    await Promise.all([
      tracked('save 1', http.send('POST', '/settings/plex', {}, any)),
      tracked('save 2', http.send('POST', '/settings/radarr', {}, any)),
      tracked('test', http.send('POST', '/settings/radarr/test', {}, any)),
    ]);
    // The test ran beside the first save (two writes open at once) and did not wait for the second.
    expect(most.write).toBe(2);
    expect(order.indexOf('test')).toBeLessThan(order.indexOf('save 2'));
  });

  test('apps without it get their writes in parallel', async () => {
    expect((await burst(false)).write).toBeGreaterThan(1);
  });

  test('a failed write does not stop the next one', async () => {
    let n = 0;
    const url = await serve((req, res) => {
      req.resume();
      n += 1;
      res.writeHead(n === 1 ? 500 : 200, { 'content-type': 'application/json' }).end(n === 1 ? '{"message":"boom"}' : '{"ok":true}');
    });
    const http = createHttp({ service: 'Seerr', baseUrl: url, secrets: [], serialWrites: true });
    const [first, second] = await Promise.allSettled([http.send('POST', '/a', {}, z.unknown()), http.send('POST', '/b', {}, z.unknown())]);
    expect(first.status).toBe('rejected');
    expect(second).toEqual({ status: 'fulfilled', value: { ok: true } });
  });
});

describe('response size cap', () => {
  const MB = 1024 * 1024;

  test('a body streamed past 8 MB is stopped and fails with a sentence; memory stays bounded', async () => {
    let sent = 0;
    const chunk = Buffer.alloc(MB, 'a');
    const url = await serve((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      // 600 MB without a length, written as fast as the client reads it.
      const pump = () => {
        while (sent < 600 * MB && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    global.gc?.();
    const before = process.memoryUsage().rss;
    const error = await apiFailure(createHttp({ service: 'Radarr', baseUrl: url, secrets: [], getRetries: 0 }).get('/huge', z.unknown()));
    const grown = process.memoryUsage().rss - before;
    expect(error.message).toMatch(
      /^Radarr answered HTTP 200 on GET \/huge: the response is larger than 8 MB, more than any answer plexarr expects; the request was stopped/,
    );
    expect(sent).toBeLessThan(64 * MB);
    expect(grown).toBeLessThan(200 * MB);
  });

  test('a declared length over the cap is refused before the body is read', async () => {
    let sent = 0;
    const url = await serve((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(600 * MB) });
      const chunk = Buffer.alloc(MB, 'a');
      const pump = () => {
        while (sent < 600 * MB && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    });
    const error = await apiFailure(
      createHttp({ service: 'Plex', baseUrl: url, secrets: [], maxBodyBytes: 2 * MB, getRetries: 0 }).get('/big', z.unknown()),
    );
    expect(error.message).toContain('larger than 2 MB');
    expect(sent).toBeLessThan(32 * MB);
  });
});

describe('error bodies', () => {
  test('a secret echoed where the message is shortened is masked whole, not cut', async () => {
    const password = 'Zq7#mW2pLx9vRt4nB8kY';
    // The app's 400 echoes the request; the password straddles the 400-character cut.
    const message = `${'x'.repeat(382)} password=${password} was refused`;
    const url = await serve((req, res) => {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));
    });
    const error = await apiFailure(
      createHttp({ service: 'NZBGet', baseUrl: url, secrets: [password] }).send('POST', '/jsonrpc', {}, z.unknown()),
    );
    expect(error.message).toContain(MASK);
    for (let n = 4; n <= password.length; n++) expect(error.message).not.toContain(password.slice(0, n));
  });
});
