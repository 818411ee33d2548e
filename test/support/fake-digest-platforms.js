/**
 * Loopback Discord REST and Slack Web API servers for the digest: the routes
 * and methods the digest posters use, with the platforms' rate limits
 * enforced (429 + Retry-After past them), nonce deduplication, message
 * metadata and switchable faults. Plain JavaScript (typed by the sibling
 * .d.ts) so the digest tests and bench/digest.js share them.
 */
import { createServer } from 'node:http';

/** Starts an HTTP server on 127.0.0.1, port 0; resolves with its base URL. */
function listen(server) {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Requests in the last `windowMs`, pruning older ones. */
function windowCount(times, now, windowMs) {
  while (times.length && times[0] <= now - windowMs) times.shift();
  return times.length;
}

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** What both fakes share: the server, the record of accepted messages, faults and hooks. */
class FakePlatform {
  constructor(channelField, options = {}) {
    this.channelField = channelField;
    /** Message requests (1-based, in arrival order) answered 429 whatever the load: rate limits a test can count on. */
    this.rateLimitAt = new Set(options.rateLimitAt ?? []);
    this.messages = [];
    this.rateLimited = 0;
    this.requests = 0;
    this.historyCalls = 0;
    /** channel id → the error to answer (Discord: 403 | 404; Slack: an error code such as channel_not_found) */
    this.gone = new Map();
    /** channel id → number of 5xx answers still to give */
    this.failures = new Map();
    /** Called for each message request before it is handled; may return 'drop' (never answer, never store). */
    this.onRequest = null;
    /** Called after a message was stored, before it is answered (a kill here: accepted, but the bot never heard). */
    this.onAccepted = null;
    /** Per-channel request times, for the per-channel limits. */
    this.channels = new Map();
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async listen() {
    this.url = await listen(this.server);
    return this.url;
  }

  close() {
    this.server.closeAllConnections?.();
    return new Promise((r) => this.server.close(() => r()));
  }

  /** Messages stored per channel id. */
  countByChannel() {
    const out = new Map();
    for (const m of this.messages) out.set(m[this.channelField], (out.get(m[this.channelField]) ?? 0) + 1);
    return out;
  }
}

/**
 * Discord: POST /api/v10/channels/{id}/messages. Global limit (requests per
 * second, default 50) and a per-channel bucket (5 per 5 s), both answered
 * with 429 + Retry-After; nonce + enforce_nonce returns the earlier message.
 */
export class FakeDiscord extends FakePlatform {
  constructor(options = {}) {
    super('channelId', options);
    this.perSecond = options.perSecond ?? 50;
    this.channelLimit = options.channelLimit ?? 5;
    this.channelWindowMs = options.channelWindowMs ?? 5000;
    /** Posts answered with the earlier message because their nonce was seen (enforce_nonce). */
    this.nonceReplays = 0;
    this.global = [];
    this.nonces = new Map();
    this.nextId = 1n;
    /** Messages published with POST …/messages/{id}/crosspost. */
    this.crossposts = [];
  }

  async start() {
    /** What config.discord.apiBase would be. */
    this.apiBase = `${await this.listen()}/api`;
    return this;
  }

  /** Forgets every nonce, as Discord does after a few minutes. */
  expireNonces() {
    this.nonces.clear();
  }

  async handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const m = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(url.pathname);
    const text = await readBody(req);
    if (!/^Bot \S+/.test(req.headers.authorization ?? '')) return json(res, 401, { message: '401: Unauthorized', code: 0 });
    const crosspost = /^\/api\/v10\/channels\/(\d+)\/messages\/(\d+)\/crosspost$/.exec(url.pathname);
    if (crosspost && req.method === 'POST') {
      this.crossposts.push({ channelId: crosspost[1], messageId: crosspost[2] });
      return json(res, 200, { id: crosspost[2], channel_id: crosspost[1] });
    }
    if (m && req.method === 'GET') return this.history(res, m[1], url.searchParams);
    if (!m || req.method !== 'POST') return json(res, 404, { message: '404: Not Found', code: 0 });
    const channelId = m[1];
    const body = JSON.parse(text);
    this.requests++;
    if (this.onRequest && (await this.onRequest({ channelId, body })) === 'drop') return; // lost in flight
    const now = Date.now();
    if (this.rateLimitAt.has(this.requests)) {
      this.rateLimited++;
      return json(
        res,
        429,
        { message: 'You are being rate limited.', retry_after: 0.05, global: true },
        { 'retry-after': '0.050', 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
      );
    }
    if (windowCount(this.global, now, 1000) >= this.perSecond) {
      this.rateLimited++;
      const retry = (this.global[0] + 1000 - now) / 1000;
      return json(
        res,
        429,
        { message: 'You are being rate limited.', retry_after: retry, global: true },
        { 'retry-after': String(Math.max(0.001, retry).toFixed(3)), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
      );
    }
    this.global.push(now);
    const bucket = this.channels.get(channelId) ?? [];
    this.channels.set(channelId, bucket);
    const used = windowCount(bucket, now, this.channelWindowMs);
    const resetAfter = bucket.length ? (bucket[0] + this.channelWindowMs - now) / 1000 : this.channelWindowMs / 1000;
    const headers = {
      'x-ratelimit-limit': String(this.channelLimit),
      'x-ratelimit-bucket': `msg-${channelId}`,
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
    };
    if (used >= this.channelLimit) {
      this.rateLimited++;
      return json(
        res,
        429,
        { message: 'You are being rate limited.', retry_after: resetAfter, global: false },
        { ...headers, 'x-ratelimit-remaining': '0', 'retry-after': resetAfter.toFixed(3), 'x-ratelimit-scope': 'user' },
      );
    }
    bucket.push(now);
    headers['x-ratelimit-remaining'] = String(this.channelLimit - used - 1);
    const gone = this.gone.get(channelId);
    if (gone === 404) return json(res, 404, { message: 'Unknown Channel', code: 10003 }, headers);
    if (gone === 403) return json(res, 403, { message: 'Missing Permissions', code: 50013 }, headers);
    const failures = this.failures.get(channelId) ?? 0;
    if (failures > 0) {
      this.failures.set(channelId, failures - 1);
      return json(res, 500, { message: 'Internal Server Error', code: 0 }, headers);
    }
    if (body.allowed_mentions === undefined || JSON.stringify(body).length > 20_000) {
      return json(res, 400, { message: 'Invalid Form Body', code: 50035 }, headers);
    }
    const key = `${channelId}:${body.nonce}`;
    if (body.nonce !== undefined && body.enforce_nonce && this.nonces.has(key)) {
      this.nonceReplays++;
      return json(res, 200, this.nonces.get(key), headers);
    }
    const message = {
      id: String(this.nextId++),
      channel_id: channelId,
      nonce: body.nonce,
      embeds: body.embeds,
      content: body.content ?? '',
    };
    this.messages.push({ channelId, body, at: now, id: message.id });
    if (body.nonce !== undefined) this.nonces.set(key, message);
    // Stored: a hook that kills the client here makes "accepted, but the bot never heard back".
    await this.onAccepted?.({ channelId, body });
    json(res, 200, message, headers);
  }

  /** GET /channels/{id}/messages?after=&limit=: newest first, as Discord answers. */
  history(res, channelId, params) {
    this.historyCalls++;
    const gone = this.gone.get(channelId);
    if (gone === 404) return json(res, 404, { message: 'Unknown Channel', code: 10003 });
    if (gone === 403 || this.noHistory) return json(res, 403, { message: 'Missing Access', code: 50001 });
    const after = BigInt(params.get('after') ?? '0');
    const sinceMs = Number(after >> 22n) + 1_420_070_400_000;
    const found = this.messages
      .filter((m) => m.channelId === channelId && m.at >= sinceMs)
      .reverse()
      .slice(0, Number(params.get('limit') ?? 50))
      .map((m) => ({ id: m.id, channel_id: channelId, author: { id: '123456789012345678', bot: true }, embeds: m.body.embeds ?? [] }));
    json(res, 200, found);
  }
}

/**
 * Slack: chat.postMessage and conversations.history under /api/. A
 * workspace-wide ceiling (posts per minute, default 300) and about one post a
 * second per channel (short bursts of `channelBurst` allowed), answered with
 * HTTP 429 + Retry-After in seconds; message metadata kept and returned with
 * include_all_metadata.
 */
export class FakeSlack extends FakePlatform {
  constructor(options = {}) {
    super('channel', options);
    this.postsPerMinute = options.postsPerMinute ?? 300;
    // The ceiling is enforced over a sliding window; tests shrink the window to keep runs short.
    this.windowMs = options.windowMs ?? 60_000;
    this.channelBurst = options.channelBurst ?? 3;
    this.workspace = [];
    this.counter = 0;
  }

  async start() {
    /** What config.slack.apiUrl would be (trailing slash). */
    this.apiUrl = `${await this.listen()}/api/`;
    return this;
  }

  async handle(req, res) {
    const text = await readBody(req);
    const method = /^\/api\/([a-z.]+)$/i.exec(req.url ?? '')?.[1];
    if (!/^Bearer xoxb-/.test(req.headers.authorization ?? '')) return json(res, 200, { ok: false, error: 'not_authed' });
    const params = parseParams(text, req.headers['content-type'] ?? '');
    if (method === 'conversations.history') return this.history(res, params);
    if (method !== 'chat.postMessage') return json(res, 200, { ok: false, error: 'unknown_method' });
    this.requests++;
    const channel = String(params.channel);
    if (this.onRequest && (await this.onRequest({ channel, params })) === 'drop') return;
    const now = Date.now();
    if (this.rateLimitAt.has(this.requests)) {
      this.rateLimited++;
      res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
      return res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    }
    if (windowCount(this.workspace, now, this.windowMs) >= (this.postsPerMinute * this.windowMs) / 60_000) {
      this.rateLimited++;
      const retry = Math.ceil((this.workspace[0] + this.windowMs - now) / 1000);
      res.writeHead(429, { 'retry-after': String(retry), 'content-type': 'application/json' });
      return res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    }
    const recent = this.channels.get(channel) ?? [];
    this.channels.set(channel, recent);
    if (windowCount(recent, now, 1000) >= this.channelBurst) {
      this.rateLimited++;
      res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
      return res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    }
    this.workspace.push(now);
    recent.push(now);
    const failures = this.failures.get(channel) ?? 0;
    if (failures > 0) {
      this.failures.set(channel, failures - 1);
      res.writeHead(503, { 'content-type': 'text/plain' });
      return res.end('Service Unavailable');
    }
    const gone = this.gone.get(channel);
    if (gone) return json(res, 200, { ok: false, error: gone });
    const blocks = typeof params.blocks === 'string' ? JSON.parse(params.blocks) : params.blocks;
    if (Array.isArray(blocks) && blocks.length > 50) return json(res, 200, { ok: false, error: 'invalid_blocks' });
    const metadata = typeof params.metadata === 'string' ? JSON.parse(params.metadata) : params.metadata;
    const ts = `${Math.floor(now / 1000)}.${String(++this.counter).padStart(6, '0')}`;
    this.messages.push({ channel, text: params.text, blocks, metadata, ts, at: now });
    await this.onAccepted?.({ channel, params });
    json(res, 200, { ok: true, channel, ts, message: { ts, text: params.text } });
  }

  history(res, params) {
    this.historyCalls++;
    const channel = String(params.channel);
    const gone = this.gone.get(channel);
    if (gone) return json(res, 200, { ok: false, error: gone });
    const oldest = Number(params.oldest ?? 0);
    const withMeta = String(params.include_all_metadata) === 'true';
    const messages = this.messages
      .filter((m) => m.channel === channel && Number(m.ts) >= oldest)
      .reverse()
      .map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(withMeta && m.metadata ? { metadata: m.metadata } : {}) }));
    json(res, 200, { ok: true, messages, has_more: false });
  }
}

function parseParams(text, contentType) {
  if (contentType.includes('application/json')) return JSON.parse(text || '{}');
  return Object.fromEntries(new URLSearchParams(text));
}

/** Options for createSlackDigestPoster against a FakeSlack at `apiUrl` (a SlackConfig as loadConfig makes it). */
export function slackOptions(apiUrl, log = { info() {}, warn() {}, error() {} }) {
  const slack = { botToken: 'xoxb-1-fake', signingSecret: 'fake', appToken: null, apiUrl, subscribeRole: 'admin', postsPerMinute: 300 };
  return { slack, log };
}
