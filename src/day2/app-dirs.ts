import { existsSync } from 'node:fs';
import { catalogEntry, configDir, REQUEST_MANAGERS, SERVICE_IDS, type ServiceId } from '../catalog/index.js';
import type { StackConfig } from '../config/schema.js';

export interface AppDir {
  service: ServiceId;
  container: string;
  path: string;
}

/**
 * Every config folder plexarr may have made under the config root, including those of services
 * (or the other request manager) that an earlier configuration had on: they still hold that
 * app's settings and keys. Only folders that exist are listed.
 */
export function appConfigDirs(config: Pick<StackConfig, 'configRoot' | 'requestManager'>): AppDir[] {
  const dirs: AppDir[] = [];
  for (const service of SERVICE_IDS) {
    const containers = REQUEST_MANAGERS.map((requestManager) => catalogEntry(service, { requestManager }).container);
    for (const container of new Set(containers)) {
      const path = configDir(config, container);
      if (existsSync(path)) dirs.push({ service, container, path });
    }
  }
  return dirs;
}
