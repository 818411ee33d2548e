import Bottleneck from 'bottleneck';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RateLimitError, SourceHttpError } from '../../../src/core/sync/errors.js';
import { createGitHubSource, type GitHubSourceOptions } from '../../../src/core/sync/github-source.js';
import { gitBlobSha, type SourceState } from '../../../src/core/sync/source.js';
import { FakeGitHub, type FakeGitHubOptions } from '../../support/fake-github.js';

const ISSUE_528 = `Title: This Week in Rust 528
Number: 528
Date: 2024-01-03
Category: This Week in Rust

Hello and welcome to another issue of *This Week in Rust*!
`;
const ISSUE_529 = `Title: This Week in Rust 529
Number: 529
Date: 2024-01-10
Category: This Week in Rust

### Upcoming Events
* 2024-01-11 | Nürnberg, DE | [Rust Nürnberg](https://www.meetup.com/rust-noris/) 🦀
`;
const ISSUE_1 = `Title: This Week in Rust 1
Number: 1
Date: 2013-06-22
Category: This Week in Rust

Hello and welcome to the first issue of *This Week in Rust*.
`;

const FILES = {
  '2024-01-03-this-week-in-rust.md': ISSUE_528,
  '2024-01-10-this-week-in-rust.md': ISSUE_529,
  '2013-06-22-this-week-in-rust.markdown': ISSUE_1,
};

function memoryState(): SourceState & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, get: (key) => map.get(key), set: (key, value) => void map.set(key, value) };
}

let fake: FakeGitHub;
let extraFakes: FakeGitHub[] = [];

async function startFake(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const server = new FakeGitHub({ files: FILES, ...options });
  await server.start();
  return server;
}

beforeEach(async () => {
  fake = await startFake();
});

afterEach(async () => {
  await fake.close();
  for (const other of extraFakes) await other.close();
  extraFakes = [];
});

function setup(overrides: Partial<GitHubSourceOptions> = {}, server: FakeGitHub = fake) {
  const sleeps: number[] = [];
  const state = memoryState();
  const source = createGitHubSource({
    apiBaseUrl: server.apiBaseUrl,
    rawBaseUrl: server.rawBaseUrl,
    owner: server.owner,
    repo: server.repo,
    branch: server.branch,
    folder: server.folder,
    state,
    limiter: new Bottleneck({ maxConcurrent: 4 }),
    sleep: async (ms) => void sleeps.push(ms),
    ...overrides,
  });
  return { source, state, sleeps };
}

const decoder = new TextDecoder();

describe('createGitHubSource listing', () => {
  it('lists only the issue files of the folder with their git blob shas', async () => {
    const { source } = setup();
    const listing = await source.list();
    expect(listing).toMatchObject({ notModified: false, complete: true, warnings: [] });
    const names = ['2013-06-22-this-week-in-rust.markdown', '2024-01-03-this-week-in-rust.md', '2024-01-10-this-week-in-rust.md'];
    // With the tree's `size`, so a sync can refuse a huge file before downloading it.
    expect(listing.files).toEqual(names.map((name) => ({ name, sha: fake.shaOf(name), size: expect.any(Number) })));
    expect(listing.files.every((f) => (f.size ?? 0) > 0)).toBe(true);
  });

  it('asks for the folder as a branch:path tree-ish with the GitHub API headers', async () => {
    const { source } = setup();
    await source.list();
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.path).toBe('/api/repos/rust-lang/this-week-in-rust/git/trees/main:content');
    expect(request?.headers).toMatchObject({
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'twir-bot',
    });
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('describes itself for logs', () => {
    expect(setup().source.description).toBe('GitHub rust-lang/this-week-in-rust@main:content');
  });

  it('answers notModified with a single conditional request once a listing was committed', async () => {
    const { source } = setup();
    (await source.list()).commit();
    fake.requests.length = 0;

    const second = await source.list();
    expect(second).toMatchObject({ notModified: true, files: [], complete: false });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.headers['if-none-match']).toMatch(/^W\/"[0-9a-f]{40}"$/);
  });

  it('lists in full again when the previous listing was never committed (a sync that failed halfway)', async () => {
    const { source, state } = setup();
    await source.list();
    expect(state.map.size).toBe(0);

    const again = await source.list();
    expect(again.notModified).toBe(false);
    expect(again.files).toHaveLength(3);
    expect(fake.requests[1]?.headers['if-none-match']).toBeUndefined();
  });

  it('ignores the remembered ETag when asked for an unconditional listing', async () => {
    const { source } = setup();
    (await source.list()).commit();
    const full = await source.list({ conditional: false });
    expect(full.notModified).toBe(false);
    expect(full.files).toHaveLength(3);
    expect(fake.requests[1]?.headers['if-none-match']).toBeUndefined();
  });

  it('reports a changed file with a new sha and leaves the others alone', async () => {
    const { source } = setup();
    const first = await source.list();
    first.commit();
    fake.setFile('2024-01-10-this-week-in-rust.md', `${ISSUE_529}* 2024-01-12 | Virtual | [Rust Meetup](https://example.com)\n`);

    const second = await source.list();
    expect(second.notModified).toBe(false);
    const sha = (list: typeof first, name: string) => list.files.find((f) => f.name === name)?.sha;
    expect(sha(second, '2024-01-10-this-week-in-rust.md')).not.toBe(sha(first, '2024-01-10-this-week-in-rust.md'));
    expect(sha(second, '2024-01-03-this-week-in-rust.md')).toBe(sha(first, '2024-01-03-this-week-in-rust.md'));
  });

  it('reports a missing repository with owner, repo, branch and folder in the message', async () => {
    fake.repoMissing = true;
    const { source } = setup();
    const error = await source.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceHttpError);
    expect(error).toMatchObject({ status: 404 });
    const message = (error as Error).message;
    for (const part of ['rust-lang/this-week-in-rust', '"main"', '"content"', 'GITHUB_TOKEN']) expect(message).toContain(part);
  });

  it('encodes branch and folder names per path segment', async () => {
    const other = await startFake({ branch: 'twir/next', folder: 'issues 2024/drafts' });
    extraFakes.push(other);
    const { source } = setup({}, other);
    const listing = await source.list();
    expect(listing.files).toHaveLength(3);
    expect(other.requests[0]?.path).toBe('/api/repos/rust-lang/this-week-in-rust/git/trees/twir/next:issues%202024/drafts');
    const bytes = await source.read(listing.files[0]!);
    expect(gitBlobSha(bytes)).toBe(listing.files[0]?.sha);
    expect(other.requests[1]?.path).toBe(
      '/raw/rust-lang/this-week-in-rust/twir/next/issues%202024/drafts/2013-06-22-this-week-in-rust.markdown',
    );
  });
});

