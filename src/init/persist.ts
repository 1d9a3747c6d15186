import { HOME_MODE } from '../home.js';
import type { RenderedStack } from '../compose/render.js';
import { stageStackFiles } from '../compose/write.js';
import type { Secrets, StackConfig } from '../config/schema.js';
import { discardStaged, installStaged } from '../fs/atomic.js';
import { makeDirs } from '../fs/dirs.js';
import { openState } from '../state/db.js';
import { acquireHomeLock } from '../state/lock.js';
import { saveConfig } from '../state/configs.js';
import { setSecrets } from '../state/secrets.js';

/**
 * The one place init writes, as one unit: the files are staged in full, then the new config
 * version and the secrets are saved in one transaction that also renames the files into place. A
 * failure anywhere rolls the transaction back and puts the old files back: both stay at the old
 * version, never the database at one and the files at another. Returns the new config's id.
 */
export function persist(home: string, config: StackConfig, secrets: Secrets, rendered: RenderedStack): number {
  makeDirs(home, HOME_MODE);
  const release = acquireHomeLock(home, 'init');
  try {
    const staged = stageStackFiles(home, rendered);
    try {
      const state = openState(home);
      let installed: ReturnType<typeof installStaged> | undefined;
      try {
        const configId = state.db.transaction(() => {
          const id = saveConfig(state.db, config);
          setSecrets(state.db, secrets);
          installed = installStaged(staged);
          return id;
        })();
        installed?.done();
        return configId;
      } catch (error) {
        installed?.undo();
        throw error;
      } finally {
        state.close();
      }
    } finally {
      discardStaged(staged);
    }
  } finally {
    release();
  }
}
