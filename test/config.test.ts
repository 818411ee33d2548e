import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, withDotenv } from '../src/config.js';

/** The ConfigError `loadConfig(env)` throws (fails the test when it does not throw). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('syncs rust-lang/this-week-in-rust from GitHub into data/twir.db when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      dbPath: resolve('data/twir.db'),
      databaseUrl: null,
      localSource: null,
      github: {
        apiBaseUrl: 'https://api.github.com',
        rawBaseUrl: 'https://raw.githubusercontent.com',
        owner: 'rust-lang',
        repo: 'this-week-in-rust',
        branch: 'main',
        folder: 'content',
        token: null,
      },
      staleAfterHours: 24,
      parseWorkers: Math.min(2, availableParallelism()),
      downloadConcurrency: 8,
      parseTimeoutMs: 30_000,
      port: 3000,
      web: { requestsPerMinute: 120 },
      publicUrl: null,
      portSet: false,
      host: null,
      replicaName: null,
      leaseTtlMs: 60_000,
      logLevel: 'info',
      logFormat: 'text',
      discord: null,
      slack: null,
      digest: { pollCron: '*/30 * * * *', retryMaxMs: 180_000 },
    });
  });

  it('moves the shared state to PostgreSQL with DATABASE_URL, names the variable for anything else and never echoes it', () => {
    expect(loadConfig({ DATABASE_URL: ' postgres://twir:pw@db:5432/twir ' }).databaseUrl).toBe('postgres://twir:pw@db:5432/twir');
    expect(loadConfig({ DATABASE_URL: 'postgresql://localhost/twir' }).databaseUrl).toBe('postgresql://localhost/twir');
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeNull();
    const wrong = configError({ DATABASE_URL: 'mysql://root:secret@db/twir' });
    expect(wrong.variable).toBe('DATABASE_URL');
    expect(wrong.message).not.toContain('secret');
    expect(configError({ DATABASE_URL: 'twir.db' }).variable).toBe('DATABASE_URL');
  });

  it('turns the web page off with TWIR_WEB=off and names TWIR_WEB for anything but on/off', () => {
    expect(loadConfig({ TWIR_WEB: 'OFF' }).web).toBeNull();
    expect(loadConfig({ TWIR_WEB: 'on', TWIR_WEB_RATE_LIMIT: '5' }).web).toEqual({ requestsPerMinute: 5 });
    expect(configError({ TWIR_WEB: 'yes' }).variable).toBe('TWIR_WEB');
    expect(loadConfig({ PUBLIC_URL: 'https://twir.example/' }).publicUrl).toBe('https://twir.example');
    expect(configError({ PUBLIC_URL: 'not a url' }).variable).toBe('PUBLIC_URL');
  });

  it('reads the replica name and the lease TTL, naming the variable for bad values', () => {
    expect(loadConfig({ TWIR_REPLICA_NAME: 'twir-1', TWIR_LEASE_TTL_SECONDS: '2.5' })).toMatchObject({
      replicaName: 'twir-1',
      leaseTtlMs: 2500,
    });
    expect(configError({ TWIR_REPLICA_NAME: 'two words' }).variable).toBe('TWIR_REPLICA_NAME');
    expect(configError({ TWIR_REPLICA_NAME: 'x'.repeat(65) }).variable).toBe('TWIR_REPLICA_NAME');
    expect(configError({ TWIR_LEASE_TTL_SECONDS: '0.1' }).variable).toBe('TWIR_LEASE_TTL_SECONDS');
  });

  it('treats blank values as unset and resolves paths', () => {
    const config = loadConfig({ TWIR_DB: '  ', TWIR_SOURCE: 'content', TWIR_PARSE_WORKERS: '', GITHUB_TOKEN: ' ' });
    expect(config.dbPath).toBe(resolve('data/twir.db'));
    expect(config.localSource).toBe(resolve('content'));
    expect(config.parseWorkers).toBe(Math.min(2, availableParallelism()));
    expect(config.github.token).toBeNull();
  });

  it('splits TWIR_REPO into owner and name and strips trailing slashes from URLs', () => {
    const config = loadConfig({ TWIR_REPO: 'me/twir-fork', GITHUB_API_URL: 'http://127.0.0.1:8080/api//' });
    expect(config.github).toMatchObject({ owner: 'me', repo: 'twir-fork', apiBaseUrl: 'http://127.0.0.1:8080/api' });
  });

  it.each(['not-a-repo', 'a/b/c', '/name', 'owner/'])('refuses TWIR_REPO=%s, naming the variable', (repo) => {
    const error = configError({ TWIR_REPO: repo });
    expect(error.variable).toBe('TWIR_REPO');
    expect(error.message).toBe(`TWIR_REPO: expected owner/name, got "${repo}"`);
  });

  it('refuses a GitHub URL that is not a URL, naming the variable', () => {
    expect(configError({ GITHUB_RAW_URL: 'raw.githubusercontent.com' }).message).toBe(
      'GITHUB_RAW_URL: not a URL: "raw.githubusercontent.com"',
    );
  });

  it.each([
    ['TWIR_PARSE_WORKERS', '1.5'],
    ['TWIR_DOWNLOAD_CONCURRENCY', '2.5'],
    ['TWIR_DOWNLOAD_CONCURRENCY', '1e1'],
    ['TWIR_PARSE_WORKERS', '0x2'],
    ['TWIR_PARSE_WORKERS', '-1'],
    ['TWIR_DOWNLOAD_CONCURRENCY', '0'],
    ['TWIR_PARSE_WORKERS', '65'],
  ])('refuses %s=%s: it must be a whole number in range', (variable, value) => {
    const error = configError({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^${variable}: expected a whole number from \\d+ to 64, got "${value}"$`));
  });

  it('accepts whole numbers for workers and downloads, and fractional hours', () => {
    expect(loadConfig({ TWIR_PARSE_WORKERS: '0', TWIR_DOWNLOAD_CONCURRENCY: ' 16 ', TWIR_STALE_HOURS: '0.5' })).toMatchObject({
      parseWorkers: 0,
      downloadConcurrency: 16,
      staleAfterHours: 0.5,
    });
  });

  it('reads the parse timeout in whole seconds and refuses 0', () => {
    expect(loadConfig({ TWIR_PARSE_TIMEOUT_SECONDS: '2' }).parseTimeoutMs).toBe(2000);
    expect(configError({ TWIR_PARSE_TIMEOUT_SECONDS: '0' }).variable).toBe('TWIR_PARSE_TIMEOUT_SECONDS');
  });

  it('refuses hours that are not a number, naming the variable', () => {
    expect(configError({ TWIR_STALE_HOURS: 'daily' }).variable).toBe('TWIR_STALE_HOURS');
  });
});

describe('withDotenv', () => {
  const folderWithDotenv = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'twir-dotenv-'));
    writeFileSync(join(dir, '.env'), text);
    return dir;
  };

  it('fills in variables from .env that the environment does not set', () => {
    const dir = folderWithDotenv('TWIR_BRANCH=dev\nTWIR_PARSE_WORKERS=1\n');
    expect(loadConfig(withDotenv({}, dir))).toMatchObject({ github: { branch: 'dev' }, parseWorkers: 1 });
  });

  it('never overrides a variable already set, even to an empty value', () => {
    const dir = folderWithDotenv('TWIR_DB=/from/dotenv.db\nTWIR_BRANCH=dev\nGITHUB_TOKEN=from-dotenv\n');
    const env = withDotenv({ TWIR_DB: '/from/env.db', GITHUB_TOKEN: '' }, dir);
    expect(env).toMatchObject({ TWIR_DB: '/from/env.db', TWIR_BRANCH: 'dev', GITHUB_TOKEN: '' });
    expect(loadConfig(env)).toMatchObject({ dbPath: '/from/env.db', github: { branch: 'dev', token: null } });
  });

  it('leaves the given environment object untouched', () => {
    const env = { TWIR_DB: '/from/env.db' };
    withDotenv(env, folderWithDotenv('TWIR_BRANCH=dev\n'));
    expect(env).toEqual({ TWIR_DB: '/from/env.db' });
  });

  it('returns the environment as it is when the folder has no .env', () => {
    const env = { TWIR_BRANCH: 'main' };
    expect(withDotenv(env, mkdtempSync(join(tmpdir(), 'twir-no-dotenv-')))).toEqual(env);
  });
});
