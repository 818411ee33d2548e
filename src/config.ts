/**
 * The only reader of `process.env`. Everything else receives a typed Config,
 * so tests pass plain objects and no module reads the environment behind
 * another's back. Errors name the variable to set.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import dotenv from 'dotenv';
import type { GitHubSettings } from './core/sync/create-source.js';

export interface Config {
  /** SQLite file holding the store. */
  dbPath: string;
  /** Local folder of TWIR markdown (a clone's `content/`); null = sync from GitHub. */
  localSource: string | null;
  github: GitHubSettings;
  /** A store older than this many hours is synced before serving. */
  staleAfterHours: number;
  /** Worker threads used to parse issues during a sync (0 = parse on the main thread). */
  parseWorkers: number;
  /** Parallel downloads from GitHub. */
  downloadConcurrency: number;
}

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
 * Reads configuration from an environment (default: `process.env` after
 * loading `.env` from the working directory, which never overrides variables
 * already set).
 */
export function loadConfig(env: Env = readProcessEnv()): Config {
  const repo = env.TWIR_REPO?.trim() || 'rust-lang/this-week-in-rust';
  const [owner, name, extra] = repo.split('/');
  if (!owner || !name || extra !== undefined) throw new ConfigError('TWIR_REPO', `expected owner/name, got "${repo}"`);
  return {
    dbPath: resolve(env.TWIR_DB?.trim() || 'data/twir.db'),
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
    staleAfterHours: number(env, 'TWIR_STALE_HOURS', 24, 0, 24 * 365),
    parseWorkers: number(env, 'TWIR_PARSE_WORKERS', Math.min(2, availableParallelism()), 0, 64),
    downloadConcurrency: number(env, 'TWIR_DOWNLOAD_CONCURRENCY', 8, 1, 64),
  };
}

function readProcessEnv(): Env {
  dotenv.config({ quiet: true });
  return process.env;
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

function number(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(name, `expected a number from ${min} to ${max}, got "${raw}"`);
  return n;
}
