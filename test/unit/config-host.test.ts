import { describe, expect, jest, test } from '@jest/globals';
import { chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { pathIssues } from '../../src/config/host-checks.js';
import { detectHostAddress } from '../../src/host/address.js';
import { detectIds, ownerIds } from '../../src/host/ids.js';
import { directoryProblem } from '../../src/host/paths.js';
import { isPortFree, portInUseProbe } from '../../src/host/ports.js';
import { detectTimeZone } from '../../src/host/timezone.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const temp = useTempDirs();

describe('host detection', () => {
  test('SUDO_UID/SUDO_GID win over the process ids; a plain root shell is marked as such', () => {
    const root = { uid: 0, gid: 0 };
    expect(detectIds({ SUDO_UID: '1001', SUDO_GID: '1002' }, root)).toEqual({ puid: 1001, pgid: 1002, root: false });
    expect(detectIds({}, { uid: 1000, gid: 100 })).toEqual({ puid: 1000, pgid: 100, root: false });
    expect(detectIds({}, root)).toEqual({ puid: 0, pgid: 0, root: true });
    expect(detectIds({ SUDO_UID: 'x' }, root)).toEqual({ puid: 0, pgid: 0, root: true });
    // `sudo -u root` is root on purpose.
    expect(detectIds({ SUDO_UID: '0', SUDO_GID: '0' }, root).root).toBe(false);
  });

  test('the owner of an existing folder is a PUID/PGID guess unless it is root', () => {
    const dir = temp.make();
    expect(ownerIds(join(dir, 'missing'))).toBeUndefined();
    if (process.getuid?.() === 0) {
      expect(ownerIds(dir)).toBeUndefined();
      chownSync(dir, 1234, 2345);
    }
    expect(ownerIds(dir)).toEqual(
      process.getuid?.() === 0 ? { puid: 1234, pgid: 2345 } : { puid: process.getuid?.(), pgid: process.getgid?.() },
    );
  });

  test('TZ when it names a zone, else /etc/localtime, else /etc/timezone, else the runtime zone', () => {
    const dir = temp.make();
    const link = join(dir, 'localtime');
    symlinkSync('/usr/share/zoneinfo/America/Chicago', link);
    const tzFile = join(dir, 'timezone');
    writeFileSync(tzFile, 'Australia/Perth\n');
    const missing = join(dir, 'missing');
    expect(detectTimeZone({ TZ: 'Asia/Tokyo' }, { localtime: link })).toBe('Asia/Tokyo');
    expect(detectTimeZone({ TZ: ':Europe/Berlin' })).toBe('Europe/Berlin');
    expect(detectTimeZone({ TZ: 'Not/AZone' }, { localtime: link })).toBe('America/Chicago');
    expect(detectTimeZone({}, { localtime: missing, timezone: tzFile })).toBe('Australia/Perth');
    expect(detectTimeZone({}, { localtime: missing, timezone: missing })).toBe(
      Intl.DateTimeFormat().resolvedOptions().timeZone || 'Etc/UTC',
    );
  });

  test('host address: first non-internal IPv4, else loopback', () => {
    const nic = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) => ({
      address,
      family,
      internal,
      netmask: '',
      mac: '',
      cidr: null,
    });
    expect(
      detectHostAddress({
        lo: [nic('127.0.0.1', 'IPv4', true)],
        eth0: [nic('fe80::1', 'IPv6', false), nic('192.168.1.20', 'IPv4', false)],
      } as never),
    ).toBe('192.168.1.20');
    expect(detectHostAddress({ lo: [nic('127.0.0.1', 'IPv4', true)] } as never)).toBe('127.0.0.1');
  });
});

describe('directories', () => {
  test('existing, creatable, a file, under a file', async () => {
    const dir = temp.make();
    writeFileSync(join(dir, 'file'), '');
    mkdirSync(join(dir, 'sub'));
    expect(await directoryProblem(join(dir, 'sub'))).toBeUndefined();
    expect(await directoryProblem(join(dir, 'new', 'deeper'))).toBeUndefined();
    expect(await directoryProblem(join(dir, 'file'))).toBe('is a file, not a directory');
    expect(await directoryProblem(join(dir, 'file', 'x', 'y'))).toBe(`cannot be created: ${join(dir, 'file')} is a file, not a directory`);
  });

  test('pathIssues names home, media root and config root', async () => {
    const dir = temp.make();
    writeFileSync(join(dir, 'file'), '');
    const issues = await pathIssues(join(dir, 'file'), { mediaRoot: join(dir, 'file', 'm'), configRoot: join(dir, 'ok') });
    expect(issues.map((i) => i.path[0])).toEqual(['home', 'mediaRoot']);
  });
});

describe('ports', () => {
  const listen = () =>
    new Promise<Server>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => resolve(s));
    });

  test('a port something listens on is not free', async () => {
    const server = await listen();
    const port = (server.address() as { port: number }).port;
    try {
      expect(await isPortFree(port, 'tcp')).toBe(false);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(await isPortFree(port, 'tcp')).toBe(true);
  });

  test("docker is asked once, only when a port is busy, and the stack's own ports count as free", async () => {
    const stackPorts = jest.fn(async () => new Set([7878]));
    const busy = new Set([7878, 8989]);
    const inUse = portInUseProbe({ isPortFree: async (p) => !busy.has(p), stackPorts });
    expect(await inUse(9696, 'tcp')).toBe(false);
    expect(stackPorts).not.toHaveBeenCalled();
    expect(await inUse(7878, 'tcp')).toBe(false);
    expect(await inUse(8989, 'tcp')).toBe(true);
    expect(stackPorts).toHaveBeenCalledTimes(1);
  });

  test('docker unavailable: busy ports stay busy', async () => {
    const inUse = portInUseProbe({ isPortFree: async () => false, stackPorts: async () => Promise.reject(new Error('no docker')) });
    expect(await inUse(80, 'tcp')).toBe(true);
  });
});
