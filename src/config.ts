/**
 * The only reader of `process.env`. Everything else receives a typed Config,
 * so tests pass plain objects and no module reads the environment behind
 * another's back. Errors name the variable to set.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
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
  /** Port of the shared HTTP listener (Discord HTTP interactions, Slack HTTP mode, /healthz). */
  port: number;
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
    port: integer(env, 'PORT', 3000, 0, 65535),
  };
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

function number(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(name, `expected a number from ${min} to ${max}, got "${raw}"`);
  return n;
}
