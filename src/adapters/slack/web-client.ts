/**
 * The Slack Web API client for this configuration, and the start-up token
 * check. Exported for every Slack module that calls the Web API (the digest
 * posts with `chat.postMessage` through a client made here), so all of them
 * honour `SLACK_API_URL` and log the same way. Retries with `Retry-After` are
 * the library's: nothing here re-implements them.
 */
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { ConfigError, type SlackConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import { slackLogger } from './slack-logger.js';

/** Options Bolt's App and a bare WebClient share, so both talk to the same Slack the same way. */
export function slackClientOptions(slack: SlackConfig, log: Logger): WebClientOptions {
  // slackApiUrl must end in "/": the library appends method names to it (config.slack.apiUrl does).
  return { slackApiUrl: slack.apiUrl, logger: slackLogger(log) };
}

/** A WebClient with the bot token (or, in OAuth mode, a workspace's `token`), pointed at `SLACK_API_URL`. */
export function createSlackWebClient(
  slack: SlackConfig,
  log: Logger,
  options: WebClientOptions = {},
  token: string | null = slack.botToken,
): WebClient {
  return new WebClient(token ?? undefined, { ...slackClientOptions(slack, log), ...options });
}

/** What `auth.test` says about the bot. */
export interface BotIdentity {
  botId: string;
  botUserId: string;
  teamId: string;
  team: string;
  /** The bot user's name, as people type it in `/invite @name`. */
  name: string;
}

/** Errors of `auth.test` that mean the token itself is wrong, not that Slack is unreachable. */
const BAD_TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

/**
 * Asks Slack who the bot token belongs to. A token Slack rejects is a
 * ConfigError naming SLACK_BOT_TOKEN (one line, exit 1); an unreachable Slack
 * is a plain Error with the URL.
 */
export async function verifyBotToken(client: WebClient, slack: SlackConfig): Promise<BotIdentity> {
  try {
    const r = await client.auth.test();
    return { botId: r.bot_id ?? '', botUserId: r.user_id ?? '', teamId: r.team_id ?? '', team: r.team ?? '', name: r.user ?? '' };
  } catch (err) {
    const code = (err as { data?: { error?: unknown } }).data?.error;
    if (typeof code === 'string' && BAD_TOKEN.has(code)) {
      throw new ConfigError(
        'SLACK_BOT_TOKEN',
        `Slack rejected the bot token (${code}); copy the Bot User OAuth Token from OAuth & Permissions`,
      );
    }
    throw new Error(`slack: cannot check the bot token at ${slack.apiUrl}auth.test: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Checks the app-level token (Socket Mode) the way Bolt will use it, with
 * `apps.connections.open`, before Bolt does: Bolt's own failure is a bare
 * "invalid_auth" (and a logged line) that does not say which token Slack
 * refused. A rejected token is a ConfigError naming SLACK_APP_TOKEN; the
 * connection URL it returns is left unused (Slack lets it expire).
 */
export async function verifyAppToken(client: WebClient, slack: SlackConfig): Promise<void> {
  try {
    await client.apps.connections.open();
  } catch (err) {
    const code = (err as { data?: { error?: unknown } }).data?.error;
    if (typeof code === 'string' && (BAD_TOKEN.has(code) || code === 'missing_scope')) {
      throw new ConfigError(
        'SLACK_APP_TOKEN',
        `Slack rejected the app-level token (${code}); generate one with the connections:write scope under Basic Information → App-Level Tokens`,
      );
    }
    throw new Error(
      `slack: cannot check the app-level token at ${slack.apiUrl}apps.connections.open: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
