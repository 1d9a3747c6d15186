#!/usr/bin/env node
// A fresh default `plexarr coordinate` on the fakes, with the Seerr fake's overlapping-save hang
// on (as the real Seerr/Overseerr behave) and off, alternately: wall time of each run, and any
// Seerr request left unanswered. Goal: the runs with the hang within 1.3× of those without.
// Usage: node bench/seerr-hang.mjs [rounds]   (needs a build: npm run build; real nzbget installed)
import { startSim } from '../test/sim/harness.js';

const rounds = Number(process.argv[2] ?? 3);

async function once(hang) {
  const sim = await startSim();
  try {
    sim.stack.services.get('seerr').state.quirks.overlappingSaveHangs = hang;
    sim.resetLogs();
    const started = performance.now();
    const run = await sim.coordinate();
    const wallMs = performance.now() - started;
    const unanswered = sim.stack.services.get('seerr').log.filter((e) => e.status === 0).length;
    return { code: run.code, wallMs, unanswered };
  } finally {
    await sim.close();
  }
}

const results = { on: [], off: [] };
for (let i = 0; i < rounds; i++) {
  for (const hang of [true, false]) {
    const r = await once(hang);
    results[hang ? 'on' : 'off'].push(r);
    console.log(`hang ${hang ? 'on ' : 'off'}: exit ${r.code}, wall ${Math.round(r.wallMs)} ms, unanswered Seerr requests ${r.unanswered}`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const on = median(results.on.map((r) => r.wallMs));
const off = median(results.off.map((r) => r.wallMs));
console.log(`median wall: hang on ${Math.round(on)} ms, hang off ${Math.round(off)} ms, ratio ${(on / off).toFixed(2)} (goal <= 1.3)`);
