import type { ArrApp } from '../../clients/arr.js';
import { internalUrl } from '../../catalog/index.js';
import { fieldValue, applyProvider, planProvider, type ProviderSpec } from './provider.js';
import { ARR_APPS } from './apps.js';
import { disabledReason, secret, type Ctx, type StackHookup } from './shared.js';

/**
 * A Prowlarr application per *arr app (API-NOTES §1.7), so indexers added once in Prowlarr are
 * synced to every app. Both URLs are container-network URLs: `prowlarrUrl` is how the app reaches
 * Prowlarr, `baseUrl` how Prowlarr reaches the app. A changed port/URL is visible and updated; a
 * rotated app key is masked, so it is detected by Prowlarr's own `applications/test` of the
 * stored entry (see provider.ts) and the current key is sent.
 */

function prowlarrAppSpec(ctx: Ctx, app: ArrApp): ProviderSpec {
  const facts = ARR_APPS[app];
  const baseUrl = internalUrl(app, ctx.config);
  return {
    target: `application '${facts.label}' in Prowlarr`,
    api: ctx.clients.prowlarr.applications,
    match: (r) =>
      r.implementation === facts.implementation && (r.name.toLowerCase() === facts.label.toLowerCase() || fieldValue(r, 'baseUrl') === baseUrl),
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
  return {
    id: `prowlarr.app.${app}`,
    title: `Prowlarr: sync indexers to ${facts.label}`,
    services: ['prowlarr', app],
    dependsOn: ['wait.prowlarr', `wait.${app}`],
    skipReason: (config) => disabledReason(config, ['prowlarr', app]),
    plan: (ctx) => planProvider(ctx, prowlarrAppSpec(ctx, app)),
    apply: (ctx, plan) => applyProvider(ctx.clients.prowlarr.applications, plan),
  };
}
