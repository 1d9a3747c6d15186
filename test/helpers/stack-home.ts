import { renderStack } from '../../src/compose/render.js';
import { writeStackFiles } from '../../src/compose/write.js';
import type { Secrets, StackConfig } from '../../src/config/schema.js';
import { saveConfig } from '../../src/state/configs.js';
import { openState } from '../../src/state/db.js';
import { setSecrets } from '../../src/state/secrets.js';

/** A home as `plexarr init` leaves it: the config and secrets saved, the compose file and `.env` written. */
export function saveStack(home: string, config: StackConfig, secrets: Secrets): void {
  const state = openState(home);
  try {
    saveConfig(state.db, config);
    setSecrets(state.db, secrets);
  } finally {
    state.close();
  }
  writeStackFiles(home, renderStack(config, secrets));
}
