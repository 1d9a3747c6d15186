import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { START_FIX } from '../../src/doctor/docker-daemon.js';
import { INSTALL_FIX } from '../../src/doctor/docker-installed.js';
import { ROOT_IDS_NOTE } from '../../src/host/ids.js';
import { KEY, startPty } from '../helpers/pty.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

/**
 * The wizard in a real terminal (120×40), read as a first-time user reads it. The bin runs from
 * this checkout, so every hint says `npx plexarr`. DOCKER_HOST points at a socket nobody serves:
 * there is never an engine to deploy to.
 */
const temp = useTempDirs('plexarr-tty-');

const ids = { SUDO_UID: '1000', SUDO_GID: '1000' };

function env(home: string): Record<string, string> {
  return { ...ids, DOCKER_HOST: `unix://${join(home, 'no-engine.sock')}` };
}

describe('plexarr init at a terminal', () => {
  test('a first run: step headings in order, help where a value comes from elsewhere, and the command to run next', async () => {
    const home = temp.make();
    const args = ['init', '--home', home, '--services', 'plex,radarr,nzbget', '--tz', 'UTC', '--host-address', '127.0.0.1', '--force'];
    const pty = startPty(args, { env: env(home) });
    await pty.answer('Media root', KEY.enter);
    await pty.answer('Config root', KEY.enter);
    // Backspacing over the shown default, then Enter: the default stands.
    await pty.answer('(PUID)', KEY.backspace.repeat(6) + KEY.enter);
    await pty.answer('(PGID)', KEY.enter);
    // Radarr is chosen: the quality profile is asked (the default, HD, stands).
    await pty.answer('Quality profile', KEY.enter);
    await pty.answer('Admin user', KEY.enter);
    await pty.answer('Admin password (empty: generate one)', KEY.enter);
    await pty.answer('Plex account token (optional; empty: add it later)', KEY.enter);
    await pty.answer('Keep these ports?', KEY.enter);
    await pty.answer('Write this configuration?', KEY.enter);
    await pty.answer('Deploy the stack now? (y/N)', KEY.enter);
    expect(await pty.exit()).toBe(0);

    const screen = pty.screen();
    const headings = ['1/5 Welcome', '2/5 System', '3/5 Services', '4/5 Network', '5/5 Review'].map((h) => screen.indexOf(`${h}\n`));
    expect(headings.every((at) => at >= 0)).toBe(true);
    expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    expect(screen).toContain('where media and app settings live, which user owns the files, and the time zone');
    expect(screen).not.toContain('must be a number');
    expect(screen).not.toContain(ROOT_IDS_NOTE);
    expect(screen).toContain('sign in at https://app.plex.tv and take the token from your account session');
    expect(screen).toContain('`npx plexarr coordinate --plex-token <token>`');
    expect(screen).toContain(`Next, once this is written: npx plexarr deploy --home ${home}`);
    expect(screen).toContain('! No Docker engine to deploy to:');
    expect(screen.includes(START_FIX) || screen.includes(INSTALL_FIX)).toBe(true);
    expect(screen.trimEnd().split('\n').at(-1)).toBe(`Next: npx plexarr deploy --home ${home}`);
    expect(readFileSync(join(home, 'generated-config', 'docker-compose.yml'), 'utf8')).toContain('PUID: "1000"');
  });

  test('a re-run: the password keeps the current one, and the compose changes are summarised above the review', async () => {
    const home = temp.make();
    const first = startPty(
      ['init', '--home', home, '--yes', '--services', 'plex,radarr,nzbget', '--tz', 'UTC', '--host-address', '127.0.0.1', '--force'],
      { env: env(home) },
    );
    expect(await first.exit()).toBe(0);

    const pty = startPty(['init', '--home', home, '--services', 'plex,radarr,sonarr,nzbget', '--force'], { env: env(home) });
    for (const question of ['Media root', 'Config root', '(PUID)', '(PGID)', 'Time zone', 'Quality profile', 'Admin user'])
      await pty.answer(question, KEY.enter);
    await pty.answer('Admin password (empty: keep the current one)', KEY.enter);
    await pty.answer('Plex account token', KEY.enter);
    await pty.answer('Address this host is reached at', KEY.enter);
    await pty.answer('Keep these ports?', KEY.enter);
    await pty.answer('Show the full diff', KEY.enter);
    await pty.answer('Write this configuration?', 'n' + KEY.enter);
    expect(await pty.exit()).toBe(130);

    const screen = pty.screen();
    expect(screen).toContain('Changes to docker-compose.yml:\n  services added: sonarr\n');
    expect(screen).not.toContain('+  sonarr:');
    // The whole review, summary included, fits the 40-row terminal with the question still on it.
    const review = screen.slice(screen.lastIndexOf('5/5 Review'), screen.lastIndexOf('Write this configuration?'));
    expect(review.split('\n').length).toBeLessThan(40);
    expect(screen).toMatch(/Admin password +kept from the last init \(hidden\)/);
  });
});
