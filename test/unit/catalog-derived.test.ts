import { describe, expect, test } from '@jest/globals';
import { CATALOG, catalogEntry, hasWebPort, SECRET_SPECS, serviceName } from '../../src/catalog/index.js';
import { REQUEST_MANAGER_ENTRIES } from '../../src/catalog/services.js';
import { buildProgram } from '../../src/cli.js';
import { createClients } from '../../src/clients/index.js';
import { collectCredentials } from '../../src/commands/credentials.js';
import { PORT_KEYS, portKey } from '../../src/config/answers.js';
import { PORT_KEYS as TEST_PORT_KEYS } from '../helpers/ports.js';
import {
  DEFAULT_ENABLED,
  DEFAULT_PORTS,
  REQUEST_MANAGERS,
  requestManagerSchema,
  SECRET_NAMES,
  SERVICE_IDS,
  serviceIdSchema,
  stackConfigSchema,
  type ServiceId,
} from '../../src/config/schema.js';
import { buildGraph } from '../../src/coordinate/graph.js';
import { masker } from '../../src/redact.js';
import { generateSecrets } from '../../src/secrets.js';
import { defaultAnswers } from '../../src/config/defaults.js';
import { memoryLogger } from '../../src/ui/logger.js';
import { services } from '../../src/wizard/services.js';
import { scriptedPrompts } from '../helpers/prompts.js';
import { FIXTURE_SECRETS, fixtureConfig } from './compose-fixtures.js';

/** Every list other modules use is derived from the catalog; these walk it and check each one. */

const everything = fixtureConfig(SERVICE_IDS);
const entries = SERVICE_IDS.map((id) => CATALOG[id]);

