/**
 * The only reader of `process.env`. Everything else receives a typed Config,
 * so tests pass plain objects and no module reads the environment behind
 * another's back. Errors name the variable to set.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Cron } from 'croner';
import dotenv from 'dotenv';
import type { GitHubSettings } from './core/sync/create-source.js';

export interface Config {
  /** SQLite file holding the store. */
  dbPath: string;
  /**
   * DATABASE_URL (postgres:// or postgresql://): the shared, mutable state (subscriptions, delivery log,
   * announced issues, page states, leases, Slack installations) lives there, so several replicas share
   * it; null = all of it stays in the SQLite store at `dbPath` (the embedded default).
   */
  databaseUrl: string | null;
  /** Local folder of TWIR markdown (a clone's `content/`); null = sync from GitHub. */
  localSource: string | null;
  github: GitHubSettings;
  /** A store older than this many hours is synced before serving. */
  staleAfterHours: number;
  /** Worker threads used to parse issues during a sync (0 = parse on the main thread). */
  parseWorkers: number;
  /** Parallel downloads from GitHub. */
  downloadConcurrency: number;
  /** A parse that takes longer is abandoned (its worker thread is replaced) and the file reported. */
  parseTimeoutMs: number;
  /** Port of the shared HTTP listener (the web page, Discord HTTP interactions, Slack HTTP mode, /healthz). */
  port: number;
  /** The public web page on `port` (on unless TWIR_WEB=off), so `npm start` with no chat tokens still serves something. */
  web: WebConfig | null;
  /** Where the web page is reachable from outside (PUBLIC_URL, no trailing slash): Slack answers link their chart images there. */
  publicUrl: string | null;
  /**
   * PORT was set: the listener runs in every mode (gateway and Socket Mode too) for health checks and
   * metrics. Unset, it opens only when an HTTP-mode adapter needs it, as before.
   */
  portSet: boolean;
  /** Bind address of the listener (HOST); null = every interface. */
  host: string | null;
  /**
   * TWIR_REPLICA_NAME: names this process in an `X-Twir-Replica` header on every HTTP response, so an
   * operator (or a test) behind a load balancer can see which replica answered; null = no header.
   */
  replicaName: string | null;
  /**
   * TWIR_LEASE_TTL_SECONDS: how long the sync and digest fan-out leases last unless renewed. A holder on
   * another machine that dies is replaced after this long (one on this machine at once).
   */
  leaseTtlMs: number;
  /** LOG_LEVEL: the least severe level logged. */
  logLevel: LogLevel;
  /** LOG_FORMAT: `text` lines (default) or `json` lines (pino) for a log collector. */
  logFormat: 'text' | 'json';
  /** Set when DISCORD_TOKEN is. */
  discord: DiscordConfig | null;
  /** Set when SLACK_BOT_TOKEN is (one workspace), or SLACK_CLIENT_ID and its two companions are (OAuth, many workspaces). */
  slack: SlackConfig | null;
  digest: DigestConfig;
}

export interface DiscordConfig {
  token: string;
  /** DISCORD_APPLICATION_ID, or the id encoded in the token's first part. */
  applicationId: string;
  /** Ed25519 public key (hex) of the application; required in HTTP mode. */
  publicKey: string | null;
  /** Register commands in this guild only (instant, for development); null = global. */
  guildId: string | null;
  mode: 'gateway' | 'http';
  /** Base of Discord's REST API (discord.js `rest.api`), without the version, e.g. https://discord.com/api. */
  apiBase: string;
}

export interface SlackConfig {
  /** xoxb-…: the one workspace's token; null in OAuth mode (each workspace's token comes from its installation). */
  botToken: string | null;
  /** Verifies HTTP requests; required unless Socket Mode (appToken) is used. */
  signingSecret: string | null;
  /** xapp-…: Socket Mode when set. */
  appToken: string | null;
  /** Web API base with a trailing slash (Bolt's clientOptions.slackApiUrl), e.g. https://slack.com/api/. */
  apiUrl: string;
  /** Who may subscribe a channel to the digest: workspace admins/owners, or any member. */
  subscribeRole: 'admin' | 'member';
  /** Workspace-wide ceiling on digest posts per minute. */
  postsPerMinute: number;
  /** Present in OAuth mode (many workspaces install the app through GET /slack/install); absent with SLACK_BOT_TOKEN. */
  oauth?: SlackOAuthConfig;
}

/**
 * Slack's OAuth flow (https://docs.slack.dev/authentication/installing-with-oauth). It runs on the
 * shared listener in HTTP mode only: the redirect needs a public URL anyway, and Slack delivers
 * `app_uninstalled` to the same request URL as the commands.
 */
