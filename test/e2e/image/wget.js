#!/usr/bin/node
// Stand-in for wget inside the e2e images: enough for Seerr's health check
// (`wget --no-verbose --tries=1 --spider URL`, sent as GET: the fakes need not route HEAD) and
// `wget -qO- URL`. CommonJS, see curl.js.
const http = process.getBuiltinModule('node:http');
const fs = process.getBuiltinModule('node:fs');

const args = process.argv.slice(2);
let spider = false;
let quiet = false;
let out;
let url;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--spider') spider = true;
  else if (a === '-q' || a === '--quiet') quiet = true;
  else if (a === '-O') out = args[++i];
  else if (a === '-qO-') {
    quiet = true;
    out = '-';
  } else if (a.startsWith('-O')) out = a.slice(2);
  else if (!a.startsWith('-')) url = a;
}
if (!url) {
  process.stderr.write('wget: missing URL\n');
  process.exit(1);
}
const target = new URL(url);
if (target.hostname === 'localhost') target.hostname = '127.0.0.1';

const req = http.request(target, { method: 'GET', timeout: 30000 }, (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    if (res.statusCode >= 400) {
      if (!quiet) process.stderr.write(`wget: server returned error: HTTP/1.1 ${res.statusCode}\n`);
      process.exit(8);
    }
    if (!spider) {
      const text = Buffer.concat(chunks);
      if (out === '-' || out === undefined) process.stdout.write(text);
      else fs.writeFileSync(out, text);
    } else if (!quiet) process.stderr.write('remote file exists\n');
    process.exit(0);
  });
});
req.on('timeout', () => req.destroy(new Error('timed out')));
req.on('error', (e) => {
  if (!quiet) process.stderr.write(`wget: ${e.message}\n`);
  process.exit(4);
});
req.end();
