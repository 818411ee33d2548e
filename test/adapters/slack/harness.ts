/**
 * Starts the real Slack adapter (real Bolt App) against a FakeSlack, on a
 * shared HTTP listener bound to port 0, over the whole-archive store.
 */
import { inject } from 'vitest';
import { commandList } from '../../../commands/index.js';
import type { RunningAdapter } from '../../../src/adapters/host.js';
import { createHttpListener, type HttpListener } from '../../../src/adapters/http-listener.js';
import type { FindStateStore } from '../../../src/adapters/slack/answer.js';
import { createSlackStarter } from '../../../src/adapters/slack/start.js';
import { loadConfig } from '../../../src/config.js';
import type { CommandDefinition } from '../../../src/core/commands/definition.js';
import { openStore } from '../../../src/core/store/store.js';
import type { Logger } from '../../../src/logger.js';
import { sqliteSharedState } from '../../../src/shared-state/sqlite-shared-state.js';
import { archiveStore } from '../../support/archive-store.js';
import { FakeSlack } from '../../support/fake-slack.js';

export const SIGNING_SECRET = 'test-signing-secret';

/** A Logger that keeps its lines for assertions. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug ${m}`),
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}

export interface Harness {
  slack: FakeSlack;
  http: HttpListener;
  adapter: RunningAdapter;
  log: ReturnType<typeof memoryLogger>;
  /** http://127.0.0.1:<port> of the shared listener (HTTP mode). */
  base: string;
  close(): Promise<void>;
}

/** Starts FakeSlack and the adapter; `env` adds or overrides variables (SLACK_APP_TOKEN for Socket Mode). */
export async function startHarness(
  env: Record<string, string> = {},
  catalogue: readonly CommandDefinition[] = commandList,
  today = '2024-10-30',
  options: { finds?: FindStateStore } = {},
): Promise<Harness> {
  const slack = await new FakeSlack().start();
  const config = loadConfig({
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    ...env,
  });
  const log = memoryLogger();
  const http = createHttpListener(log);
  const store = openStore({ path: inject('archiveDb'), readonly: true });
  const ctx = {
    config,
    store,
    shared: sqliteSharedState(store),
    archive: archiveStore(),
    log,
    now: () => new Date(`${today}T12:00:00Z`),
    http,
  };
  let adapter: RunningAdapter;
  try {
    // The archive store here is read-only: Find in TWIR's Share states go to the test's own store.
    const finds = options.finds;
    adapter = await createSlackStarter(catalogue, finds ? { finds: () => finds } : {})(ctx);
  } catch (err) {
    await slack.close();
    throw err;
  }
  const port = http.hasRoutes ? await http.listen(0, '127.0.0.1') : 0;
  return {
    slack,
    http,
    adapter,
    log,
    base: `http://127.0.0.1:${port}`,
    async close() {
      await http.close();
      await adapter.stop();
      await slack.close();
    },
  };
}
