import { arrDownloadClient } from './arr-download-client.js';
import { arrRootFolder } from './arr-root-folder.js';
import { downloadClientRemoval } from './download-client-removal.js';
import { ARR_IDS } from './apps.js';
import { maintainerrPlex } from './maintainerr-plex.js';
import { maintainerrRequests } from './maintainerr-requests.js';
import { maintainerrServer } from './maintainerr-servers.js';
import { npmAdmin, npmProxyHosts } from './npm.js';
import { nzbgetCategories } from './nzbget-categories.js';
import { nzbgetServers } from './nzbget-servers.js';
import { plexLibraries } from './plex-libraries.js';
import { arrPlexNotification, plexScanPrefs } from './plex-notify.js';
import { prowlarrApp } from './prowlarr-app.js';
import { prowlarrDownloadClient } from './prowlarr-download-client.js';
import { arrIndexers, prowlarrIndexers } from './prowlarr-indexers.js';
import { recyclarrSyncHookup } from './recyclarr-sync.js';
import { requestsAdmin } from './requests-admin.js';
import { requestsInitialize } from './requests-initialize.js';
import { requestsLibraries } from './requests-libraries.js';
import { requestsPlex } from './requests-plex.js';
import { requestsServer } from './requests-servers.js';
import { servarrAuth } from './servarr-auth.js';
import type { StackHookup } from './shared.js';

export { NO_PLEX_TOKEN } from './shared.js';

/**
 * Every hookup of the stack, in the order a person reads them. Hookups of disabled services are
 * included and report a skip reason; the runner orders them by `dependsOn`.
 */
export function allHookups(): StackHookup[] {
  return [
    nzbgetCategories('nzbget'),
    nzbgetCategories('nzbget2'),
    nzbgetServers('nzbget'),
    nzbgetServers('nzbget2'),
    ...ARR_IDS.flatMap((app) => [
      arrRootFolder(app),
      arrDownloadClient(app, 'nzbget'),
      arrDownloadClient(app, 'nzbget2'),
      servarrAuth(app),
    ]),
    ...ARR_IDS.map((app) => prowlarrApp(app)),
    prowlarrDownloadClient(),
    servarrAuth('prowlarr'),
    prowlarrIndexers(),
    ...ARR_IDS.map((app) => arrIndexers(app)),
    plexLibraries(),
    plexScanPrefs(),
    ...ARR_IDS.map((app) => arrPlexNotification(app)),
    requestsAdmin(),
    requestsPlex(),
    requestsLibraries(),
    requestsServer('radarr'),
    requestsServer('sonarr'),
    requestsInitialize(),
    maintainerrPlex(),
    maintainerrServer('radarr'),
    maintainerrServer('sonarr'),
    maintainerrRequests(),
    npmAdmin(),
    npmProxyHosts(),
    ...ARR_IDS.flatMap((app) => [downloadClientRemoval(app, 'nzbget'), downloadClientRemoval(app, 'nzbget2')]),
    downloadClientRemoval('prowlarr', 'nzbget'),
    recyclarrSyncHookup(),
  ];
}
