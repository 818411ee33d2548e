import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IssueStore, openStore } from '../../../src/core/store/store.js';
import { RateLimitError } from '../../../src/core/sync/errors.js';
import { createParser } from '../../../src/core/sync/parse-pool.js';
import type { IssueSource } from '../../../src/core/sync/source.js';
import { syncIssues } from '../../../src/core/sync/sync.js';
import { FakeGitHub, fakeGitHubSource } from '../../support/fake-github.js';
import { miniIssueFile, miniIssueMarkdown } from '../../support/issue-markdown.js';

const now = () => new Date('2024-11-01T12:00:00Z');
const issues = [
  { number: 569, date: '2024-10-16', crate: 'bacon' },
  { number: 570, date: '2024-10-23', crate: 'cot' },
  { number: 571, date: '2024-10-30', crate: 'tower-http-client' },
];

let gh: FakeGitHub;
let store: IssueStore;

const source = (): IssueSource => fakeGitHubSource(gh, store);

const sync = (src: IssueSource = source()) => syncIssues({ source: src, store, parser: createParser(0), now });

beforeEach(async () => {
  gh = new FakeGitHub({ files: Object.fromEntries(issues.map((i) => [miniIssueFile(i), miniIssueMarkdown(i)])), extras: false });
  await gh.start();
  store = openStore({ path: ':memory:' });
});

afterEach(async () => {
  store.close();
  await gh.close();
});

