// linuxserver/nzbget's init for a real NZBGet: create /config/nzbget.conf from the template only
// when absent (MainDir=/config, AuthorizedIP=127.0.0.1, …), make /config belong to PUID:PGID,
// then run nzbget in the foreground with the login from NZBGET_USER/NZBGET_PASS as -o overrides.
import { spawn } from 'node:child_process';
import { chownSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const uid = Number(process.env.PUID ?? 911);
const gid = Number(process.env.PGID ?? 911);
const conf = '/config/nzbget.conf';

const overrides = {
  MainDir: '/config',
  DestDir: '/downloads/completed',
  InterDir: '/downloads/intermediate',
  ScriptDir: '${MainDir}/scripts',
  LogFile: '${MainDir}/nzbget.log',
  WebDir: '/usr/share/nzbget/webui',
  ConfigTemplate: '/usr/share/nzbget/nzbget.conf',
  AuthorizedIP: '127.0.0.1',
  ControlIP: '0.0.0.0',
  CertCheck: 'no',
  UnrarCmd: 'unrar',
  SevenZipCmd: '7z',
};

if (!existsSync(conf)) {
  const lines = readFileSync('/usr/share/nzbget/nzbget.conf', 'utf8').split('\n');
  const out = lines.map((line) => {
    const m = /^([A-Za-z0-9.]+)=/.exec(line);
    return m && m[1] in overrides ? `${m[1]}=${overrides[m[1]]}` : line;
  });
  writeFileSync(conf, out.join('\n'));
}

function chownTree(path) {
  chownSync(path, uid, gid);
  if (!statSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name));
}
chownTree('/config');

const args = ['-s', '-c', conf, '-o', 'OutputMode=log'];
if (process.env.NZBGET_USER) args.push('-o', `ControlUsername=${process.env.NZBGET_USER}`);
if (process.env.NZBGET_PASS) args.push('-o', `ControlPassword=${process.env.NZBGET_PASS}`);
const child = spawn('/usr/bin/nzbget', args, { uid, gid, stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
