import { randomBytes } from 'node:crypto';
import { apiKeySecret, enabledServices, loginSecrets, referencedSecrets, secretSpec } from './catalog/index.js';
import type { SecretName, Secrets, StackConfig } from './config/schema.js';

/** The *arr apps generate 32 lowercase hex keys themselves; ours look the same. */
export function generateApiKey(): string {
  return randomBytes(16).toString('hex');
}

/** URL-safe, so a password survives URLs, `.env` and shells without quoting. */
export function generatePassword(length = 20): string {
  return randomBytes(Math.ceil((length * 3) / 4))
    .toString('base64url')
    .slice(0, length);
}

/** Secrets plexarr can invent. Tokens (PLEX_TOKEN, PLEX_CLAIM) come from the user's plex.tv account. */
function generated(name: SecretName): string | undefined {
  const spec = secretSpec(name);
  switch (spec?.kind) {
    case 'apiKey':
      return generateApiKey();
    case 'password':
      return generatePassword();
    case 'username':
      return spec.value;
    default:
      return undefined;
  }
}

/**
 * Every secret the config needs: the admin password, the ones compose references, the API keys and
 * the services' own logins (NPM's admin password is generated and kept though no container is given it).
 */
export function requiredSecrets(config: StackConfig): SecretName[] {
  const names = new Set<SecretName>(['ADMIN_PASSWORD']);
  for (const id of enabledServices(config)) {
    for (const name of referencedSecrets(id, config)) names.add(name);
    const login = loginSecrets(id);
    for (const name of [apiKeySecret(id), login.user, login.password]) if (name) names.add(name);
  }
  return [...names];
}

/**
 * `given` (flags, answers) wins, then `existing` (SQLite) — a re-run must keep the keys the apps
 * already hold — and whatever is still missing is generated. Secrets of services that were turned
 * off are kept, so turning them back on finds the app's data and key still matching.
 */
export function generateSecrets(config: StackConfig, existing: Secrets, given: Secrets): Secrets {
  const result: Secrets = { ...existing };
  for (const [name, value] of Object.entries(given) as [SecretName, string | undefined][]) {
    if (value !== undefined && value !== '') result[name] = value;
  }
  for (const name of requiredSecrets(config)) {
    if (result[name] !== undefined && result[name] !== '') continue;
    const value = generated(name);
    if (value !== undefined) result[name] = value;
  }
  return result;
}
