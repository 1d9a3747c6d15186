import { CATALOG, CONTAINER_PATHS } from '../../catalog/index.js';
import type { NzbgetOption } from '../../clients/nzbget.js';
import type { NzbgetInstance } from './apps.js';
import { disabledReason, label, pending, updateOrUnchanged, type Ctx, type StackHookup } from './shared.js';

/**
 * NZBGet categories `Movies`, `Series`, `Music` (the names the *arr download clients send) with
 * their own destinations, and the intermediate dir on the media volume. `saveconfig` keeps only
 * what it is sent (options left out are dropped), so the whole option list goes back, and the
 * *arr apps stop reading categories at the first gap, so numbering is kept contiguous.
 */

export const NZBGET_CATEGORIES = [
  { name: 'Movies', destDir: CONTAINER_PATHS.downloads.movies },
  { name: 'Series', destDir: CONTAINER_PATHS.downloads.tv },
  { name: 'Music', destDir: CONTAINER_PATHS.downloads.music },
] as const;
export const NZBGET_INTER_DIR = CONTAINER_PATHS.incomplete;
const READY_TIMEOUT_MS = 60_000;

const CATEGORY_OPTION = /^Category(\d+)\.(.+)$/;

interface Category {
  index: number;
  props: NzbgetOption[];
}

/** The option list with the desired categories and InterDir, and the names of what changed. */
function desiredOptions(options: readonly NzbgetOption[]): { options: NzbgetOption[]; fields: string[] } {
  const fields: string[] = [];
  const byIndex = new Map<number, Category>();
  const rest: NzbgetOption[] = [];
  let categoriesAt = -1;
  for (const option of options) {
    const m = CATEGORY_OPTION.exec(option.Name);
    if (!m) {
      rest.push({ ...option });
      continue;
    }
    if (categoriesAt < 0) categoriesAt = rest.length;
    const index = Number(m[1]);
    const category = byIndex.get(index) ?? { index, props: [] };
    category.props.push({ Name: m[2] ?? '', Value: option.Value });
    byIndex.set(index, category);
  }
  const categories = [...byIndex.values()].sort((a, b) => a.index - b.index);
  if (categories.some((c, i) => c.index !== i + 1)) fields.push('category numbering');

  const prop = (c: Category, name: string) => c.props.find((p) => p.Name === name);
  for (const want of NZBGET_CATEGORIES) {
    const found = categories.find((c) => prop(c, 'Name')?.Value === want.name);
    if (!found) {
      categories.push({
        index: 0,
        props: [
          { Name: 'Name', Value: want.name },
          { Name: 'DestDir', Value: want.destDir },
        ],
      });
      fields.push(`category ${want.name}`);
      continue;
    }
    const dest = prop(found, 'DestDir');
    if (dest?.Value === want.destDir) continue;
    if (dest) dest.Value = want.destDir;
    else found.props.push({ Name: 'DestDir', Value: want.destDir });
    fields.push(`${want.name}.DestDir`);
  }

  const inter = rest.find((o) => o.Name === 'InterDir');
  if (inter?.Value !== NZBGET_INTER_DIR) {
    fields.push('InterDir');
    if (inter) inter.Value = NZBGET_INTER_DIR;
    else rest.push({ Name: 'InterDir', Value: NZBGET_INTER_DIR });
  }

  const categoryOptions = categories.flatMap((c, i) => c.props.map((p) => ({ Name: `Category${i + 1}.${p.Name}`, Value: p.Value })));
  const at = categoriesAt < 0 ? rest.length : categoriesAt;
  return { options: [...rest.slice(0, at), ...categoryOptions, ...rest.slice(at)], fields };
}

export function nzbgetCategories(instance: NzbgetInstance): StackHookup {
  const target = (ctx: Pick<Ctx, 'config'>) => `${label(instance, ctx.config)} categories Movies, Series, Music`;
  return {
    id: `${instance}.categories`,
    title: `${CATALOG[instance].label}: categories and download folders`,
    services: [instance],
    dependsOn: [`wait.${instance}`],
    skipReason: (config) => disabledReason(config, [instance]),
    async plan(ctx) {
      const current = await ctx.clients[instance].loadConfig();
      const { options, fields } = desiredOptions(current);
      return [updateOrUnchanged(target(ctx), fields, options)];
    },
    async apply(ctx, plan) {
      const client = ctx.clients[instance];
      for (const change of pending(plan)) {
        await client.saveConfig(change.data as NzbgetOption[]);
        await client.reload(READY_TIMEOUT_MS, ctx.signal);
      }
    },
  };
}
