/**
 * A loopback Slack for the real Bolt App and @slack/web-api: the Web API
 * methods the adapter and the digest call (`auth.test`, `users.info`,
 * `apps.connections.open`, `chat.postMessage`), `response_url` endpoints that
 * capture `respond()` payloads, and a Socket Mode WebSocket server speaking
 * Slack's envelope protocol (`hello`, envelopes, `envelope_id` acks). It
 * checks messages against Block Kit's limits and answers `invalid_blocks` as
 * Slack does; it answers 429 with `Retry-After` when a test asks. For OAuth
 * it holds several workspaces (teams), each with its own bot token: `approve`
 * plays the authorize page (a code for a team), `oauth.v2.access` exchanges
 * the code for that team's token, `auth.test` answers per token, and every
 * call records the token it used.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** One Web API call as the fake saw it. */
export interface ApiCall {
  method: string;
  token: string | null;
  args: Record<string, unknown>;
}

/** One POST to a response_url. */
export interface ResponsePost {
  id: string;
  body: Record<string, unknown>;
}

export interface FakeUser {
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
}

const BOT_TOKEN = 'xoxb-test-token';
const APP_TOKEN = 'xapp-test-token';

/** A workspace of the fake, with the bot token an install there gets. */
export interface FakeTeam {
  id: string;
  name: string;
  token: string;
  botUserId: string;
  botId: string;
}

/** The fake. `start()` before use, `close()` after. */
export class FakeSlack {
  readonly botToken = BOT_TOKEN;
  readonly appToken = APP_TOKEN;
  /** The app's OAuth credentials (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET). */
  readonly clientId = '1111111111.2222222222';
  readonly clientSecret = 'fake-client-secret';
  /** Workspaces by id; T1 (the single-workspace tests' team) answers to `botToken`. */
  readonly teams = new Map<string, FakeTeam>([['T1', { id: 'T1', name: 'Fake Team', token: BOT_TOKEN, botUserId: 'UBOT', botId: 'B1' }]]);
  /** Authorization codes `approve` handed out and not yet exchanged: code → team and redirect URL. */
  private readonly codes = new Map<string, { teamId: string; redirectUri: string | null; scope: string }>();
  readonly calls: ApiCall[] = [];
  readonly responses: ResponsePost[] = [];
  /** users.info answers: user id → flags. */
  readonly users = new Map<string, FakeUser>();
  private server: Server | null = null;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly faults = new Map<string, number>();
  private readonly responseWaiters: Array<(r: ResponsePost) => void> = [];
  private readonly socketWaiters: Array<(ws: WebSocket) => void> = [];
  private port = 0;

