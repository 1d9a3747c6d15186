// Plex fake: server preferences (`/:/prefs`), the "scan automatically" and "partial scan" switches.
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREFERENCES_RELATIVE, startPlex } from './plex.js';
import { cleanupAfterEach } from './cleanup.js';

const { closers, dirs } = cleanupAfterEach();
const TOKEN = 'server-token-0123456789';

async function claimedPlex() {
  const configDir = mkdtempSync(join(tmpdir(), 'plexarr-plex-prefs-'));
  dirs.push(configDir);
  mkdirSync(join(configDir, PREFERENCES_RELATIVE, '..'), { recursive: true });
  writeFileSync(
    join(configDir, PREFERENCES_RELATIVE),
    `<?xml version="1.0" encoding="utf-8"?>\n<Preferences MachineIdentifier="m-1" ProcessedMachineIdentifier="p-1" PlexOnlineToken="${TOKEN}"/>\n`,
  );
  // plex.tv is never needed: only the server token is used (port 1 refuses, so other tokens fail).
  const plex = await startPlex({ configDir, plexTvUrl: 'http://127.0.0.1:1' });
  closers.push(() => plex.close());
  return { plex, prefsFile: () => readFileSync(join(configDir, PREFERENCES_RELATIVE), 'utf8') };
}

type Setting = { id: string; type: string; default: unknown; value: unknown; group: string };
async function settings(url: string): Promise<Record<string, Setting>> {
  const res = await fetch(`${url}/:/prefs`, { headers: { 'X-Plex-Token': TOKEN, Accept: 'application/json' } });
  expect(res.status).toBe(200);
  const mc = ((await res.json()) as { MediaContainer: { size: number; Setting: Setting[] } }).MediaContainer;
  expect(mc.size).toBe(mc.Setting.length);
  return Object.fromEntries(mc.Setting.map((s) => [s.id, s]));
}

describe('Plex fake /:/prefs', () => {
  it('lists the settings with their defaults: scan automatically and partial scan are off', async () => {
    const { plex } = await claimedPlex();
    const s = await settings(plex.url);
    expect(s.FSEventLibraryUpdatesEnabled).toMatchObject({ type: 'bool', default: false, value: false, group: 'library' });
    expect(s.FSEventLibraryPartialScanEnabled).toMatchObject({ type: 'bool', default: false, value: false });
    expect(s.ScheduledLibraryUpdateInterval).toMatchObject({ type: 'int', default: 3600, value: 3600 });
    const xml = await (await fetch(`${plex.url}/:/prefs`, { headers: { 'X-Plex-Token': TOKEN } })).text();
    expect(xml).toMatch(/<Setting id="FSEventLibraryUpdatesEnabled"[^>]* value="0"/);
  });

  it('PUT stores the values (as 1/0 in Preferences.xml) and GET returns them', async () => {
    const { plex, prefsFile } = await claimedPlex();
    const put = await fetch(
      `${plex.url}/:/prefs?FSEventLibraryUpdatesEnabled=1&FSEventLibraryPartialScanEnabled=true&X-Plex-Token=${TOKEN}`,
      { method: 'PUT' },
    );
    expect(put.status).toBe(200);
    const s = await settings(plex.url);
    expect([s.FSEventLibraryUpdatesEnabled?.value, s.FSEventLibraryPartialScanEnabled?.value]).toEqual([true, true]);
    expect(prefsFile()).toMatch(/FSEventLibraryUpdatesEnabled="1"/);
    expect(prefsFile()).toMatch(/FSEventLibraryPartialScanEnabled="1"/);
    expect(prefsFile()).toMatch(new RegExp(`PlexOnlineToken="${TOKEN}"`));
  });

  it('needs the token, and refuses an unknown setting or a value of the wrong type without changing anything', async () => {
    const { plex } = await claimedPlex();
    expect((await fetch(`${plex.url}/:/prefs?FSEventLibraryUpdatesEnabled=1`, { method: 'PUT' })).status).toBe(401);
    expect((await fetch(`${plex.url}/:/prefs`)).status).toBe(401);
    const put = (q: string) => fetch(`${plex.url}/:/prefs?${q}`, { method: 'PUT', headers: { 'X-Plex-Token': TOKEN } });
    expect((await put('FSEventLibraryUpdatesEnabled=1&ScanMyLibraryAutomatically=1')).status).toBe(400);
    expect((await put('fseventlibraryupdatesenabled=1')).status).toBe(400);
    expect((await put('FSEventLibraryPartialScanEnabled=yes')).status).toBe(400);
    const s = await settings(plex.url);
    expect([s.FSEventLibraryUpdatesEnabled?.value, s.FSEventLibraryPartialScanEnabled?.value]).toEqual([false, false]);
  });
});
