// Fault injection shared by every fake: a start-up period (refused connections or 503), added
// latency, a seeded fraction of 500s and a "crash" that drops connections after N requests.
// The RNG is seeded so an error-rate test is reproducible.

/**
 * @typedef {object} Faults
 * @property {number} [startupMs] how long after start (or after being set live) the fake is unavailable
 * @property {'refuse'|'503'} [startupMode] unavailable = connection refused (not listening) or HTTP 503
 * @property {number} [latencyMs] added before every request is handled
 * @property {number} [errorRate] 0..1, fraction of requests answered 500
 * @property {number | null} [crashAfter] after N requests (counted from when faults were last set) every socket is destroyed
 * @property {number} [seed] seed for the error-rate RNG
 */

/** mulberry32: tiny, fast, good enough to spread injected errors evenly. */
/** @param {number} seed */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Live fault state. `set()` merges (JSON merge semantics: null deletes) and restarts the counters,
 * so "crashAfter: 3" always means three more good requests.
 * @param {Faults} [initial]
 */
export function createFaults(initial = {}) {
  /** @type {Faults} */
  const current = {};
  let random = seededRandom(0);
  let served = 0;
  let unavailableUntil = 0;

  /** @param {Faults} patch */
  function set(patch) {
    for (const [k, v] of Object.entries(patch ?? {})) {
      if (v === null || v === undefined) delete current[/** @type {keyof Faults} */ (k)];
      else /** @type {Record<string, unknown>} */ (current)[k] = v;
    }
    random = seededRandom(current.seed ?? 0);
    served = 0;
    if (patch && 'startupMs' in patch) unavailableUntil = Date.now() + (current.startupMs ?? 0);
  }
  set(initial);

  return {
    /** the live values (mutating this object directly works too) */
    current,
    set,
    /** true while the start-up period lasts */
    unavailable: () => Date.now() < unavailableUntil,
    /** ms left in the start-up period */
    unavailableMs: () => Math.max(0, unavailableUntil - Date.now()),
    mode: () => current.startupMode ?? 'refuse',
    /** counts a request; says what to do with it */
    next() {
      served += 1;
      if (current.crashAfter !== undefined && current.crashAfter !== null && served > current.crashAfter) return 'crash';
      if (current.errorRate && random() < current.errorRate) return 'error';
      return 'ok';
    },
    latencyMs: () => current.latencyMs ?? 0,
  };
}
