#!/usr/bin/node
// Stand-in for curl inside the e2e images (FROM scratch), so the generated compose health checks
// run unmodified: `curl -fsS URL`, plus -X, -H, -d, -u, -o, -m for poking services from inside a
// container. Runs as CommonJS (no package.json above /usr/bin), hence getBuiltinModule.
const http = process.getBuiltinModule('node:http');
const fs = process.getBuiltinModule('node:fs');

const args = process.argv.slice(2);
let fail = false;
let quietErrors = true;
let method;
let body;
let out;
let timeoutMs = 30000;
const headers = {};
let url;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '-X' || a === '--request') method = args[++i];
  else if (a === '-H' || a === '--header') {
    const h = args[++i];
    const at = h.indexOf(':');
    headers[h.slice(0, at).trim()] = h.slice(at + 1).trim();
  } else if (a === '-d' || a === '--data' || a === '--data-raw') body = args[++i];
  else if (a === '-u' || a === '--user') headers.Authorization = `Basic ${Buffer.from(args[++i]).toString('base64')}`;
  else if (a === '-o' || a === '--output') out = args[++i];
  else if (a === '-m' || a === '--max-time') timeoutMs = Number(args[++i]) * 1000;
  else if (a.startsWith('--')) {
    if (a === '--fail') fail = true;
    else if (a === '--show-error') quietErrors = false;
  } else if (a.startsWith('-')) {
    if (a.includes('f')) fail = true;
    if (a.includes('S')) quietErrors = false;
  } else url = a;
}
if (!url) {
  process.stderr.write('curl: no URL specified\n');
  process.exit(2);
}
if (body !== undefined) {
  headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
  // NZBGet's web server does not read chunked bodies.
  headers['Content-Length'] = String(Buffer.byteLength(body));
}
const target = new URL(url);
// The services in these images listen on IPv4 only.
if (target.hostname === 'localhost') target.hostname = '127.0.0.1';

const req = http.request(target, { method: method ?? (body === undefined ? 'GET' : 'POST'), headers, timeout: timeoutMs }, (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    const text = Buffer.concat(chunks);
    if (fail && res.statusCode >= 400) {
      if (!quietErrors) process.stderr.write(`curl: (22) The requested URL returned error: ${res.statusCode}\n`);
      process.exit(22);
    }
    if (out) fs.writeFileSync(out, text);
    else process.stdout.write(text);
    process.exit(0);
  });
});
req.on('timeout', () => req.destroy(new Error('timed out')));
req.on('error', (e) => {
  if (!quietErrors) process.stderr.write(`curl: (7) Failed to connect to ${target.host}: ${e.message}\n`);
  process.exit(7);
});
if (body !== undefined) req.write(body);
req.end();
