import { catalogEntry, configDir, enabledServices, type PreseedPlan } from '../catalog/index.js';
import type { Secrets, StackConfig } from '../config/schema.js';

export type { PreseedPlan } from '../catalog/index.js';

/**
 * Files apps read only on their first start, written before it: the pre-seed step of every
 * enabled service that has one, in catalog order. Everything else is handed over by the
 * environment or set through the apps' APIs after the first start.
 */
export function planPreseed(config: StackConfig, secrets: Secrets): PreseedPlan {
  const plan: PreseedPlan = { changes: [], adopt: {}, notes: [] };
  for (const id of enabledServices(config)) {
    const entry = catalogEntry(id, config);
    if (!entry.preseed) continue;
    const part = entry.preseed(config, secrets, configDir(config, entry.container));
    plan.changes.push(...part.changes);
    Object.assign(plan.adopt, part.adopt);
    plan.notes.push(...part.notes);
  }
  return plan;
}
