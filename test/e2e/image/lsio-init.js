// What a linuxserver image's init does before the app starts, for a fake app: make /config
// belong to PUID:PGID, then run the app as that user. Usage: node /e2e/lsio-init.js <app>
import { chownSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const app = process.argv[2];
const uid = Number(process.env.PUID ?? 911);
const gid = Number(process.env.PGID ?? 911);

function chownTree(path) {
  chownSync(path, uid, gid);
  if (!statSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name));
}

if (process.getuid?.() === 0) {
  chownTree('/config');
  process.setgroups([gid]);
  process.setgid(gid);
  process.setuid(uid);
}
process.argv = [process.argv[0], '/fakes/serve.js', app];
await import('/fakes/serve.js');
