// News servers in the REAL nzbget, written the way plexarr writes categories: loadconfig → edit
// the whole option list → saveconfig → reload. NZBGet needs no fake for this; the test pins down
// the option names and how nzbget reads them.
//
// Options per server N (contiguous from 1; the names are exact, the case matters in the file):
//   ServerN.Active      yes|no                  ServerN.Name        free text (shown in logs/UI)
//   ServerN.Level       0 = primary, 1.. = backup/fill (higher levels are tried after lower ones fail)
//   ServerN.Optional    yes|no (v21+: a failing optional server does not count against the article)
//   ServerN.Group       0 = none; servers of one group are used as one (same account on two hosts)
//   ServerN.Host        host name or IP          ServerN.Port        119 plain, 563 TLS
//   ServerN.Username    account user             ServerN.Password    account password (clear text in the file)
//   ServerN.JoinGroup   yes|no (send GROUP before ARTICLE; providers today do not need it)
//   ServerN.Encryption  yes|no (TLS)             ServerN.Cipher      OpenSSL cipher list, empty = default
//   ServerN.Connections parallel connections     ServerN.Retention   days, 0 = unlimited
//   ServerN.IpVersion   auto|ipv4|ipv6           ServerN.Notes       free text
// nzbgetcom/nzbget (v24+, what linuxserver ships) adds ServerN.CertVerification none|minimal|strict
// (default strict) and its stock Server1 is Encryption=yes, Port=563, Connections=8.
// Both the Debian example nzbget.conf and the upstream/linuxserver template ship an active
// placeholder Server1 (Host=my.newsserver.com, user/pass): a client that "adds" servers must
// replace or disable it, not append after it.
// Verified against the real app's source (nzbgetcom/nzbget daemon/main/Options.cpp InitServers)
// and the real Debian nzbget 21 below: servers are read from 1 upwards and reading stops at the
// first index with no ServerN.* option at all, so a numbering gap hides every server after it;
// a server is only used when Host, Port and Connections are all set.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { nzbgetMissing, startNzbget, type NzbgetHandle } from './nzbget.js';
import { describeNeeding } from '../helpers/tiers.js';

type Option = { Name: string; Value: string };

const server = (n: number, values: Record<string, string>): Option[] =>
  Object.entries(values).map(([key, Value]) => ({ Name: `Server${n}.${key}`, Value }));
const PRIMARY = {
  Active: 'yes',
  Name: 'primary',
  Level: '0',
  Optional: 'no',
  Group: '0',
  Host: 'news.example.com',
  Port: '563',
  Username: 'u1',
  Password: 'p1-secret',
  JoinGroup: 'no',
  Encryption: 'yes',
  Cipher: '',
  Connections: '20',
  Retention: '3000',
  IpVersion: 'auto',
  Notes: '',
};
const BACKUP = {
  ...PRIMARY,
  Name: 'backup',
  Level: '1',
  Host: 'fill.example.net',
  Port: '119',
  Username: 'u2',
  Password: 'p2-secret',
  Encryption: 'no',
  Connections: '8',
  Retention: '0',
};

describeNeeding(nzbgetMissing())('NZBGet news servers (real nzbget)', () => {
  let nzb: NzbgetHandle;
  beforeAll(async () => {
    nzb = await startNzbget();
  });
  afterAll(async () => {
    await nzb?.stop();
  });

  /** Writes the file's options with every ServerN.* replaced by `servers`, then reloads and waits for the new servers to be in effect. */
  async function writeServers(servers: Option[]) {
    const current: Option[] = await nzb.rpc('loadconfig');
    const kept = current.filter((o) => !/^Server\d+\./i.test(o.Name));
    expect(await nzb.rpc('saveconfig', [[...kept, ...servers]])).toBe(true);
    await nzb.rpc('reload');
    const serverOptions = (list: Option[]) =>
      JSON.stringify(
        list
          .filter((o) => o.Name.startsWith('Server'))
          .map((o) => `${o.Name}=${o.Value}`)
          .sort(),
      );
    for (let i = 0; i < 100; i += 1) {
      try {
        if (serverOptions(await nzb.rpc('config')) === serverOptions(servers)) return;
      } catch {
        // restarting
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('nzbget did not come back with the new servers');
  }
  const newsServers = async (): Promise<{ ID: number; Active: boolean }[]> => (await nzb.rpc('status')).NewsServers;

  it('ships a placeholder Server1 that is active', async () => {
    const file: Option[] = await nzb.rpc('loadconfig');
    const byName = Object.fromEntries(file.map((o) => [o.Name, o.Value]));
    expect([byName['Server1.Active'], byName['Server1.Host'], byName['Server2.Host']]).toEqual(['yes', 'my.newsserver.com', undefined]);
  });

  it('two servers written through saveconfig/reload are read back with every option, and both are loaded', async () => {
    await writeServers([...server(1, PRIMARY), ...server(2, BACKUP)]);
    const file: Option[] = await nzb.rpc('loadconfig');
    const inFile = Object.fromEntries(file.filter((o) => o.Name.startsWith('Server')).map((o) => [o.Name, o.Value]));
    expect(inFile).toEqual(Object.fromEntries([...server(1, PRIMARY), ...server(2, BACKUP)].map((o) => [o.Name, o.Value])));
    // the rest of the file survived because the whole list was sent back
    expect(file.find((o) => o.Name === 'Category1.Name')?.Value).toBe('Movies');
    const inEffect: Option[] = await nzb.rpc('config');
    expect(inEffect.find((o) => o.Name === 'Server2.Level')?.Value).toBe('1');
    expect(await newsServers()).toEqual([
      { ID: 1, Active: true },
      { ID: 2, Active: true },
    ]);
  });

  it('a numbering gap hides the servers after it', async () => {
    await writeServers([...server(1, PRIMARY), ...server(3, BACKUP)]);
    expect((await newsServers()).map((s) => s.ID)).toEqual([1]);
    const file: Option[] = await nzb.rpc('loadconfig');
    expect(file.find((o) => o.Name === 'Server3.Host')?.Value).toBe('fill.example.net');
  });
});
