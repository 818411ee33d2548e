/**
 * Builds the Bolt App for one of the two transports, with the listeners
 * attached. "Receivers only handle transport": Socket Mode (an outbound
 * WebSocket, no public URL) when SLACK_APP_TOKEN is set, else Bolt's own
 * HTTPReceiver, mounted on the shared listener at POST /slack/events. Its
 * request listener keeps Bolt's v0 signature and 5-minute timestamp checks;
 * only the server socket is ours, so Discord's /interactions and /healthz
 * share the port. In OAuth mode (many workspaces) the same receiver also
 * carries Bolt's InstallProvider: GET /slack/install and /slack/oauth_redirect
 * join the listener, every request is authorized with its workspace's token
 * from the installation store, and `app_uninstalled`/`tokens_revoked` remove
 * the installation and pause the workspace's digests.
 */
import type { IncomingMessage } from 'node:http';
import { App, type BlockButtonAction, ErrorCode, HTTPReceiver, type MessageShortcut, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { SlackConfig } from '../../config.js';
import type { SlackInstallationStore } from '../../core/store/slack-installations.js';
import type { Logger } from '../../logger.js';
import type { HttpListener } from '../http-listener.js';
import type { InFlight } from '../in-flight.js';
import type { AnswerDeps } from './answer.js';
import { createFindShortcutListener, createShareClickListener, FIND_CALLBACK_ID, SHARE_ACTION_ID } from './find-in-twir.js';
import { createCommandListener } from './handle-command.js';
import { createPageClickListener, PAGE_ACTION_PATTERN } from './handle-page-click.js';
import { createUninstallListener, type UninstallDeps } from './handle-uninstall.js';
import { boltInstallationStore } from './installation-store.js';
import { mountSlackOAuthRoutes, OAUTH_REFUSAL_LOGS, slackOAuthReceiverOptions } from './oauth.js';
import { createSlackRequestGuard, SLACK_MAX_BODY_BYTES } from './request-guard.js';
import { slackLogger } from './slack-logger.js';
import type { BotIdentity } from './web-client.js';
import { slackClientOptions } from './web-client.js';

/** Where Slack sends slash commands and interactivity in HTTP mode (the manifest's request URLs end in it). */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackApp {
  mode: 'socket' | 'http';
  /** Socket Mode: whether the WebSocket is connected now (HTTP mode: always true). */
  connected(): boolean;
  /** Connects (Socket Mode); in HTTP mode the host's listener is already routed, so nothing to do. */
  start(): Promise<void>;
  /** Disconnects (Socket Mode); in HTTP mode the host closes the listener. */
  stop(): Promise<void>;
}

export interface BuildSlackAppOptions {
  slack: SlackConfig;
  /** The bot token's auth.test (single-workspace mode); null in OAuth mode, where each installation has its own. */
  identity: BotIdentity | null;
  deps: AnswerDeps;
  inFlight: InFlight;
  http: HttpListener;
  log: Logger;
  /** The wall clock request timestamps are checked against (Slack signs with real time, so not the answers' clock). */
  now?: () => Date;
  /** OAuth mode (`slack.oauth`): the installations Bolt authorizes from, and the digest store to pause on uninstall. */
  oauth?: { installations: SlackInstallationStore; digest: UninstallDeps['digest'] };
}

/** The App with `/twir`, the paging buttons and Find in TWIR, on the transport the configuration asks for. */
export function buildSlackApp({
  slack,
  identity,
  deps,
  inFlight,
  http,
  log,
  now = () => new Date(),
  oauth,
}: BuildSlackAppOptions): SlackApp {
  if (slack.oauth && !oauth) throw new Error('slack: OAuth mode needs the installation store');
  // Bolt warns, without saying which workspace, on every request it could not authorize; app.error below says it.
  // The OAuth callback's refusals are counted by oauth.ts instead of logged one by one.
  const logger = slackLogger(log, [/Authorization of incoming event did not succeed/, ...(slack.oauth ? OAUTH_REFUSAL_LOGS : [])]);
  const clientOptions = slackClientOptions(slack, log);
  let receiver: Receiver;
  let guardFlush = (): void => undefined;
  let mode: SlackApp['mode'];
  let connected = false;
  if (slack.appToken) {
    mode = 'socket';
    // Built here rather than by `socketMode: true` so apps.connections.open also goes to SLACK_API_URL.
    const socket = new SocketModeReceiver({ appToken: slack.appToken, logger, installerOptions: { clientOptions } });
    // The socket client's own states (@slack/socket-mode): down while it reconnects, for /readyz.
    socket.client.on('connected', () => {
      connected = true;
    });
    for (const state of ['disconnected', 'reconnecting', 'disconnecting'])
      socket.client.on(state, () => {
        connected = false;
      });
    receiver = socket;
  } else {
    mode = 'http';
    if (!slack.signingSecret) throw new Error('slack: HTTP mode needs SLACK_SIGNING_SECRET');
    // processBeforeResponse false: ack() writes the HTTP response at once, the answer follows via response_url.
    const httpReceiver = new HTTPReceiver({
      signingSecret: slack.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      logger,
      processBeforeResponse: false,
      ...(slack.oauth && oauth
        ? slackOAuthReceiverOptions(slack.oauth, boltInstallationStore(oauth.installations, deps.now), clientOptions)
        : {}),
    });
    const installs = slack.oauth ? mountSlackOAuthRoutes(http, httpReceiver, slack.oauth, log, now) : null;
    const guard = createSlackRequestGuard(slack.signingSecret, log, now);
    guardFlush = () => {
      guard.flush();
      installs?.flush();
    };
    http.route(
      'POST',
      SLACK_EVENTS_PATH,
      (req, res, body) => {
        const refusal = guard.verify(req, body);
        if (refusal) {
          res.writeHead(refusal.status, { 'content-type': 'text/plain' }).end(refusal.message);
          return;
        }
        // Bolt reads an already-buffered body from `rawBody` instead of the (consumed) stream.
        (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
        return httpReceiver.requestListener(req, res);
      },
      { maxBodyBytes: SLACK_MAX_BODY_BYTES, admit: (req) => guard.admit(req) },
    );
    receiver = httpReceiver;
  }
  // One workspace: botId and botUserId from our own auth.test, so Bolt does not ask again. OAuth: no token,
  // so Bolt authorizes each request through the receiver's installer (team_id/enterprise_id of the request).
  const single = slack.botToken && identity ? { token: slack.botToken, botId: identity.botId, botUserId: identity.botUserId } : {};
  const app = new App({ ...single, receiver, logger, clientOptions });
  app.command('/twir', createCommandListener(deps, inFlight));
  const pageClick = createPageClickListener(deps, inFlight);
  app.action<BlockButtonAction>({ type: 'block_actions', action_id: PAGE_ACTION_PATTERN }, (args) => pageClick(args));
  // Find in TWIR: the message shortcut, and the Share button of its private answer.
  const findShortcut = createFindShortcutListener(deps, inFlight);
  app.shortcut<MessageShortcut>({ type: 'message_action', callback_id: FIND_CALLBACK_ID }, (args) => findShortcut(args));
  const shareClick = createShareClickListener(deps, inFlight);
  app.action<BlockButtonAction>({ type: 'block_actions', action_id: SHARE_ACTION_ID }, (args) => shareClick(args));
  // Requests from a workspace without an installation (uninstalled meanwhile): Bolt acks each (200) and calls no
  // listener. Logged once per workspace (again after the next uninstall), so a stream of them cannot flood the log.
  const refused = new Set<string>();
  if (oauth) {
    const uninstalled = createUninstallListener({ ...oauth, log, now: deps.now });
    app.event('app_uninstalled', (args) => {
      refused.clear();
      return uninstalled(args);
    });
    app.event('tokens_revoked', (args) => {
      refused.clear();
      return uninstalled(args);
    });
  }
  app.error(async (err) => {
    if (err.code !== ErrorCode.AuthorizationError) {
      log.error(`slack: ${err.message}`);
      return;
    }
    const reason = (err as { original?: Error }).original?.message ?? err.message;
    if (refused.has(reason)) {
      log.debug(`slack: request refused: ${reason}`);
      return;
    }
    refused.add(reason);
    log.warn(`slack: requests refused: ${reason} (uninstalled?); further ones are logged at debug level`);
  });
  return {
    mode,
    connected: () => mode === 'http' || connected,
    start: async () => {
      if (mode === 'socket') await app.start();
    },
    stop: async () => {
      if (mode === 'socket') await app.stop();
      guardFlush();
    },
  };
}
