import { afterAll, expect, it } from '@jest/globals';
import { realExec } from '../../src/docker/exec.js';
import { describeNeeding } from '../helpers/tiers.js';
import { e2eEngine } from './engine.js';
import { buildE2EImages } from './images.js';

/**
 * Smoke test of the e2e images: a real NZBGet built FROM scratch starts as linuxserver's would,
 * answers the compose health check through the curl stand-in, and is reached from another container by name.
 */
const engine = await e2eEngine();
const maybe = describeNeeding(engine.ok ? undefined : engine.reason);

const NET = 'plexarr-e2e-smoke';
const docker = (...args: string[]) => realExec('docker', args, { timeoutMs: 120_000 });

maybe('e2e images (real Docker engine)', () => {
  afterAll(async () => {
    await docker('rm', '-f', 'plexarr-smoke-nzbget', 'plexarr-smoke-client');
    await docker('network', 'rm', NET);
    if (engine.ok) await engine.stop();
  });

  it('builds the images and runs a real NZBGet that another container reaches by name', async () => {
    const t0 = Date.now();
    const images = await buildE2EImages(realExec, (line) => console.log(line));
    console.log(`images ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(images).toContain('lscr.io/linuxserver/nzbget:latest');

    await docker('network', 'create', NET);
    const run = await docker(
      'run',
      '-d',
      '--name',
      'plexarr-smoke-nzbget',
      '--network',
      NET,
      '-e',
      'PUID=1234',
      '-e',
      'PGID=1234',
      '-e',
      'NZBGET_USER=smoke',
      '-e',
      'NZBGET_PASS=secret-pass',
      'lscr.io/linuxserver/nzbget:latest',
    );
    expect(run.stderr).toBe('');

    // The compose health check, exec form (there is no shell in these images).
    let probe = await docker('exec', 'plexarr-smoke-nzbget', 'curl', '-fsS', 'http://localhost:6789/jsonrpc/version');
    for (let i = 0; i < 60 && probe.exitCode !== 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      probe = await docker('exec', 'plexarr-smoke-nzbget', 'curl', '-fsS', 'http://localhost:6789/jsonrpc/version');
    }
    if (probe.exitCode !== 0) console.log((await docker('logs', 'plexarr-smoke-nzbget')).stdout);
    expect(probe.exitCode).toBe(0);

    const call = (auth: string) =>
      docker(
        'run',
        '--rm',
        '--name',
        'plexarr-smoke-client',
        '--network',
        NET,
        'lscr.io/linuxserver/nzbget:latest',
        '/usr/bin/curl',
        '-fsS',
        '-u',
        auth,
        '-H',
        'Content-Type: application/json',
        '-d',
        '{"method":"version","params":[],"id":1}',
        'http://plexarr-smoke-nzbget:6789/jsonrpc',
      );
    const ok = await call('smoke:secret-pass');
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ result: expect.stringMatching(/^\d+\./) });
    expect((await call('smoke:wrong')).exitCode).toBe(22);

    const owner = await docker(
      'exec',
      'plexarr-smoke-nzbget',
      '/usr/bin/node',
      '-e',
      "const s=require('fs').statSync('/config/nzbget.conf');console.log(s.uid+':'+s.gid)",
    );
    expect(owner.stdout.trim()).toBe('1234:1234');
  }, 600_000);
});