describe('createGitHubSource truncated trees', () => {
  it('falls back to the contents API and returns a complete listing', async () => {
    fake.truncateTree = true;
    const { source } = setup();
    const listing = await source.list();
    expect(listing.complete).toBe(true);
    expect(listing.warnings).toEqual([]);
    expect(listing.files.map((f) => f.name)).toEqual([
      '2013-06-22-this-week-in-rust.markdown',
      '2024-01-03-this-week-in-rust.md',
      '2024-01-10-this-week-in-rust.md',
    ]);
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/api/repos/rust-lang/this-week-in-rust/git/trees/main:content',
      '/api/repos/rust-lang/this-week-in-rust/contents/content?ref=main',
    ]);
  });

  it('returns what the tree had, marked incomplete with a warning, when the contents API fails too', async () => {
    fake.truncateTree = true;
    fake.contentsStatus = 500;
    const { source, state } = setup();
    const listing = await source.list();
    expect(listing.complete).toBe(false);
    expect(listing.files.length).toBeGreaterThan(0);
    expect(listing.files.length).toBeLessThan(3);
    expect(listing.warnings).toHaveLength(1);
    expect(listing.warnings[0]).toMatch(/truncated.*contents API fallback failed.*nothing will be deleted/);

    listing.commit();
    expect(state.map.size).toBe(0);
  });

  it('marks the listing incomplete when the folder outgrows the contents API limit of 1000 entries', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 1001; i++) many[`issue-${String(i).padStart(4, '0')}.md`] = `Title: This Week in Rust ${i}\n`;
    const big = await startFake({ files: many });
    extraFakes.push(big);
    big.truncateTree = true;
    const { source } = setup({}, big);
    const listing = await source.list();
    expect(listing.complete).toBe(false);
    expect(listing.warnings[0]).toContain('at most 1000');
    // 1000 contents entries (two are README.md and drafts/) plus what the truncated tree listed beyond them.
    expect(listing.files.length).toBeGreaterThan(990);
    expect(listing.files.length).toBeLessThan(1001);
  });
});

describe('createGitHubSource reading', () => {
  it('reads the exact bytes of every listed file from the raw host', async () => {
    const { source } = setup();
    const listing = await source.list();
    for (const file of listing.files) {
      const bytes = await source.read(file);
      expect(gitBlobSha(bytes)).toBe(file.sha);
    }
    const issue529 = listing.files.find((f) => f.name === '2024-01-10-this-week-in-rust.md')!;
    expect(decoder.decode(await source.read(issue529))).toBe(ISSUE_529);
    expect(fake.requestsTo('raw').map((r) => r.path)).toContain(
      '/raw/rust-lang/this-week-in-rust/main/content/2024-01-10-this-week-in-rust.md',
    );
  });

  it('fetches the blob by sha when the raw host still serves the previous version', async () => {
    const { source } = setup();
    const name = '2024-01-03-this-week-in-rust.md';
    fake.staleRaw.set(name, new TextEncoder().encode(ISSUE_528));
    fake.setFile(name, `${ISSUE_528}\nUpdated after the CDN cached it.\n`);

    const file = (await source.list()).files.find((f) => f.name === name)!;
    const bytes = await source.read(file);
    expect(decoder.decode(bytes)).toContain('Updated after the CDN cached it.');
    expect(fake.requests.at(-1)?.path).toBe(`/api/repos/rust-lang/this-week-in-rust/git/blobs/${file.sha}`);
  });

  it('fetches the blob by sha when the file vanished from the branch after listing', async () => {
    const { source } = setup();
    const file = (await source.list()).files.find((f) => f.name === '2024-01-03-this-week-in-rust.md')!;
    fake.deleteFile(file.name);
    expect(decoder.decode(await source.read(file))).toBe(ISSUE_528);
  });

  it('never runs more reads at once than the limiter allows', async () => {
    const { source } = setup({ limiter: new Bottleneck({ maxConcurrent: 2 }) });
    const listing = await source.list();
    fake.delayMs = 25;
    fake.maxInFlight = 0;
    await Promise.all([...listing.files, ...listing.files].map((f) => source.read(f)));
    expect(fake.maxInFlight).toBe(2);
  });
});

