/**
 * Slack's OAuth install flow on the shared listener (OAuth mode): Bolt's
 * HTTPReceiver builds the InstallProvider from these options (its
 * `installer`, which also authorizes every request with the workspace's
 * token), and the two GET routes hand the browser to it:
 *
 * - `GET /slack/install` redirects to Slack's authorize page with a signed
 *   `state` (ClearStateStore with SLACK_STATE_SECRET, so nothing is kept on
 *   the server and any replica can finish the install) and the same value in
 *   a short-lived cookie, which the callback checks against the browser;
 * - `GET /slack/oauth_redirect` verifies both, exchanges the code with
 *   `oauth.v2.access`, stores the installation and answers a plain page.
 *
 * https://docs.slack.dev/authentication/installing-with-oauth
 */
import type { ServerResponse } from 'node:http';
import type { HTTPReceiver, HTTPReceiverOptions, InstallationStore } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { SlackOAuthConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import { createRefusalLog } from '../http/refusal-log.js';
import type { HttpListener } from '../http-listener.js';
import { OAUTH_REDIRECT_PATH, SLACK_BOT_SCOPES } from './manifest.js';

/** Where an admin starts an install (share PUBLIC_URL/slack/install). */
export const OAUTH_INSTALL_PATH = '/slack/install';

type OAuthReceiverOptions = Pick<
  HTTPReceiverOptions,
  'clientId' | 'clientSecret' | 'stateSecret' | 'installationStore' | 'scopes' | 'redirectUri' | 'installerOptions'
>;

/** The HTTPReceiver options that give it an InstallProvider over `installationStore`. */
export function slackOAuthReceiverOptions(
  oauth: SlackOAuthConfig,
  installationStore: InstallationStore,
  clientOptions: WebClientOptions,
): OAuthReceiverOptions {
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    installationStore,
    scopes: [...SLACK_BOT_SCOPES],
    redirectUri: oauth.redirectUrl,
    installerOptions: {
      // Straight to Slack's authorize page: no landing page of ours (and none of Slack's remote images).
      directInstall: true,
      // Bolt checks the redirect URL's path is the one it would answer (mountSlackOAuthRoutes mounts both).
      installPath: OAUTH_INSTALL_PATH,
      redirectUriPath: OAUTH_REDIRECT_PATH,
      authorizationUrl: oauth.authorizeUrl,
      // oauth.v2.access and its auth.test go to SLACK_API_URL like every other call.
      clientOptions,
    },
  };
}

/**
 * What @slack/oauth logs (as errors) for a callback anyone can send: a forged, missing, other-browser or
 * expired state, no code, a cancelled install. Counted and summarized here instead (see slackLogger's `quiet`).
 */
export const OAUTH_REFUSAL_LOGS: readonly RegExp[] = [
  /state parameter/,
  /state value is already expired/,
  /Redirect url is missing/,
  /cancelled the OAuth installation flow/,
];

/**
 * Mounts GET /slack/install and GET /slack/oauth_redirect on the shared listener, handled by `receiver`'s
 * installer. Failed callbacks are counted by reason (one line a minute at most); `flush` logs the rest on stop.
 */
export function mountSlackOAuthRoutes(
  http: HttpListener,
  receiver: HTTPReceiver,
  oauth: SlackOAuthConfig,
  log: Logger,
  now: () => Date = () => new Date(),
): { flush(): void } {
  const refusals = createRefusalLog(`slack ${OAUTH_REDIRECT_PATH}`, log, () => now().getTime());
  const installer = receiver.installer;
  if (!installer) throw new Error('slack: OAuth mode without an installer (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET)');
  const urlOptions = { scopes: [...SLACK_BOT_SCOPES], redirectUri: oauth.redirectUrl };
  http.route('GET', OAUTH_INSTALL_PATH, (req, res) => installer.handleInstallPath(req, res, {}, urlOptions));
  http.route('GET', OAUTH_REDIRECT_PATH, (req, res) =>
    installer.handleCallback(req, res, {
      success: (installation, _options, _req, response) => {
        log.info(`slack: installed in workspace ${installation.team?.id ?? installation.enterprise?.id ?? '?'}`);
        page(response, 200, 'twir-bot is installed', [
          'Type /twir help in any channel of the workspace.',
          'For the weekly digest, invite the app to a channel, then run /twir subscribe there.',
        ]);
      },
      // The page says only what the person can do; the log gets the error code, counted.
      failure: (error, _options, _req, response) => {
        const [status, what] = FAILURES[error.code] ?? [502, 'Slack did not complete the installation.'];
        refusals.count(error.code.replace(/^slack_oauth_(installer_)?/, '').replace(/_/g, ' '));
        page(response, status, 'twir-bot was not installed', [what, `Start again from ${OAUTH_INSTALL_PATH} on this server.`]);
      },
    }),
  );
  return { flush: () => refusals.flush() };
}

/** @slack/oauth's error codes → the status and sentence of the failure page. */
const FAILURES: Record<string, [number, string]> = {
  slack_oauth_installer_authorization_error: [200, 'The installation was cancelled in Slack.'],
  slack_oauth_missing_state: [400, 'This link is not from an installation this server started (its state is missing).'],
  slack_oauth_invalid_state: [400, 'This link is not from an installation started in this browser, or it expired (after 10 minutes).'],
  slack_oauth_missing_code: [400, 'Slack sent no authorization code.'],
};

/** A plain page: fixed text only (nothing from the request or from Slack), no scripts, no remote assets. */
function page(res: ServerResponse, status: number, title: string, lines: readonly string[]): void {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body><main><h1>${title}</h1>${lines.map((l) => `<p>${l}</p>`).join('')}</main></body></html>
`;
  res
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'",
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    })
    .end(body);
}