  /** Web API base with the trailing slash Bolt wants (SLACK_API_URL). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A fresh response_url. */
  responseUrl(id: string = randomUUID()): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      readBody(req).then(
        (raw) => {
          const { status, headers, body } = this.handle(req, raw);
          res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
        },
        () => res.writeHead(400).end(),
      );
    });
    server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.sockets.add(ws);
        ws.on('close', () => this.sockets.delete(ws));
        // Slack's handshake: the client is connected once it receives hello.
        ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A1' } }));
        for (const w of this.socketWaiters.splice(0)) w(ws);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Adds a workspace the app can be installed in; its bot token is `xoxb-<id>-token`. */
  addTeam(id: string, name: string): FakeTeam {
    const team = { id, name, token: `xoxb-${id.toLowerCase()}-token`, botUserId: `UBOT${id}`, botId: `B${id}` };
    this.teams.set(id, team);
    return team;
  }

  /** The workspace's tokens stop working (Slack revokes them when the app is uninstalled). */
  revoke(teamId: string): void {
    const team = this.teams.get(teamId);
    if (team) this.teams.set(teamId, { ...team, token: `revoked-${team.token}` });
  }

  /**
   * Plays Slack's authorize page: someone in `teamId` allowed the app. Checks the URL the app sent the
   * browser to and returns where Slack sends the browser back (`redirect_uri?code=…&state=…`).
   */
  approve(authorizeUrl: string, teamId: string): string {
    const url = new URL(authorizeUrl);
    if (url.origin !== `http://127.0.0.1:${this.port}` || url.pathname !== '/oauth/v2/authorize')
      throw new Error(`not the fake's authorize page: ${authorizeUrl}`);
    if (url.searchParams.get('client_id') !== this.clientId) throw new Error(`unknown client_id in ${authorizeUrl}`);
    if (!this.teams.has(teamId)) throw new Error(`no team ${teamId}`);
    const redirectUri = url.searchParams.get('redirect_uri');
    const code = `code-${randomUUID()}`;
    this.codes.set(code, { teamId, redirectUri, scope: url.searchParams.get('scope') ?? '' });
    const back = new URL(redirectUri ?? 'https://redirect.invalid/');
    back.searchParams.set('code', code);
    const state = url.searchParams.get('state');
    if (state !== null) back.searchParams.set('state', state);
    return back.toString();
  }

  /** Channels the app is not a member of (conversations.info says is_member: false). */
  readonly notMemberOf = new Set<string>();
  /** While true, every Web API call but auth.test is answered HTTP 503 (a platform outage). */
  down = false;
  /** Messages chat.postMessage accepted, with their metadata (conversations.history answers from them). */
  readonly posted: { channel: string; ts: string; metadata?: unknown; token: string | null }[] = [];

  /** The next `count` calls to `method` get 429 with `Retry-After: seconds`. */
  rateLimit(method: string, seconds: number, count = 1): void {
    this.faults.set(method, count);
    this.retryAfter = seconds;
  }
  private retryAfter = 1;

  /** Resolves with the next response_url POST (or one already received and not yet taken). */
  nextResponse(): Promise<ResponsePost> {
    const ready = this.responses[this.taken];
    if (ready) {
      this.taken++;
      return Promise.resolve(ready);
    }
    return new Promise((resolve) =>
      this.responseWaiters.push((r) => {
        this.taken++;
        resolve(r);
      }),
    );
  }
  private taken = 0;

  /** Closes every Socket Mode connection, as Slack does when it drops a client. */
  dropSockets(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  /** Resolves once a Socket Mode client is connected (hello sent). */
  connectedSocket(): Promise<WebSocket> {
    const open = [...this.sockets][0];
    return open ? Promise.resolve(open) : new Promise((resolve) => this.socketWaiters.push(resolve));
  }

  /** Sends an envelope to the connected client; resolves with the client's ack (`{ envelope_id, payload? }`). */
  async sendEnvelope(type: 'slash_commands' | 'interactive', payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    const ws = await this.connectedSocket();
    const envelopeId = randomUUID();
    return new Promise((resolve) => {
      const onMessage = (data: Buffer) => {
        const msg = JSON.parse(data.toString()) as Record<string, unknown>;
        if (msg.envelope_id !== envelopeId) return;
        ws.off('message', onMessage);
        resolve(msg);
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type === 'slash_commands' }));
    });
  }

  private handle(req: IncomingMessage, raw: string): { status: number; headers?: Record<string, string>; body: unknown } {
    const path = (req.url ?? '/').split('?')[0] as string;
    if (path.startsWith('/response/')) {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      const post = { id: path.slice('/response/'.length), body };
      this.responses.push(post);
      this.responseWaiters.shift()?.(post);
      const error = messageError(body);
      return error ? { status: 400, body: { ok: false, error } } : { status: 200, body: { ok: true } };
    }
    if (!path.startsWith('/api/')) return { status: 404, body: { ok: false, error: 'unknown_method' } };
    const method = path.slice('/api/'.length);
    const args = parseArgs(req, raw);
    const auth = req.headers.authorization ?? '';
    const token = (auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '') || (typeof args.token === 'string' ? args.token : null);
    // oauth.v2.access may carry the app's credentials as HTTP Basic auth instead of form fields.
    if (auth.startsWith('Basic ')) {
      const [id, secret] = Buffer.from(auth.slice('Basic '.length), 'base64').toString('utf8').split(':');
      args.client_id ??= id;
      args.client_secret ??= secret;
    }
    this.calls.push({ method, token, args });
    if (this.down && method !== 'auth.test') return { status: 503, body: { ok: false, error: 'service_unavailable' } };
    const left = this.faults.get(method) ?? 0;
    if (left > 0) {
      this.faults.set(method, left - 1);
      return { status: 429, headers: { 'retry-after': String(this.retryAfter) }, body: { ok: false, error: 'ratelimited' } };
    }
    return { status: 200, body: this.answer(method, token, args) };
  }

  private answer(method: string, token: string | null, args: Record<string, unknown>): Record<string, unknown> {
    if (method === 'apps.connections.open') {
      if (token !== APP_TOKEN) return { ok: false, error: 'invalid_auth' };
      return { ok: true, url: `ws://127.0.0.1:${this.port}/socket?ticket=${randomUUID()}` };
    }
    if (method === 'oauth.v2.access') return this.exchange(args);
    const team = [...this.teams.values()].find((t) => t.token === token);
    if (!team) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: `https://${team.id === 'T1' ? 'fake' : team.id.toLowerCase()}.slack.com/`,
          team: team.name,
          user: 'twir',
          team_id: team.id,
          user_id: team.botUserId,
          bot_id: team.botId,
        };
      case 'users.info': {
        const user = this.users.get(String(args.user));
        return user ? { ok: true, user: { id: args.user, ...user } } : { ok: false, error: 'user_not_found' };
      }
      case 'chat.postMessage': {
        const error = messageError(args);
        if (error) return { ok: false, error };
        const ts = `${Date.now() / 1000}`;
        const metadata = typeof args.metadata === 'string' ? JSON.parse(args.metadata) : args.metadata;
        this.posted.push({ channel: String(args.channel), ts, metadata, token });
        return { ok: true, channel: args.channel, ts };
      }
      case 'conversations.info':
        return { ok: true, channel: { id: args.channel, is_member: !this.notMemberOf.has(String(args.channel)) } };
      case 'conversations.history': {
        const messages = this.posted.filter((m) => m.channel === args.channel).reverse();
        return { ok: true, messages, has_more: false };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** oauth.v2.access: the app's credentials and a code from `approve`, once, for the team's bot token. */
  private exchange(args: Record<string, unknown>): Record<string, unknown> {
    if (args.client_id !== this.clientId || args.client_secret !== this.clientSecret) return { ok: false, error: 'invalid_client_id' };
    const grant = this.codes.get(String(args.code));
    if (!grant) return { ok: false, error: 'invalid_code' };
    this.codes.delete(String(args.code));
    if ((args.redirect_uri ?? null) !== grant.redirectUri) return { ok: false, error: 'bad_redirect_uri' };
    const team = this.teams.get(grant.teamId) as FakeTeam;
    return {
      ok: true,
      app_id: 'A1',
      authed_user: { id: `UINSTALLER${team.id}` },
      scope: grant.scope,
      token_type: 'bot',
      access_token: team.token,
      bot_user_id: team.botUserId,
      team: { id: team.id, name: team.name },
      enterprise: null,
      is_enterprise_install: false,
    };
  }
}

