// Preload (`node --import ./test/helpers/trace-imports.mjs …`) that records every module URL the
// process resolves and, at exit, writes them (one per line) to the file named by
// PLEXARR_TRACE_IMPORTS. Used to prove `plexarr --help` loads no heavy dependency.
import { writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const out = process.env.PLEXARR_TRACE_IMPORTS;
if (out) {
  const seen = new Set();
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url) => seen.add(url));
  port1.unref();
  const hooks = `
    let port;
    export function initialize(data) { port = data.port; }
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      port.postMessage(result.url);
      return result;
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { port: port2 }, transferList: [port2] });
  process.on('exit', () => writeFileSync(out, [...seen].join('\n')));
}
