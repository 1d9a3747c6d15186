import { parse } from 'yaml';

/**
 * What a re-run changes in docker-compose.yml, in a few words: the full diff of a changed stack
 * is longer than a screen, and the review must stay readable above it.
 */
export interface ComposeChanges {
  added: string[];
  removed: string[];
  /** Services whose published ports differ, as `radarr 7878:7878 → 7001:7878`. */
  ports: string[];
  /** Added plus removed lines in the diff. */
  lines: number;
}

type Services = Record<string, { ports?: unknown[] } | null>;

export function summarizeComposeChanges(oldYaml: string, newYaml: string, diff: string): ComposeChanges {
  const lines = diff.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l)).length;
  const before = servicesOf(oldYaml);
  const after = servicesOf(newYaml);
  if (!before || !after) return { added: [], removed: [], ports: [], lines };
  const ports: string[] = [];
  for (const name of Object.keys(after).filter((n) => n in before)) {
    const was = portsOf(before[name]);
    const now = portsOf(after[name]);
    if (was.join() !== now.join()) ports.push(`${name} ${was.join(', ') || 'none'} → ${now.join(', ') || 'none'}`);
  }
  return {
    added: Object.keys(after).filter((n) => !(n in before)),
    removed: Object.keys(before).filter((n) => !(n in after)),
    ports,
    lines,
  };
}

export function formatComposeChanges(c: ComposeChanges): string[] {
  const parts = [
    ...(c.added.length ? [`services added: ${c.added.join(', ')}`] : []),
    ...(c.removed.length ? [`services removed: ${c.removed.join(', ')}`] : []),
    ...(c.ports.length ? [`ports changed: ${c.ports.join('; ')}`] : []),
  ];
  return [...parts, `${c.lines} line${c.lines === 1 ? '' : 's'} changed in all`];
}

/** A hand-edited or damaged file still gets a diff; the summary then names no services. */
function servicesOf(text: string): Services | undefined {
  try {
    const services = (parse(text) as { services?: unknown } | null)?.services;
    return services !== null && typeof services === 'object' && !Array.isArray(services) ? (services as Services) : undefined;
  } catch {
    return undefined;
  }
}

function portsOf(service: Services[string] | undefined): string[] {
  return (service?.ports ?? []).map((p) => (typeof p === 'string' || typeof p === 'number' ? String(p) : JSON.stringify(p)));
}