describe('sync from GitHub (loopback)', () => {
  it('stores every issue on the first sync', async () => {
    const report = await sync();
    expect(report).toMatchObject({ listed: 3, stored: 3, failed: [], notModified: false });
    expect(store.summaries().map((s) => s.number)).toEqual([569, 570, 571]);
    expect(gh.requestsTo('raw')).toHaveLength(3);
  });

  it('asks once and parses nothing when upstream has not changed (304)', async () => {
    await sync();
    const before = gh.requests.length;
    const report = await sync();
    expect(report.notModified).toBe(true);
    expect(report.parsed).toBe(0);
    expect(gh.requests.length - before).toBe(1);
    expect(gh.requests.at(-1)?.headers['if-none-match']).toBeTruthy();
  });

  it('re-reads only the changed file and replaces just that issue', async () => {
    await sync();
    const untouched = store.db.prepare('SELECT id FROM issues WHERE number = 569').get();
    gh.setFile(miniIssueFile(issues[2]!), miniIssueMarkdown({ ...issues[2]!, crate: 'changed-crate' }));
    const rawBefore = gh.requestsTo('raw').length;
    const report = await sync();
    expect(report).toMatchObject({ unchanged: 2, parsed: 1, stored: 1 });
    expect(gh.requestsTo('raw').length - rawBefore).toBe(1);
    expect(store.issueByFile(miniIssueFile(issues[2]!))?.cratesOfWeek[0]?.name).toBe('changed-crate');
    expect(store.db.prepare('SELECT id FROM issues WHERE number = 569').get()).toEqual(untouched);
  });

  it('replaces a draft re-published under a new file name and drops the old file', async () => {
    await sync();
    gh.deleteFile(miniIssueFile(issues[2]!));
    gh.setFile('2024-10-31-this-week-in-rust.md', miniIssueMarkdown({ number: 571, date: '2024-10-31', crate: 'final-crate' }));
    const report = await sync();
    expect(report.failed).toEqual([]);
    expect(store.summaries().filter((s) => s.number === 571)).toEqual([expect.objectContaining({ date: '2024-10-31' })]);
    expect(store.stats().issues).toBe(3);
  });

  it('keeps the later file when a draft and its final sit side by side', async () => {
    gh.setFile('2024-10-29-this-week-in-rust.md', miniIssueMarkdown({ number: 571, date: '2024-10-29', crate: 'draft-crate' }));
    const first = await sync();
    expect(first.superseded).toEqual(['2024-10-29-this-week-in-rust.md']);
    expect(
      store
        .summaries()
        .filter((s) => s.number === 571)
        .map((s) => s.date),
    ).toEqual(['2024-10-30']);
    const second = await sync(); // no ping-pong: nothing changed
    expect(second.notModified || second.parsed === 0).toBe(true);
    // The final leaves the source: the draft it had superseded comes back as #571.
    gh.deleteFile(miniIssueFile(issues[2]!));
    const third = await sync();
    expect(third.removed).toEqual([miniIssueFile(issues[2]!)]);
    expect(
      store
        .summaries()
        .filter((s) => s.number === 571)
        .map((s) => s.date),
    ).toEqual(['2024-10-29']);
  });

  it('reports a rate limit with its reset time and leaves the store as it was', async () => {
    await sync();
    gh.setFile(miniIssueFile(issues[0]!), miniIssueMarkdown({ ...issues[0]!, crate: 'new' }));
    gh.rateLimit = { resetEpoch: Date.parse('2024-11-01T13:00:00Z') / 1000 };
    const err = await sync().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as Error).message).toMatch(/13:00.*GITHUB_TOKEN/);
    expect(store.issueByFile(miniIssueFile(issues[0]!))?.cratesOfWeek[0]?.name).toBe('bacon');
  });

  it('stops downloading on a rate limit mid-sync, keeps what landed and lists again next time', async () => {
    const src = source();
    let reads = 0;
    const limited: IssueSource = {
      description: src.description,
      list: (o) => src.list(o),
      read: async (f) => {
        if (++reads > 1) throw new RateLimitError({ resetAt: null, status: 403, url: f.name, authenticated: false });
        return src.read(f);
      },
    };
    const report = await sync(limited);
    expect(report.failed).toEqual([]);
    expect(report.abortedBy).toMatch(/rate limit/);
    expect(report.stored).toBe(1);
    const again = await sync();
    expect(again.notModified).toBe(false);
    expect(again).toMatchObject({ unchanged: 1, stored: 2 });
  });

  it('retries server errors and succeeds', async () => {
    gh.failNext = 2;
    const report = await sync();
    expect(report.stored).toBe(3);
  });

  it('reports a file that is not an issue and stores the rest', async () => {
    // Binary bytes named like an issue used to be stored with a URL made up from the file name.
    gh.setFile('2024-11-06-this-week-in-rust.md', new Uint8Array([0xff, 0xfe, 0x00, 0x81, 0x9d, 0x0a]));
    gh.setFile('notes.md', 'no header, no date\n');
    const report = await sync();
    expect(report.stored).toBe(3);
    expect(report.failed).toEqual([
      { file: '2024-11-06-this-week-in-rust.md', error: expect.stringMatching(/^not a text file/) },
      { file: 'notes.md', error: expect.stringMatching(/^no TWIR header/) },
    ]);
    expect(store.summaries().map((s) => s.file)).not.toContain('2024-11-06-this-week-in-rust.md');
    // They fail for what they are: the listing is remembered (a 304 next time), and so are they, by content hash.
    const again = await sync();
    expect(again.notModified).toBe(true);
    // Another file changes, so the folder is listed again: the bad files are reported without being downloaded.
    gh.setFile(
      miniIssueFile(issues[0] as (typeof issues)[0]),
      miniIssueMarkdown({ ...(issues[0] as (typeof issues)[0]), crate: 'ratatui' }),
    );
    gh.requests.length = 0;
    const listedAgain = await sync();
    expect(listedAgain.stored).toBe(1);
    expect(listedAgain.failed.map((f) => [f.file, f.remembered])).toEqual([
      ['2024-11-06-this-week-in-rust.md', true],
      ['notes.md', true],
    ]);
    expect(gh.requests.map((r) => r.path).filter((p) => /2024-11-06|notes/.test(p))).toEqual([]);
    // --force tries them again.
    const forced = await syncIssues({ source: source(), store, parser: createParser(0), now, force: true });
    expect(forced.failed.map((f) => [f.file, f.remembered])).toEqual([
      ['2024-11-06-this-week-in-rust.md', undefined],
      ['notes.md', undefined],
    ]);
  });
});