export interface SlackOAuthConfig {
  /** SLACK_CLIENT_ID (Basic Information → App Credentials). */
  clientId: string;
  /** SLACK_CLIENT_SECRET. */
  clientSecret: string;
  /** SLACK_STATE_SECRET: signs the `state` of each install (no server-side state, so any replica can finish it). */
  stateSecret: string;
  /** PUBLIC_URL/slack/oauth_redirect: where Slack sends the browser back (the manifest's redirect URL). */
  redirectUrl: string;
  /** Slack's authorize page: SLACK_API_URL's origin + /oauth/v2/authorize (https://slack.com/oauth/v2/authorize). */
  authorizeUrl: string;
}

export interface WebConfig {
  /** Requests one address may make per minute before it gets 429 with Retry-After. */
  requestsPerMinute: number;
}

export interface DigestConfig {
  /** croner pattern (5 fields, or 6 with seconds) for the scheduled sync while serving. */
  pollCron: string;
  /** The longest wait between two tries of a delivery through an outage (TWIR_DIGEST_RETRY_MAX_SECONDS). */
  retryMaxMs: number;
}

/** Log levels, least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads configuration from an environment (default: `process.env` plus the
 * `.env` file of the working directory, which never overrides variables
 * already set).
 */
export function loadConfig(env: Env = withDotenv(process.env, process.cwd())): Config {
  const repo = env.TWIR_REPO?.trim() || 'rust-lang/this-week-in-rust';
  const [owner, name, extra] = repo.split('/');
  if (!owner || !name || extra !== undefined) throw new ConfigError('TWIR_REPO', `expected owner/name, got "${repo}"`);
  return {
    dbPath: resolve(env.TWIR_DB?.trim() || 'data/twir.db'),
    databaseUrl: databaseUrl(env),
    localSource: env.TWIR_SOURCE?.trim() ? resolve(env.TWIR_SOURCE.trim()) : null,
    github: {
      apiBaseUrl: url(env, 'GITHUB_API_URL', 'https://api.github.com'),
      rawBaseUrl: url(env, 'GITHUB_RAW_URL', 'https://raw.githubusercontent.com'),
      owner,
      repo: name,
      branch: env.TWIR_BRANCH?.trim() || 'main',
      folder: env.TWIR_FOLDER?.trim() || 'content',
      token: env.GITHUB_TOKEN?.trim() || null,
    },
    // Hours may be fractional (0.5 = sync when older than 30 minutes); counts of threads and downloads may not.
    staleAfterHours: number(env, 'TWIR_STALE_HOURS', 24, 0, 24 * 365),
    parseWorkers: integer(env, 'TWIR_PARSE_WORKERS', Math.min(2, availableParallelism()), 0, 64),
    downloadConcurrency: integer(env, 'TWIR_DOWNLOAD_CONCURRENCY', 8, 1, 64),
    parseTimeoutMs: integer(env, 'TWIR_PARSE_TIMEOUT_SECONDS', 30, 1, 3600) * 1000,
    port: integer(env, 'PORT', 3000, 0, 65535),
    web: webConfig(env),
    publicUrl: env.PUBLIC_URL?.trim() ? url(env, 'PUBLIC_URL', '') : null,
    portSet: Boolean(env.PORT?.trim()),
    host: hostName(env),
    replicaName: replicaName(env),
    // Fractions allowed: tests take over from a killed holder in seconds.
    leaseTtlMs: Math.round(number(env, 'TWIR_LEASE_TTL_SECONDS', 60, 0.5, 3600) * 1000),
    logLevel: logLevel(env),
    logFormat: logFormat(env),
    discord: discordConfig(env),
    slack: slackConfig(env),
    digest: {
      pollCron: cronPattern(env, 'TWIR_POLL_CRON', '*/30 * * * *'),
      // Fractions allowed (tests retry through an outage in seconds, not minutes).
      retryMaxMs: Math.round(number(env, 'TWIR_DIGEST_RETRY_MAX_SECONDS', 180, 0.1, 3600) * 1000),
    },
  };
}

function databaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'not a URL; expected postgres://user:password@host:5432/database');
  }
  // Never echo the URL: it usually carries the password.
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw new ConfigError('DATABASE_URL', `expected a postgres:// or postgresql:// URL, got a ${parsed.protocol.slice(0, 20)} one`);
  return raw;
}

function webConfig(env: Env): WebConfig | null {
  const setting = env.TWIR_WEB?.trim().toLowerCase() || 'on';
  if (setting === 'off') return null;
  if (setting !== 'on') throw new ConfigError('TWIR_WEB', `expected "on" or "off", got "${setting.slice(0, 20)}"`);
  return { requestsPerMinute: integer(env, 'TWIR_WEB_RATE_LIMIT', 120, 1, 100_000) };
}

