/**
 * A loopback Discord for the adapter tests: the REST routes the bot uses
 * (under `/api/v10`) and a gateway WebSocket that the unmodified discord.js
 * Client logs into (it finds the gateway through `GET /gateway/bot`, expects
 * HELLO, then READY after IDENTIFY and a GUILD_CREATE per guild). Payloads
 * over Discord's limits get the 400 Discord gives; a 429 with `Retry-After`
 * can be queued for any route. Every request is recorded.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** One REST request as Discord would see it (`path` decoded: `%40original` → `@original`). */
export interface DiscordRequest {
  method: string;
  path: string;
  rawPath: string;
  auth: string | undefined;
  body: unknown;
  at: number;
  /** Files of a multipart request (a chart attached to an answer). */
  files?: { field: string; filename: string; data: Buffer }[];
}

/** The parts of a multipart/form-data body: name, filename (null for plain fields) and bytes. */
function parseMultipart(raw: Buffer, boundary: string): { name: string; filename: string | null; data: Buffer }[] {
  const out: { name: string; filename: string | null; data: Buffer }[] = [];
  const text = raw.toString('latin1');
  for (const chunk of text.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const split = chunk.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = chunk.slice(0, split);
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(head)?.[1] ?? null;
    out.push({ name, filename, data: Buffer.from(chunk.slice(split + 4, -2), 'latin1') });
  }
  return out;
}

export const APP_ID = '123456789012345678';
export const GUILD_ID = '223456789012345678';
export const BOT_USER_ID = APP_ID;
/** A token that passes config's format check; its first part is APP_ID in base64url. */
export const BOT_TOKEN = `${Buffer.from(APP_ID).toString('base64url')}.GhIjKl.${'x'.repeat(38)}`;

type Listener = (req: DiscordRequest) => void;

export class FakeDiscord {
  readonly requests: DiscordRequest[] = [];
  /** Commands registered with PUT, by route (global or guild). */
  readonly commands = new Map<string, unknown[]>();
  /** 400 answers sent, with the reasons (a test can assert none happened). */
  readonly rejected: { path: string; errors: string[] }[] = [];
  token = BOT_TOKEN;
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private sockets = new Set<WebSocket>();
  /** The `shard` field of each IDENTIFY ([id, count]), in arrival order: what the client decided to run. */
  readonly identifiedShards: unknown[] = [];
  /** The shard count GET /gateway/bot recommends (Discord's answer grows with the bot's servers). */
  recommendedShards = 1;
  private seq = 0;
  private port = 0;
  private readonly rateLimits: { method: string; path: RegExp; retryAfter: string | null }[] = [];
  private readonly listeners = new Set<Listener>();

