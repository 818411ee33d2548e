/** The shared-state contract on the embedded SQLite store: two instances are two connections to one file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/core/store/store.js';
import { sqliteSharedState } from '../../src/shared-state/sqlite-shared-state.js';
import { describeSharedState } from './shared-state.contract.js';

describeSharedState('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'twir-shared-'));
  const stores: ReturnType<typeof openStore>[] = [];
  return {
    async open() {
      const store = openStore({ path: join(dir, 'twir.db') });
      stores.push(store);
      return sqliteSharedState(store);
    },
    async cleanup() {
      for (const s of stores) s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
