import type { ArrApp } from '../../clients/arr.js';
import { internalUrl } from '../../catalog/index.js';
import { fieldValue, applyProvider, planProvider, type ProviderSpec } from './provider.js';
import { ARR_APPS } from './apps.js';
import { disabledReason, secret, type Ctx, type StackHookup } from './shared.js';

/**
 * A Prowlarr application per *arr app, so indexers added once in Prowlarr are
 * synced to every app. Both URLs are container-network URLs: `prowlarrUrl` is how the app reaches
 * Prowlarr, `baseUrl` how Prowlarr reaches the app. A changed port/URL is visible and updated; the
 * app key is masked, so a rotated one is found by its applied-secret fingerprint (see provider.ts)
 * and the current key is sent.
 */

function prowlarrAppSpec(ctx: Ctx, app: ArrApp, key: string): ProviderSpec {
  const facts = ARR_APPS[app];
  const baseUrl = internalUrl(app, ctx.config);
  return {
    target: `application '${facts.label}' in Prowlarr`,
    key,
    api: ctx.clients.prowlarr.applications,
    match: (r) =>
      r.implementation === facts.implementation &&
      (r.name.toLowerCase() === facts.label.toLowerCase() || fieldValue(r, 'baseUrl') === baseUrl),
    top: { name: facts.label, syncLevel: 'fullSync' },
    fields: {
      prowlarrUrl: internalUrl('prowlarr', ctx.config),
      baseUrl,
      apiKey: secret(ctx.secrets, facts.apiKey),
    },
    secretFields: ['apiKey'],
    identity: { implementation: facts.implementation, configContract: `${facts.implementation}Settings`, tags: [] },
  };
}

export function prowlarrApp(app: ArrApp): StackHookup {
  const facts = ARR_APPS[app];
  const id = `prowlarr.app.${app}`;
  return {
    id,
    title: `Prowlarr: sync indexers to ${facts.label}`,
    services: ['prowlarr', app],
    dependsOn: ['wait.prowlarr', `wait.${app}`],
    skipReason: (config) => disabledReason(config, ['prowlarr', app]),
    plan: (ctx) => planProvider(ctx, prowlarrAppSpec(ctx, app, id)),
    apply: (ctx, plan) => applyProvider(ctx, ctx.clients.prowlarr.applications, plan),
  };
}
