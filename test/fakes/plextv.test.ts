import { afterEach, describe, expect, it } from '@jest/globals';
import { CLAIM_TTL_MS, startPlexTv } from './plextv.js';

type Handle = Awaited<ReturnType<typeof startPlexTv>>;
const open: Handle[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});

async function start() {
  const h = await startPlexTv({ accounts: [{ username: 'owner', email: 'owner@example.test', token: 'owner-token-123456789' }] });
  open.push(h);
  return h;
}

const json = { accept: 'application/json' };

describe('plex.tv fake', () => {
  it('looks an account up by token and answers 401 for an unknown one', async () => {
    const tv = await start();
    const ok = await fetch(`${tv.url}/api/v2/user`, { headers: { ...json, 'X-Plex-Token': 'owner-token-123456789' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ username: 'owner', email: 'owner@example.test', authToken: 'owner-token-123456789' });
    const query = await fetch(`${tv.url}/users/account.json?X-Plex-Token=owner-token-123456789`);
    expect(((await query.json()) as { user: { username: string } }).user.username).toBe('owner');
    const bad = await fetch(`${tv.url}/api/v2/user`, { headers: { ...json, 'X-Plex-Token': 'nope' } });
    expect(bad.status).toBe(401);
    const none = await fetch(`${tv.url}/api/v2/user`, { headers: json });
    expect(none.status).toBe(401);
  });

  it('creates a PIN, lets only its client poll it, and fills authToken once linked', async () => {
    const tv = await start();
    const noClient = await fetch(`${tv.url}/api/v2/pins?strong=true`, { method: 'POST', headers: json });
    expect(noClient.status).toBe(400);
    const created = await fetch(`${tv.url}/api/v2/pins?strong=true`, {
      method: 'POST',
      headers: { ...json, 'X-Plex-Client-Identifier': 'cli-1', 'X-Plex-Product': 'plexarr' },
    });
    expect(created.status).toBe(201);
    const pin = (await created.json()) as { id: number; code: string; authToken: string | null; expiresIn: number };
    expect(pin.authToken).toBeNull();
    expect(pin.code).toHaveLength(25);
    expect(pin.expiresIn).toBe(1800);

    const poll = () => fetch(`${tv.url}/api/v2/pins/${pin.id}`, { headers: { ...json, 'X-Plex-Client-Identifier': 'cli-1' } });
    expect(((await (await poll()).json()) as { authToken: unknown }).authToken).toBeNull();
    const otherClient = await fetch(`${tv.url}/api/v2/pins/${pin.id}`, { headers: { ...json, 'X-Plex-Client-Identifier': 'cli-2' } });
    expect(otherClient.status).toBe(404);

    const link = await fetch(`${tv.url}/api/v2/pins/link?code=${pin.code}`, {
      method: 'PUT',
      headers: { 'X-Plex-Token': 'owner-token-123456789', 'X-Plex-Client-Identifier': 'browser' },
    });
    expect(link.status).toBe(204);
    const linked = (await (await poll()).json()) as { authToken: string };
    expect(linked.authToken).toMatch(/^[\w-]{20}$/);
    const me = await fetch(`${tv.url}/api/v2/user`, { headers: { ...json, 'X-Plex-Token': linked.authToken } });
    expect(((await me.json()) as { username: string }).username).toBe('owner');

    tv.clock.advance(1801 * 1000);
    expect((await poll()).status).toBe(404);
  });

  it('issues claim tokens that a server can exchange once, within about four minutes', async () => {
    const tv = await start();
    const issue = async () => {
      const res = await fetch(`${tv.url}/api/claim/token.json`, { headers: { 'X-Plex-Token': 'owner-token-123456789' } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { token: string }).token;
    };
    expect((await fetch(`${tv.url}/api/claim/token.json`, { headers: { 'X-Plex-Token': 'wrong' } })).status).toBe(401);

    const exchange = (claim: string, clientId = 'server-1') =>
      fetch(`${tv.url}/api/claim/exchange?token=${claim}`, { method: 'POST', headers: { 'X-Plex-Client-Identifier': clientId } });

    const claim = await issue();
    expect(claim).toMatch(/^claim-/);
    const ok = await exchange(claim);
    expect(ok.status).toBe(200);
    const serverToken = /<authentication-token>(.*)<\/authentication-token>/.exec(await ok.text())?.[1];
    expect(serverToken).toBeTruthy();
    expect(tv.state.servers).toEqual([expect.objectContaining({ clientIdentifier: 'server-1', accessToken: serverToken })]);
    expect((await exchange(claim, 'server-2')).status).toBe(404);
    expect((await exchange('claim-unknown')).status).toBe(404);
    expect((await fetch(`${tv.url}/api/claim/exchange?token=${await issue()}`, { method: 'POST' })).status).toBe(400);

    const late = await issue();
    tv.clock.advance(CLAIM_TTL_MS - 1000);
    const stillOk = await issue();
    tv.clock.advance(2000);
    expect((await exchange(late)).status).toBe(404);
    expect((await exchange(stillOk, 'server-3')).status).toBe(200);
  });

  it('registers accounts and moves the clock through control endpoints', async () => {
    const tv = await start();
    const res = await fetch(`${tv.url}/__fake/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'second', token: 'second-token-1234567' }),
    });
    expect(res.status).toBe(201);
    expect((await fetch(`${tv.url}/api/v2/user`, { headers: { ...json, 'X-Plex-Token': 'second-token-1234567' } })).status).toBe(200);
    const claim = (
      (await (await fetch(`${tv.url}/api/claim/token.json`, { headers: { 'X-Plex-Token': 'second-token-1234567' } })).json()) as {
        token: string;
      }
    ).token;
    await fetch(`${tv.url}/__fake/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: CLAIM_TTL_MS + 1 }),
    });
    const exchanged = await fetch(`${tv.url}/api/claim/exchange?token=${claim}`, {
      method: 'POST',
      headers: { 'X-Plex-Client-Identifier': 'srv' },
    });
    expect(exchanged.status).toBe(404);
    expect(tv.log.map((e) => e.path)).not.toContain('/__fake/clock');
  });
});