/** POSTs a JSON body (an Events API envelope) to `url`, signed with `secret` now. */
export async function postSignedJson(url: string, body: unknown, secret: string): Promise<Response> {
  const text = JSON.stringify(body);
  const timestamp = Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(secret, timestamp, text),
    },
    body: text,
  });
}

/** An Events API envelope (`event_callback`) from workspace `teamId`. */
export function eventCallback(teamId: string, event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: 'deprecated-verification-token',
    team_id: teamId,
    api_app_id: 'A1',
    event,
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10)}`,
    event_time: Math.floor(Date.now() / 1000),
  };
}

/** Signs a request body as Slack does (v0 HMAC-SHA256 of "v0:<timestamp>:<body>"). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs a form body to `url` signed with `secret` at `timestamp` (seconds; default now). */
export async function postSigned(
  url: string,
  form: Record<string, string>,
  secret: string,
  options: { timestamp?: number; signature?: string } = {},
): Promise<Response> {
  const body = new URLSearchParams(form).toString();
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? slackSignature(secret, timestamp, body),
    },
    body,
  });
}

/** A slash-command payload as Slack sends it (form fields). */
export function slashCommand(text: string, responseUrl: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: 'T1',
    team_domain: 'fake',
    channel_id: 'C1',
    channel_name: 'general',
    user_id: 'U1',
    user_name: 'ferris',
    command: '/twir',
    text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: '1.2.3',
    ...overrides,
  };
}

/** A block_actions payload for a click by `userId` on `button` of a message (what Slack POSTs as `payload=`). */
export function buttonClick(button: { action_id: string; value: string }, responseUrl: string, userId = 'U1'): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: 'T1', domain: 'fake' },
    user: { id: userId, username: 'ferris', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: '1.1', channel_id: 'C1', is_ephemeral: false },
    trigger_id: '1.2.3',
    channel: { id: 'C1', name: 'general' },
    response_url: responseUrl,
    actions: [{ type: 'button', block_id: 'twir_paging', action_id: button.action_id, value: button.value, action_ts: '1.2' }],
  };
}

/**
 * A message shortcut used by `userId` on a message whose text is `text` (as Slack sends it: `&`, `<`,
 * `>` escaped, links as `<url|label>`), with `message`'s other fields (attachments): the
 * `message_action` payload Slack POSTs as `payload=`, or sends in an `interactive` envelope. https://docs.slack.dev/reference/interaction-payloads/shortcuts-interactions-payload
 */
export function messageShortcut(
  callbackId: string,
  text: string,
  responseUrl: string,
  userId = 'U1',
  message: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: 'message_action',
    token: 'deprecated-verification-token',
    action_ts: '1700000000.000200',
    team: { id: 'T1', domain: 'fake' },
    user: { id: userId, username: 'ferris', team_id: 'T1', name: 'ferris' },
    channel: { id: 'C1', name: 'general' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: callbackId,
    trigger_id: '1.2.3',
    response_url: responseUrl,
    message_ts: '1700000000.000100',
    message: { type: 'message', user: 'U2', ts: '1700000000.000100', text, team: 'T1', ...message },
  };
}

/** A block as this check reads it (anything may be missing or wrong: that is what it checks). */
interface LooseBlock {
  type?: string;
  text?: { type?: string; text?: string };
  fields?: Array<{ text?: string }>;
  elements?: Array<{ text?: string | { text?: string }; value?: string; action_id?: string }>;
}

const len = (t: string | { text?: string } | undefined): number => (typeof t === 'string' ? t : (t?.text ?? '')).length;

/** Why Slack would refuse this message (`invalid_blocks`, `no_text`), or null. Checks the limits independently of the renderer. */
export function messageError(message: Record<string, unknown>): string | null {
  const blocks = message.blocks as LooseBlock[] | undefined;
  if (!blocks) return typeof message.text === 'string' && message.text.length > 0 ? null : 'no_text';
  if (!Array.isArray(blocks) || blocks.length > 50) return 'invalid_blocks';
  for (const b of blocks) {
    const elements = b.elements ?? [];
    if (b.type === 'header' && (b.text?.type !== 'plain_text' || !b.text.text || b.text.text.length > 150)) return 'invalid_blocks';
    if (b.type === 'section') {
      if (b.text && (!b.text.text || b.text.text.length > 3000)) return 'invalid_blocks';
      if (b.fields && (b.fields.length > 10 || b.fields.some((f) => len(f.text) > 2000))) return 'invalid_blocks';
    }
    if (b.type === 'context' && (elements.length === 0 || elements.length > 10 || elements.some((e) => len(e.text) > 3000)))
      return 'invalid_blocks';
    if (b.type === 'actions') {
      if (elements.length === 0 || elements.length > 25) return 'invalid_blocks';
      for (const e of elements)
        if (len(e.text) > 75 || (e.value?.length ?? 0) > 2000 || (e.action_id?.length ?? 0) > 255) return 'invalid_blocks';
    }
  }
  return null;
}

function parseArgs(req: IncomingMessage, raw: string): Record<string, unknown> {
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(raw || '{}');
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    // The Web API client JSON-encodes structured arguments (blocks) in form fields.
    out[k] = k === 'blocks' || k === 'attachments' ? JSON.parse(v) : v;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
