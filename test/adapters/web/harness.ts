/** The web adapter on a loopback port over the whole archive, as of a fixed date (shared by the web tests). */
import { inject } from 'vitest';
import type { RunningAdapter } from '../../../src/adapters/host.js';
import { createHttpListener } from '../../../src/adapters/http-listener.js';
import type { RateLimiter } from '../../../src/adapters/web/rate-limit.js';
import { createWebStarter } from '../../../src/adapters/web/start.js';
import { loadConfig } from '../../../src/config.js';
import { openStore } from '../../../src/core/store/store.js';
import type { Logger } from '../../../src/logger.js';
import { sqliteSharedState } from '../../../src/shared-state/sqlite-shared-state.js';
import { archiveStore } from '../../support/archive-store.js';

export interface WebHarness {
  /** http://127.0.0.1:<port> */
  base: string;
  errors: string[];
  close(): Promise<void>;
}

export async function startWeb(options: { limiter?: RateLimiter; today?: string } = {}): Promise<WebHarness> {
  const errors: string[] = [];
  const log: Logger = { info: () => undefined, debug: () => undefined, warn: (m) => errors.push(m), error: (m) => errors.push(m) };
  const http = createHttpListener(log);
  const store = openStore({ path: inject('archiveDb'), readonly: true });
  const today = options.today ?? '2024-10-30';
  const ctx = {
    config: loadConfig({ PORT: '0' }),
    store,
    shared: sqliteSharedState(store),
    archive: archiveStore(),
    log,
    now: () => new Date(`${today}T12:00:00Z`),
    http,
  };
  const adapter: RunningAdapter = await createWebStarter(options.limiter ? { limiter: options.limiter } : {})(ctx);
  const port = await http.listen(0, '127.0.0.1');
  return {
    base: `http://127.0.0.1:${port}`,
    errors,
    async close() {
      await adapter.stop();
      await http.close();
      store.close();
    },
  };
}
