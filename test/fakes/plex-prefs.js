// Plex server preferences: `GET /:/prefs` lists the settings (MediaContainer.Setting[]: id, label,
// summary, type, default, value, hidden, advanced, group) and `PUT /:/prefs?<id>=<value>&…` sets
// them. Values live as attributes of the <Preferences> root of Preferences.xml (booleans as 1/0),
// and a setting without an attribute shows its default. The ids, types, defaults and groups below
// were verified against a real server's /:/prefs answer recorded in andrey-yantsen/plex-api.rs
// (its prefs decoding test); "scan automatically" and "partial scan" both default to false. That
// a PUT naming an unknown setting or a value of the wrong type gets a 400 is how PMS answers it.

/** @typedef {{ id: string, label: string, summary: string, type: 'bool'|'int'|'text', default: boolean|number|string, hidden: boolean, advanced: boolean, group: string, enumValues?: string }} PrefSpec */

/** @type {PrefSpec[]} */
export const PREFS = [
  {
    id: 'FriendlyName',
    label: 'Friendly name',
    summary: 'This name will be used to identify this media server to other computers on your network.',
    type: 'text',
    default: '',
    hidden: false,
    advanced: false,
    group: 'general',
  },
  {
    id: 'sendCrashReports',
    label: 'Send crash reports to Plex',
    summary: 'This helps us improve your experience.',
    type: 'bool',
    default: true,
    hidden: false,
    advanced: false,
    group: 'general',
  },
  {
    id: 'FSEventLibraryUpdatesEnabled',
    label: 'Scan my library automatically',
    summary: 'Your library will be updated automatically when changes to library folders are detected.',
    type: 'bool',
    default: false,
    hidden: false,
    advanced: false,
    group: 'library',
  },
  {
    id: 'FSEventLibraryPartialScanEnabled',
    label: 'Run a partial scan when changes are detected',
    summary: 'When changes to library folders are detected, only scan the folder that changed.',
    type: 'bool',
    default: false,
    hidden: false,
    advanced: true,
    group: 'library',
  },
  {
    id: 'ScheduledLibraryUpdatesEnabled',
    label: 'Scan my library periodically',
    summary: '',
    type: 'bool',
    default: false,
    hidden: false,
    advanced: false,
    group: 'library',
  },
  {
    id: 'ScheduledLibraryUpdateInterval',
    label: 'Library scan interval',
    summary: '',
    type: 'int',
    default: 3600,
    hidden: false,
    advanced: false,
    group: 'library',
    enumValues:
      '900:every 15 minutes|1800:every 30 minutes|3600:hourly|7200:every 2 hours|21600:every 6 hours|43200:every 12 hours|86400:daily',
  },
  {
    id: 'autoEmptyTrash',
    label: 'Empty trash automatically after every scan',
    summary: '',
    type: 'bool',
    default: true,
    hidden: false,
    advanced: false,
    group: 'library',
  },
  {
    id: 'secureConnections',
    label: 'Secure connections',
    summary: '',
    type: 'int',
    default: 1,
    hidden: false,
    advanced: false,
    group: 'network',
    enumValues: '0:Required|1:Preferred|2:Disabled',
  },
  {
    id: 'MachineIdentifier',
    label: 'A unique identifier for the machine',
    summary: '',
    type: 'text',
    default: '',
    hidden: true,
    advanced: false,
    group: '',
  },
];

/** @param {PrefSpec} spec @param {string | undefined} stored */
function valueOf(spec, stored) {
  if (stored === undefined) return spec.default;
  if (spec.type === 'bool') return stored === '1' || stored.toLowerCase() === 'true';
  if (spec.type === 'int') return Number(stored);
  return stored;
}

/** The stored form of a sent value, or undefined when the type refuses it. @param {PrefSpec} spec @param {string} sent */
function storedForm(spec, sent) {
  if (spec.type === 'bool') return /^(1|true)$/i.test(sent) ? '1' : /^(0|false)$/i.test(sent) ? '0' : undefined;
  if (spec.type === 'int') return /^-?\d+$/.test(sent) ? String(Number(sent)) : undefined;
  return sent;
}

/**
 * `/:/prefs` for an authenticated request, or undefined when the request is not for it.
 * @param {{ method: string, path: string, searchParams: URLSearchParams }} req
 * @param {Record<string, string>} preferences Preferences.xml attributes (changed in place)
 * @param {() => void} save writes Preferences.xml
 * @param {(container: Record<string, unknown>) => unknown} mediaContainer
 * @param {(status: number, title: string) => unknown} htmlError
 */
export function prefsRoute(req, preferences, save, mediaContainer, htmlError) {
  if (req.path !== '/:/prefs') return undefined;
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  if (method === 'GET') {
    return mediaContainer({ size: PREFS.length, Setting: PREFS.map((spec) => ({ ...spec, value: valueOf(spec, preferences[spec.id]) })) });
  }
  if (method !== 'PUT') return htmlError(405, 'Method Not Allowed');
  // X-Plex-* parameters identify the client and carry the token; everything else names a setting.
  const sent = [...req.searchParams].filter(([name]) => !name.startsWith('X-Plex-'));
  /** @type {[string, string][]} */
  const changes = [];
  for (const [name, value] of sent) {
    const spec = PREFS.find((p) => p.id === name);
    const stored = spec ? storedForm(spec, value) : undefined;
    if (stored === undefined) return htmlError(400, 'Bad Request');
    changes.push([name, stored]);
  }
  for (const [name, stored] of changes) preferences[name] = stored;
  if (changes.length > 0) save();
  return { status: 200, body: '' };
}