  /** `rest.api` / DISCORD_API_BASE for the bot. */
  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (ws) => this.gatewaySession(ws));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss?.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  /** The next matching request gets a 429; `retryAfter` null sends none (as a misbehaving proxy might). */
  rateLimitOnce(method: string, path: RegExp, retryAfter: string | null = '0.2'): void {
    this.rateLimits.push({ method, path, retryAfter });
  }

  /** Closes every gateway session with `code` (4004: the token was revoked), as Discord does on a fatal error. */
  closeGateway(code: number, reason = 'Authentication failed.'): void {
    for (const ws of this.sockets) ws.close(code, reason);
  }

  /** Number of live gateway sessions that identified. */
  get sessions(): number {
    return this.sockets.size;
  }

  /** Sends an INTERACTION_CREATE over the gateway (to every session); fills id and token when absent. */
  dispatchInteraction(interaction: Record<string, unknown>): { id: string; token: string } {
    const id = String(interaction.id ?? snowflake());
    const token = String(interaction.token ?? `itoken-${randomUUID()}`);
    // The fields Discord always sends (discord.js builds its own Interaction from them too).
    const payload = {
      application_id: APP_ID,
      version: 1,
      locale: 'en-US',
      app_permissions: '0',
      entitlements: [],
      authorizing_integration_owners: interaction.guild_id ? { '0': interaction.guild_id } : { '1': '1' },
      attachment_size_limit: 10_485_760,
      ...interaction,
      id,
      token,
    };
    for (const ws of this.sockets) ws.send(JSON.stringify({ op: 0, t: 'INTERACTION_CREATE', s: ++this.seq, d: payload }));
    return { id, token };
  }

  /** Resolves with the first request (already made or future) that matches. */
  waitFor(match: (r: DiscordRequest) => boolean, timeoutMs = 5000): Promise<DiscordRequest> {
    const seen = this.requests.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error('fake Discord: timed out waiting for a request'));
      }, timeoutMs);
      const listener: Listener = (r) => {
        if (!match(r)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(r);
      };
      this.listeners.add(listener);
    });
  }

  /** The callback POSTed for an interaction. */
  callback(id: string, timeoutMs?: number): Promise<DiscordRequest> {
    return this.waitFor((r) => r.method === 'POST' && r.path.startsWith(`/interactions/${id}/`), timeoutMs);
  }

  /** Every webhook request (follow-ups, edits, deletes) for an interaction token. */
  webhookCalls(token: string): DiscordRequest[] {
    return this.requests.filter((r) => r.path.startsWith(`/webhooks/${APP_ID}/${token}`));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    const raw = Buffer.concat(chunks);
    // A message with files arrives as multipart/form-data: the JSON is its payload_json part.
    const multipart = /^multipart\/form-data;.*boundary=("?)([^";]+)\1/i.exec(req.headers['content-type'] ?? '');
    const parts = multipart ? parseMultipart(raw, multipart[2] as string) : [];
    const files = parts.filter((p) => p.filename !== null).map((p) => ({ field: p.name, filename: p.filename as string, data: p.data }));
    const text = multipart ? (parts.find((p) => p.name === 'payload_json')?.data.toString('utf8') ?? '') : raw.toString('utf8');
    const rawPath = (req.url ?? '/').split('?')[0] as string;
    const path = decodeURIComponent(rawPath.replace(/^\/api\/v10/, ''));
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, { code: 50109, message: 'The request body contains invalid JSON.' });
      }
    }
    const method = req.method ?? 'GET';
    const record: DiscordRequest = {
      method,
      path,
      rawPath,
      auth: req.headers.authorization,
      body,
      at: performance.now(),
      ...(files.length ? { files } : {}),
    };
    const limit = this.rateLimits.findIndex((l) => l.method === method && l.path.test(path));
    if (limit >= 0) {
      const [l] = this.rateLimits.splice(limit, 1);
      this.requests.push({ ...record, method: `${method} (429)` });
      const headers: Record<string, string> = { 'x-ratelimit-scope': 'user' };
      if (l?.retryAfter !== null && l?.retryAfter !== undefined) headers['retry-after'] = l.retryAfter;
      return send(res, 429, { message: 'You are being rate limited.', retry_after: Number(l?.retryAfter ?? 0), global: false }, headers);
    }
    this.requests.push(record);
    for (const listener of [...this.listeners]) listener(record);
    const authorised = req.headers.authorization === `Bot ${this.token}`;
    const unauthorised = () => send(res, 401, { message: '401: Unauthorized', code: 0 });

    if (method === 'GET' && path === '/gateway/bot') {
      if (!authorised) return unauthorised();
      return send(res, 200, {
        url: `ws://127.0.0.1:${this.port}`,
        shards: this.recommendedShards,
        // One identify bucket per shard, so a sharded test client need not wait 5 s between identifies.
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: this.recommendedShards },
      });
    }
    if (method === 'GET' && (path === '/applications/@me' || path === '/users/@me')) {
      if (!authorised) return unauthorised();
      return send(res, 200, path === '/users/@me' ? botUser() : { id: APP_ID, name: 'twir', flags: 0, bot: botUser() });
    }
    const commandsRoute = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
    if (commandsRoute && method === 'PUT') {
      if (!authorised) return unauthorised();
      const errors = Array.isArray(body) ? body.flatMap((c, i) => commandErrors(c, `[${i}]`)) : ['body must be an array'];
      if (body && Array.isArray(body) && body.length > 100) errors.push('more than 100 commands');
      if (errors.length) return this.reject(res, path, errors);
      const saved = (body as Record<string, unknown>[]).map((c) => ({
        ...c,
        id: snowflake(),
        application_id: APP_ID,
        version: snowflake(),
      }));
      this.commands.set(path, saved);
      return send(res, 200, saved);
    }
    if (/^\/interactions\/\d+\/[^/]+\/callback$/.test(path) && method === 'POST') {
      const errors = callbackErrors(body);
      if (errors.length) return this.reject(res, path, errors);
      res.writeHead(204).end();
      return;
    }
    const webhook = /^\/webhooks\/(\d+)\/([^/]+)(\/messages\/@original)?$/.exec(path);
    if (webhook) {
      if (method === 'DELETE' && webhook[3]) return void res.writeHead(204).end();
      if ((method === 'POST' && !webhook[3]) || (method === 'PATCH' && webhook[3])) {
        const errors = messageErrors(body, 'message');
        if (errors.length) return this.reject(res, path, errors);
        return send(res, 200, { id: snowflake(), channel_id: '1', type: 0, content: '', embeds: [], ...(body as object) });
      }
    }
    send(res, 404, { message: '404: Not Found', code: 0 });
  }

  private reject(res: ServerResponse, path: string, errors: string[]): void {
    this.rejected.push({ path, errors });
    send(res, 400, {
      code: 50035,
      message: 'Invalid Form Body',
      errors: { _errors: errors.map((message) => ({ code: 'BASE_TYPE_INVALID', message })) },
    });
  }

  private gatewaySession(ws: WebSocket): void {
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    ws.on('message', (raw) => {
      const packet = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> };
      if (packet.op === 1) ws.send(JSON.stringify({ op: 11 }));
      if (packet.op === 2) {
        if (packet.d.token !== this.token) return ws.close(4004, 'Authentication failed.');
        this.identifiedShards.push(packet.d.shard);
        this.sockets.add(ws);
        ws.on('close', () => this.sockets.delete(ws));
        const ready = {
          v: 10,
          user: botUser(),
          guilds: [{ id: GUILD_ID, unavailable: true }],
          session_id: randomUUID(),
          resume_gateway_url: `ws://127.0.0.1:${this.port}`,
          application: { id: APP_ID, flags: 0 },
        };
        ws.send(JSON.stringify({ op: 0, t: 'READY', s: ++this.seq, d: ready }));
        // discord.js waits for every guild in READY to arrive before it is ready.
        const guild = {
          id: GUILD_ID,
          name: 'Rustaceans',
          owner_id: '1',
          roles: [],
          emojis: [],
          channels: [],
          members: [],
          features: [],
          member_count: 1,
          unavailable: false,
        };
        ws.send(JSON.stringify({ op: 0, t: 'GUILD_CREATE', s: ++this.seq, d: guild }));
      }
    });
  }
}