/** HOST: an IP address or host name to bind; empty = every interface (as Node listens by default). */
function hostName(env: Env): string | null {
  const host = env.HOST?.trim();
  if (!host) return null;
  if (!/^[\w.:%-]+$/.test(host) || host.length > 253)
    throw new ConfigError('HOST', `expected an address to bind such as 127.0.0.1, ::1 or 0.0.0.0, got "${host.slice(0, 60)}"`);
  return host;
}

/** TWIR_REPLICA_NAME: a short token that is safe in a header value (letters, digits, `.`, `_`, `-`). */
function replicaName(env: Env): string | null {
  const name = env.TWIR_REPLICA_NAME?.trim();
  if (!name) return null;
  if (!/^[\w.-]{1,64}$/.test(name))
    throw new ConfigError('TWIR_REPLICA_NAME', `expected up to 64 letters, digits, ".", "_" or "-", got "${name.slice(0, 60)}"`);
  return name;
}

function logFormat(env: Env): 'text' | 'json' {
  const raw = env.LOG_FORMAT?.trim().toLowerCase() || 'text';
  if (raw !== 'text' && raw !== 'json') throw new ConfigError('LOG_FORMAT', `expected "text" or "json", got "${raw.slice(0, 40)}"`);
  return raw;
}

function logLevel(env: Env): LogLevel {
  const raw = env.LOG_LEVEL?.trim().toLowerCase() || 'info';
  const level = LOG_LEVELS.find((l) => l === raw || (raw === 'warning' && l === 'warn'));
  if (!level) throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}, got "${raw.slice(0, 40)}"`);
  return level;
}

function discordConfig(env: Env): DiscordConfig | null {
  const token = env.DISCORD_TOKEN?.trim();
  if (!token) return null;
  // A bot token is three dot-separated base64url parts; the first encodes the application's id.
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) {
    throw new ConfigError('DISCORD_TOKEN', 'not a Discord bot token (expected three dot-separated parts; copy it from the Bot page)');
  }
  const fromToken = Buffer.from(parts[0] as string, 'base64url').toString('utf8');
  const applicationId = env.DISCORD_APPLICATION_ID?.trim() || fromToken;
  if (!/^\d{15,21}$/.test(applicationId))
    throw new ConfigError('DISCORD_APPLICATION_ID', `expected a numeric id, got "${applicationId.slice(0, 40)}"`);
  const mode = env.DISCORD_MODE?.trim().toLowerCase() || 'gateway';
  if (mode !== 'gateway' && mode !== 'http') throw new ConfigError('DISCORD_MODE', `expected "gateway" or "http", got "${mode}"`);
  const publicKey = env.DISCORD_PUBLIC_KEY?.trim() || null;
  if (publicKey && !/^[0-9a-f]{64}$/i.test(publicKey))
    throw new ConfigError('DISCORD_PUBLIC_KEY', 'expected 64 hex characters (General Information page)');
  if (mode === 'http' && !publicKey) throw new ConfigError('DISCORD_PUBLIC_KEY', 'required when DISCORD_MODE=http');
  const guildId = env.DISCORD_GUILD_ID?.trim() || null;
  if (guildId && !/^\d{15,21}$/.test(guildId))
    throw new ConfigError('DISCORD_GUILD_ID', `expected a numeric id, got "${guildId.slice(0, 40)}"`);
  return { token, applicationId, publicKey, guildId, mode, apiBase: url(env, 'DISCORD_API_BASE', 'https://discord.com/api') };
}

function slackConfig(env: Env): SlackConfig | null {
  const botToken = env.SLACK_BOT_TOKEN?.trim();
  const oauth = slackOAuthConfig(env);
  if (oauth) return { ...slackOAuthMode(env, botToken), oauth };
  if (!botToken) return null;
  if (!/^xoxb-[\w-]+$/.test(botToken)) throw new ConfigError('SLACK_BOT_TOKEN', 'expected a bot token starting with xoxb-');
  const appToken = env.SLACK_APP_TOKEN?.trim() || null;
  if (appToken && !/^xapp-[\w-]+$/.test(appToken))
    throw new ConfigError('SLACK_APP_TOKEN', 'expected an app-level token starting with xapp-');
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim() || null;
  if (!appToken && !signingSecret)
    throw new ConfigError('SLACK_SIGNING_SECRET', 'required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  return { botToken, signingSecret, appToken, ...slackCommon(env) };
}

/** What both Slack modes share. */
function slackCommon(env: Env): Pick<SlackConfig, 'apiUrl' | 'subscribeRole' | 'postsPerMinute'> {
  const role = env.SLACK_SUBSCRIBE_ROLE?.trim().toLowerCase() || 'admin';
  if (role !== 'admin' && role !== 'member') throw new ConfigError('SLACK_SUBSCRIBE_ROLE', `expected "admin" or "member", got "${role}"`);
  return {
    // Bolt joins method names onto this base, so it must end in a slash.
    apiUrl: `${url(env, 'SLACK_API_URL', 'https://slack.com/api')}/`,
    subscribeRole: role,
    postsPerMinute: integer(env, 'SLACK_POSTS_PER_MINUTE', 300, 1, 10_000),
  };
}

const OAUTH_VARIABLES = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

/** SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET: all three (OAuth mode) or none. */
function slackOAuthConfig(env: Env): SlackOAuthConfig | null {
  const value = (name: (typeof OAUTH_VARIABLES)[number]) => env[name]?.trim() ?? '';
  const missing = OAUTH_VARIABLES.filter((name) => !value(name));
  if (missing.length === OAUTH_VARIABLES.length) return null;
  if (missing.length > 0)
    throw new ConfigError(
      missing[0] as string,
      `Slack OAuth needs all of ${OAUTH_VARIABLES.join(', ')}; missing ${missing.join(' and ')} (Basic Information → App Credentials)`,
    );
  const clientId = value('SLACK_CLIENT_ID');
  if (!/^\d+\.\d+$/.test(clientId))
    throw new ConfigError('SLACK_CLIENT_ID', `expected a client id such as 1234567890.1234567890, got "${clientId.slice(0, 40)}"`);
  const stateSecret = value('SLACK_STATE_SECRET');
  if (stateSecret.length < 16)
    throw new ConfigError(
      'SLACK_STATE_SECRET',
      'expected at least 16 random characters (e.g. `openssl rand -hex 32`); it signs each install',
    );
  if (!env.PUBLIC_URL?.trim())
    throw new ConfigError('PUBLIC_URL', 'required for Slack OAuth: Slack sends installers back to PUBLIC_URL/slack/oauth_redirect');
  const api = new URL(url(env, 'SLACK_API_URL', 'https://slack.com/api'));
  return {
    clientId,
    clientSecret: value('SLACK_CLIENT_SECRET'),
    stateSecret,
    redirectUrl: `${url(env, 'PUBLIC_URL', '')}/slack/oauth_redirect`,
    // The authorize page lives beside the Web API (slack.com/api → slack.com/oauth/v2/authorize; the tests' loopback Slack likewise).
    authorizeUrl: `${api.origin}/oauth/v2/authorize`,
  };
}

/**
 * OAuth mode: HTTP only (the install and the events arrive on the shared listener, signed), and no
 * SLACK_BOT_TOKEN: Bolt refuses a fixed token beside an installation store, and which workspace would it be?
 */
function slackOAuthMode(env: Env, botToken: string | undefined): Omit<SlackConfig, 'oauth'> {
  if (botToken)
    throw new ConfigError(
      'SLACK_BOT_TOKEN',
      "leave it empty with SLACK_CLIENT_ID: in OAuth mode each workspace's token comes from its installation",
    );
  if (env.SLACK_APP_TOKEN?.trim())
    throw new ConfigError('SLACK_APP_TOKEN', 'leave it empty with SLACK_CLIENT_ID: OAuth mode runs over HTTP on PORT, not Socket Mode');
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim();
  if (!signingSecret)
    throw new ConfigError('SLACK_SIGNING_SECRET', 'required for Slack OAuth (HTTP mode: Bolt verifies each request with it)');
  return { botToken: null, signingSecret, appToken: null, ...slackCommon(env) };
}

/**
 * `env` with the variables of `dir/.env` added where `env` does not set them
 * (a variable set in the real environment, even to "", always wins). Returns
 * a new object: `process.env` itself is never modified.
 */
export function withDotenv(env: Env, dir: string): Env {
  const file = join(dir, '.env');
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch {
    return env; // No readable .env (the usual case): the environment alone, as dotenv.config() would leave it.
  }
  const merged: Env = { ...dotenv.parse(text) };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  return merged;
}

function url(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim() || fallback;
  try {
    new URL(value);
  } catch {
    throw new ConfigError(name, `not a URL: "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

/** A whole number in range: digits only, so "1.5", "2e1" and "0x10" are refused rather than rounded or reinterpreted. */
function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

/** A croner pattern (5 fields, or 6 with seconds first), checked by croner itself so serve never starts with a bad one. */
function cronPattern(env: Env, name: string, fallback: string): string {
  const pattern = env[name]?.trim() || fallback;
  const fields = pattern.split(/\s+/).length;
  if (fields < 5 || fields > 6) throw new ConfigError(name, `expected 5 fields (or 6 with seconds first), got "${pattern.slice(0, 60)}"`);
  try {
    new Cron(pattern, { paused: true }).stop();
  } catch (err) {
    throw new ConfigError(name, `not a cron pattern: "${pattern.slice(0, 60)}" (${err instanceof Error ? err.message : String(err)})`);
  }
  return pattern;
}

function number(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(name, `expected a number from ${min} to ${max}, got "${raw}"`);
  return n;
}