describe('createGitHubSource tokens', () => {
  it('sends the token to the API and the raw host', async () => {
    const { source } = setup({ token: 'ghp_test123' });
    const listing = await source.list();
    await source.read(listing.files[0]!);
    expect(fake.requestsTo('api')).toHaveLength(1);
    expect(fake.requestsTo('raw')).toHaveLength(1);
    for (const request of fake.requests) expect(request.headers.authorization).toBe('Bearer ghp_test123');
  });

  it('keeps the token on a same-host redirect but drops it on a redirect to another host', async () => {
    const elsewhere = await startFake();
    extraFakes.push(elsewhere);
    const { source } = setup({ token: 'ghp_test123' });

    fake.redirectOnce = { kind: 'api', to: fake.apiBaseUrl, status: 301 };
    const listing = await source.list();
    expect(fake.requestsTo('api')).toHaveLength(2);
    expect(fake.requests[1]?.headers.authorization).toBe('Bearer ghp_test123');

    fake.redirectOnce = { kind: 'raw', to: elsewhere.rawBaseUrl };
    const bytes = await source.read(listing.files[0]!);
    expect(gitBlobSha(bytes)).toBe(listing.files[0]?.sha);
    expect(elsewhere.requests).toHaveLength(1);
    expect(elsewhere.requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe('createGitHubSource failures', () => {
  it('throws RateLimitError with the reset time and does not retry', async () => {
    const resetEpoch = Math.floor(Date.UTC(2030, 0, 1, 14, 5) / 1000);
    fake.rateLimit = { resetEpoch };
    const { source, sleeps } = setup();
    const error = await source.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).resetAt?.toISOString()).toBe('2030-01-01T14:05:00.000Z');
    expect((error as RateLimitError).status).toBe(403);
    expect((error as Error).message).toContain('14:05 UTC');
    expect((error as Error).message).toContain('Set GITHUB_TOKEN');
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('takes the reset time from retry-after on a 429', async () => {
    fake.rateLimit = { status: 429, retryAfterSeconds: 60 };
    const now = Date.UTC(2030, 0, 1, 12, 0);
    const { source } = setup({ now: () => now, token: 'ghp_test123' });
    const error = (await source.list().catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.status).toBe(429);
    expect(error.resetAt?.toISOString()).toBe('2030-01-01T12:01:00.000Z');
    expect(error.message).not.toContain('Set GITHUB_TOKEN');
  });

  it('treats a 403 without rate-limit signs as a plain HTTP error, without retrying', async () => {
    fake.failNext = 1;
    fake.failStatus = 403;
    const { source, sleeps } = setup();
    const error = await source.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceHttpError);
    expect(error).not.toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 403 });
    expect(sleeps).toEqual([]);
  });

  it('succeeds after two server errors, backing off exponentially', async () => {
    fake.failNext = 2;
    const { source, sleeps } = setup();
    const listing = await source.list();
    expect(listing.files).toHaveLength(3);
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('gives up with SourceHttpError once the retry budget is spent', async () => {
    fake.failNext = 100;
    fake.failStatus = 503;
    const { source, sleeps } = setup({ retries: 3 });
    const error = await source.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceHttpError);
    expect(error).toMatchObject({ status: 503, url: `${fake.apiBaseUrl}/repos/rust-lang/this-week-in-rust/git/trees/main:content` });
    expect((error as Error).message).toContain('after 4 attempts');
    expect(fake.requests).toHaveLength(4);
    expect(sleeps).toEqual([1000, 2000, 4000]);
  });

  it('retries network errors and reports them with a null status when they persist', async () => {
    let failures = 1;
    const flaky: typeof fetch = async (input, init) => {
      if (failures-- > 0) throw new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
      return fetch(input, init);
    };
    const { source, sleeps } = setup({ fetch: flaky });
    expect((await source.list()).files).toHaveLength(3);
    expect(sleeps).toEqual([1000]);

    const down: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') });
    };
    const broken = setup({ fetch: down, retries: 1 });
    const error = await broken.source.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceHttpError);
    expect(error).toMatchObject({ status: null });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('treats a request that hangs past the timeout as a network error', async () => {
    fake.delayMs = 500;
    const { source, sleeps } = setup({ timeoutMs: 50, retries: 1 });
    const error = await source.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceHttpError);
    expect(error).toMatchObject({ status: null });
    expect(sleeps).toEqual([1000]);
  });
});
