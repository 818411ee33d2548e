/**
 * Starts the Slack adapter for `twir serve`: checks the bot token with
 * `auth.test` and, in Socket Mode, the app-level token with
 * `apps.connections.open` (a rejected token is a ConfigError naming its
 * variable), builds the Bolt App on the configured transport, and on stop refuses new
 * commands and waits for those being answered. In OAuth mode there is no
 * token to check: each workspace's comes from its installation.
 */
import { commandList } from '../../../commands/index.js';
import type { CommandDefinition } from '../../core/commands/definition.js';
import { createCommandQueue } from '../command-queue.js';
import type { AdapterContext, RunningAdapter, StartAdapter } from '../host.js';
import { createInFlight } from '../in-flight.js';
import type { FindStateStore } from './answer.js';
import { buildSlackApp } from './app.js';
import { createSlackWebClient, verifyAppToken, verifyBotToken } from './web-client.js';

/** `startSlack` with another catalogue (tests add a command that needs a permission), or another Find in TWIR store. */
export function createSlackStarter(
  catalogue: readonly CommandDefinition[] = commandList,
  options: { finds?: (ctx: AdapterContext) => FindStateStore } = {},
): StartAdapter {
  return async (ctx: AdapterContext): Promise<RunningAdapter> => {
    const slack = ctx.config.slack;
    if (!slack) throw new Error('slack: started without SLACK_BOT_TOKEN');
    // A few quick retries only: the library's default (10 over ~30 minutes) would leave `npm start` silent for half an hour.
    const quickRetries = { retryConfig: { retries: 2, factor: 2 } };
    const identity = slack.botToken ? await verifyBotToken(createSlackWebClient(slack, ctx.log, quickRetries), slack) : null;
    if (slack.appToken) await verifyAppToken(createSlackWebClient({ ...slack, botToken: slack.appToken }, ctx.log, quickRetries), slack);
    const inFlight = createInFlight();
    // Chart images are fetched by Slack from the web page, so only when it is on and reachable (PUBLIC_URL).
    const chartBaseUrl = ctx.config.web ? ctx.config.publicUrl : null;
    const deps = {
      archive: ctx.archive,
      digest: ctx.shared.digest,
      catalogue,
      log: ctx.log,
      now: ctx.now,
      subscribeRole: slack.subscribeRole,
      chartBaseUrl,
      queue: createCommandQueue(),
      ...(identity ? { botName: identity.name } : {}),
      // Tests pass a store of their own: theirs is a read-only copy of the archive.
      finds: (options.finds ?? ((c: AdapterContext) => c.shared.pages))(ctx),
    };
    // OAuth: installations and digest subscriptions live in the shared state (SQLite or PostgreSQL), for every replica alike.
    const oauth = slack.oauth ? { installations: ctx.shared.installations, digest: ctx.shared.digest } : undefined;
    const app = buildSlackApp({ slack, identity, deps, inFlight, http: ctx.http, log: ctx.log, ...(oauth ? { oauth } : {}) });
    await app.start();
    const where = identity?.team ? ` for ${identity.team}` : '';
    const installed = oauth ? `; OAuth: ${(await oauth.installations.list()).length} workspace(s), install at GET /slack/install` : '';
    return {
      description: app.mode === 'socket' ? `slack (socket mode${where})` : `slack (http POST /slack/events${where}${installed})`,
      ...(app.mode === 'socket' ? { connected: () => app.connected() } : {}),
      async stop() {
        // Order matters: refuse new commands, drop the socket, then wait for the answers already promised.
        const draining = inFlight.close();
        await app.stop().catch((err: unknown) => ctx.log.warn(`slack: disconnect: ${err instanceof Error ? err.message : String(err)}`));
        await draining;
      },
    };
  };
}

/** The Slack adapter with the standard commands. */
export const startSlack: StartAdapter = createSlackStarter();