describe('lists derived from the catalog', () => {
  test('the catalog has one entry per id, in id order, each under its own key', () => {
    expect(Object.keys(CATALOG)).toEqual([...SERVICE_IDS]);
    for (const id of SERVICE_IDS) expect(CATALOG[id].id).toBe(id);
    expect(Object.keys(REQUEST_MANAGER_ENTRIES)).toEqual([...REQUEST_MANAGERS]);
  });

  test('the schemas accept exactly the catalog ids and request managers', () => {
    expect(serviceIdSchema.options).toEqual([...SERVICE_IDS]);
    expect(requestManagerSchema.options).toEqual([...REQUEST_MANAGERS]);
    expect(Object.keys(stackConfigSchema.shape.services.shape)).toEqual([...SERVICE_IDS]);
  });

  test('default ports and default services come from the entries', () => {
    for (const entry of entries) {
      expect(DEFAULT_PORTS[entry.id]).toEqual(Object.fromEntries(entry.ports.map((p) => [p.role, p.host])));
    }
    expect(DEFAULT_ENABLED).toEqual(entries.filter((e) => e.defaultEnabled).map((e) => e.id));
    // Every role can be set by `--port`: `<id>` for a single port, `<id>.<role>` for each of several.
    for (const entry of entries) {
      const keys = entry.ports.length === 1 ? [entry.id] : entry.ports.map((p) => `${entry.id}.${p.role}`);
      for (const key of keys) expect(PORT_KEYS).toContain(key);
    }
    // The tests pin every port by its shortest key; that list follows the catalog too.
    expect([...TEST_PORT_KEYS].sort()).toEqual(entries.flatMap((e) => e.ports.map((p) => portKey(e.id, p.role))).sort());
  });

  test('the secret names are the stack admin password plus every secret an entry owns, each once', () => {
    const owned = entries.flatMap((e) => e.secrets.map((s) => s.name));
    expect(SECRET_NAMES).toEqual(['ADMIN_PASSWORD', ...owned]);
    expect(new Set(SECRET_NAMES).size).toBe(SECRET_NAMES.length);
    // The SecretName type: FIXTURE_SECRETS must name every member of it and nothing else.
    expect(Object.keys(FIXTURE_SECRETS).sort()).toEqual([...SECRET_NAMES].sort());
    // Both request-manager variants own the same secrets, and what an environment references is owned.
    for (const variant of Object.values(REQUEST_MANAGER_ENTRIES)) expect(variant.secrets).toEqual(CATALOG.requests.secrets);
    for (const manager of REQUEST_MANAGERS) {
      const config = { ...everything, requestManager: manager };
      for (const id of SERVICE_IDS) {
        const env = catalogEntry(id, config).environment(config);
        // Recyclarr is handed the API keys of the apps it manages; every other reference is owned.
        const handed = id === 'recyclarr' ? ['RADARR_API_KEY', 'SONARR_API_KEY'] : [];
        for (const value of Object.values(env))
          if (typeof value !== 'string')
            expect([...catalogEntry(id, config).secrets.map((s) => s.name), ...handed]).toContain(value.secret);
      }
    }
  });

  test('every service has a readiness probe, unless it has no web API at all', () => {
    for (const entry of entries) {
      expect(entry.probe).not.toBeUndefined();
      if (entry.probe === null) expect(hasWebPort(entry.id)).toBe(false);
    }
  });

  test('the task graph names and waits for every enabled service', () => {
    const graph = buildGraph([], everything, FIXTURE_SECRETS);
    for (const id of SERVICE_IDS) {
      expect(serviceName(id)).toBe(CATALOG[id].prose ?? CATALOG[id].label);
      expect(graph.nodes.get(`wait.${id}`)?.title).toBe(`Wait for ${serviceName(id)} to answer`);
    }
  });

  test('there is a client for every service with an HTTP API', () => {
    const clients = createClients({ config: everything, secrets: FIXTURE_SECRETS });
    for (const entry of entries) if (entry.probe) expect(Object.keys(clients)).toContain(entry.id);
  });

  test('credentials list every API key and every login the catalog declares', () => {
    const creds = collectCredentials(everything, FIXTURE_SECRETS);
    const withKey = entries.filter((e) => e.secrets.some((s) => s.kind === 'apiKey')).map((e) => e.id);
    expect(Object.keys(creds.apiKeys)).toEqual(withKey);
    expect(creds.admin.usedBy).toEqual(entries.filter((e) => e.login?.kind === 'stack').map((e) => e.label));
    for (const entry of entries) {
      if (entry.login?.kind !== 'own') expect(creds[entry.id]).toBeUndefined();
      else expect(creds[entry.id]).toMatchObject({ password: FIXTURE_SECRETS[entry.login.password] });
    }
  });

  test('generated secrets: a value for every key, password and user name of the enabled services', () => {
    const secrets = generateSecrets(everything, {}, {});
    for (const spec of SECRET_SPECS) {
      if (spec.kind === 'token') expect(secrets[spec.name]).toBeUndefined();
      else if (spec.kind === 'username') expect(secrets[spec.name]).toBe(spec.value);
      else expect(secrets[spec.name]).toEqual(expect.any(String));
    }
  });

  test('`init --help` lists every service id', () => {
    const init = buildProgram(async () => {}).commands.find((c) => c.name() === 'init');
    expect(init?.helpInformation().replace(/\s+/g, ' ')).toContain(`comma-separated: ${SERVICE_IDS.join(',')}`);
  });

  test('the wizard offers every service, labelled as in the catalog', async () => {
    const prompt = scriptedPrompts({ services: ['plex'], adminUser: undefined, adminPassword: '', plexToken: '' });
    let offered: { value: ServiceId; name?: string }[] = [];
    const checkbox = prompt.checkbox;
    prompt.checkbox = (q) => {
      offered = q.choices as typeof offered;
      return checkbox(q);
    };
    await services({
      prompt,
      answers: {},
      defaults: defaultAnswers('/srv/plexarr', { puid: 1000, pgid: 1000, tz: 'UTC', hostAddress: '127.0.0.1' }),
      log: memoryLogger(),
      saved: false,
      plexTokenSaved: false,
    });
    expect(offered.map((c) => c.value)).toEqual([...SERVICE_IDS]);
    for (const c of offered) expect(c.name?.startsWith(CATALOG[c.value].label)).toBe(true);
  });
});

describe('masking', () => {
  test('secrets are masked, user names are not: "NZBGet (nzbget)" stays readable', () => {
    const mask = masker({ ...FIXTURE_SECRETS, NZBGET_USER: 'nzbget' });
    expect(mask(`NZBGet (nzbget) refused ${FIXTURE_SECRETS.NZBGET_PASS} and ${FIXTURE_SECRETS.RADARR_API_KEY}`)).toBe(
      'NZBGet (nzbget) refused ******** and ********',
    );
  });
});