function botUser() {
  return { id: BOT_USER_ID, username: 'twir', discriminator: '0', global_name: 'TWIR', bot: true, avatar: null };
}

let counter = 0;
function snowflake(): string {
  return String(BigInt(Date.now() - 1_420_070_400_000) * 4_194_304n + BigInt(counter++ % 4096));
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

const len = (v: unknown): number => (typeof v === 'string' ? v.length : 0);

/** Discord's checks on an interaction response. */
function callbackErrors(body: unknown): string[] {
  const b = body as { type?: number; data?: Record<string, unknown> } | null;
  if (!b || typeof b.type !== 'number' || ![1, 4, 5, 6, 7, 8, 9].includes(b.type)) return ['type: invalid interaction callback type'];
  if (b.type === 8) {
    const choices = (b.data?.choices ?? []) as { name?: unknown; value?: unknown }[];
    const errors: string[] = [];
    if (!Array.isArray(choices) || choices.length > 25) errors.push('data.choices: must be 25 or fewer');
    for (const [i, c] of (Array.isArray(choices) ? choices : []).entries()) {
      if (len(c.name) < 1 || len(c.name) > 100) errors.push(`data.choices[${i}].name: 1-100 characters`);
      if (typeof c.value === 'string' && c.value.length > 100) errors.push(`data.choices[${i}].value: at most 100 characters`);
    }
    return errors;
  }
  if (b.type === 4 || b.type === 7) return messageErrors(b.data, 'data');
  return [];
}

/** Discord's message limits (content, embeds, components). */
export function messageErrors(message: unknown, where: string): string[] {
  const m = (message ?? {}) as { content?: unknown; embeds?: unknown[]; components?: unknown[] };
  const errors: string[] = [];
  if (len(m.content) > 2000) errors.push(`${where}.content: must be 2000 or fewer in length`);
  const embeds = (m.embeds ?? []) as Record<string, unknown>[];
  if (embeds.length > 10) errors.push(`${where}.embeds: must be 10 or fewer`);
  let total = 0;
  for (const [i, e] of embeds.entries()) {
    const at = `${where}.embeds[${i}]`;
    if (len(e.title) > 256) errors.push(`${at}.title: must be 256 or fewer in length`);
    if (len(e.description) > 4096) errors.push(`${at}.description: must be 4096 or fewer in length`);
    const footer = (e.footer ?? {}) as { text?: unknown };
    if (len(footer.text) > 2048) errors.push(`${at}.footer.text: must be 2048 or fewer in length`);
    const fields = (e.fields ?? []) as { name?: unknown; value?: unknown }[];
    if (fields.length > 25) errors.push(`${at}.fields: must be 25 or fewer`);
    for (const [j, f] of fields.entries()) {
      if (len(f.name) < 1 || len(f.name) > 256) errors.push(`${at}.fields[${j}].name: 1-256 characters`);
      if (len(f.value) < 1 || len(f.value) > 1024) errors.push(`${at}.fields[${j}].value: 1-1024 characters`);
      total += len(f.name) + len(f.value);
    }
    total += len(e.title) + len(e.description) + len(footer.text);
  }
  if (total > 6000) errors.push(`${where}.embeds: total of ${total} characters is over 6000`);
  const ids = new Set<string>();
  for (const row of (m.components ?? []) as { type?: number; components?: { custom_id?: unknown }[] }[]) {
    for (const c of row.components ?? []) {
      if (len(c.custom_id) < 1 || len(c.custom_id) > 100) errors.push(`${where}.components: custom_id must be 1-100 characters`);
      if (ids.has(String(c.custom_id))) errors.push(`${where}.components: custom_id must be unique`);
      ids.add(String(c.custom_id));
    }
  }
  return errors;
}

const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

/**
 * Discord's checks on an application command: chat input (type 1 or absent, with subcommands), or a
 * user or message context-menu command (type 2 or 3: a name of 1–32 characters that may hold spaces and
 * capitals, an empty description and no options).
 */
export function commandErrors(command: unknown, at: string): string[] {
  const c = command as Record<string, unknown>;
  const errors: string[] = [];
  if (c.type !== undefined && ![1, 2, 3].includes(c.type as number)) return [`${at}.type: invalid application command type`];
  if (c.type === 2 || c.type === 3) {
    const name = String(c.name ?? '');
    if (name.trim().length < 1 || [...name].length > 32) errors.push(`${at}.name: "${name}" is not a valid command name`);
    if (c.description !== undefined && c.description !== '') errors.push(`${at}.description: must be empty for context menu commands`);
    if (c.options !== undefined) errors.push(`${at}.options: context menu commands take no options`);
    return errors;
  }
  nameAndDescription(c, at, errors);
  optionsErrors(c.options, at, errors, true);
  return errors;
}

function nameAndDescription(o: Record<string, unknown>, at: string, errors: string[]): void {
  const name = String(o.name ?? '');
  if (!NAME.test(name) || name !== name.toLowerCase()) errors.push(`${at}.name: "${name}" is not a valid command name`);
  if (len(o.description) < 1 || len(o.description) > 100) errors.push(`${at}.description: 1-100 characters`);
}

function optionsErrors(options: unknown, at: string, errors: string[], top: boolean): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) return void errors.push(`${at}.options: must be an array`);
  if (options.length > 25) errors.push(`${at}.options: must be 25 or fewer`);
  const names = new Set<string>();
  let optionalSeen = false;
  for (const [i, raw] of options.entries()) {
    const o = raw as Record<string, unknown>;
    const here = `${at}.options[${i}]`;
    nameAndDescription(o, here, errors);
    if (names.has(String(o.name))) errors.push(`${here}.name: duplicate`);
    names.add(String(o.name));
    if (o.type === 1) {
      if (!top) errors.push(`${here}: subcommands only at the top level here`);
      optionsErrors(o.options, here, errors, false);
      continue;
    }
    if (![3, 4, 5, 6, 7, 8, 9, 10, 11].includes(o.type as number)) errors.push(`${here}.type: invalid`);
    if (o.required) {
      if (optionalSeen) errors.push(`${here}: required options must be placed before non-required options`);
    } else optionalSeen = true;
    const choices = o.choices as { name?: unknown; value?: unknown }[] | undefined;
    if (choices) {
      if (choices.length > 25) errors.push(`${here}.choices: must be 25 or fewer`);
      if (o.autocomplete) errors.push(`${here}: autocomplete cannot be used with choices`);
      for (const ch of choices) if (len(ch.name) < 1 || len(ch.name) > 100) errors.push(`${here}.choices: name 1-100 characters`);
    }
    if (o.max_length !== undefined && (typeof o.max_length !== 'number' || o.max_length < 1 || o.max_length > 6000))
      errors.push(`${here}.max_length: 1-6000`);
  }
}
