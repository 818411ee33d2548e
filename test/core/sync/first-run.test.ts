import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandList } from '../../../commands/index.js';
import { Archive } from '../../../src/core/archive/archive.js';
import { executeReadOnlyLine } from '../../../src/core/commands/execute.js';
import type { Reply } from '../../../src/core/reply/reply.js';
import { type IssueStore, openStore } from '../../../src/core/store/store.js';
import { readBackfill } from '../../../src/core/sync/backfill.js';
import { createLocalSource } from '../../../src/core/sync/local-source.js';
import { createParser } from '../../../src/core/sync/parse-pool.js';
import { type SyncProgress, syncIssues } from '../../../src/core/sync/sync.js';
import { miniIssueFile, miniIssueMarkdown } from '../../support/issue-markdown.js';

const now = () => new Date('2024-11-01T12:00:00Z');
const issues = [500, 501, 502, 503, 504, 505].map((number, i) => ({
  number,
  date: `2024-09-${String(5 + i).padStart(2, '0')}`,
  crate: `crate-${number}`,
  links: [`Post about zebras in issue ${number}`],
}));

let dir: string;
let store: IssueStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'twir-first-run-'));
  mkdirSync(join(dir, 'content'));
  // The 9th's file is named without a leading zero, as the real 2020-12-9 is: it still sorts by its date.
  for (const i of issues) writeFileSync(join(dir, 'content', miniIssueFile(i).replace('-09-09-', '-09-9-')), miniIssueMarkdown(i));
  store = openStore({ path: join(dir, 'twir.db') });
});

afterEach(() => store.close());

/** One sync of the folder with these progress hooks (and a stop signal). */
const syncFolder = (progress: SyncProgress, signal?: AbortSignal) =>
  syncIssues({
    source: createLocalSource(join(dir, 'content')),
    store,
    parser: createParser(0),
    now,
    progress,
    ...(signal ? { signal } : {}),
  });

const ask = (archive: Archive, line: string) =>
  executeReadOnlyLine(line, commandList, {
    archive,
    today: () => '2024-09-15',
    onError: (e) => {
      throw e;
    },
  }).reply;

describe('first sync: newest first, answers say how far indexing has got', () => {
  it('stores the newest issue first, so `latest` is right after the first one lands', async () => {
    const order: number[] = [];
    const archive = new Archive(store.db);
    let latestAfterFirst = '';
    await syncFolder({
      stored(issue) {
        order.push(issue.number ?? -1);
        if (order.length === 1) latestAfterFirst = ask(archive, 'latest').title;
      },
    });
    expect(order).toEqual([505, 504, 503, 502, 501, 500]);
    expect(latestAfterFirst).toBe('This Week in Rust 505');
  });

  it('marks the backfill while it runs, and whole-archive answers say how far it has got', async () => {
    const archive = new Archive(store.db);
    const seen: {
      search?: string;
      crate?: string;
      issue?: string;
      latest?: string | undefined;
      olderLatest?: Reply;
      olderQuote?: Reply;
      olderIssue?: Reply;
      olderDate?: Reply;
      future?: Reply;
    } = {};
    await syncFolder({
      stored(_issue, done) {
        if (done !== 2) return;
        expect(readBackfill(store.db)).toEqual({ indexed: 2, total: 6 });
        seen.search = ask(archive, 'search zebras').warning;
        seen.crate = ask(archive, 'crate crate-500').warning;
        seen.issue = ask(archive, 'issue 500').warning;
        seen.latest = ask(archive, 'latest').warning;
        seen.olderLatest = ask(archive, 'latest --as-of 2024-09-06');
        seen.olderQuote = ask(archive, 'quote --as-of 2024-09-06');
        seen.olderIssue = ask(archive, 'issue 501');
        seen.olderDate = ask(archive, 'issue 2024-09-06');
        seen.future = ask(archive, 'issue 999');
      },
    });
    expect(seen.search).toMatch(/Searched 2 of 6 issues; still indexing/);
    expect(seen.crate).toMatch(/Searched 2 of 6 issues; still indexing/);
    expect(seen.issue).toMatch(/Searched 2 of 6 issues; still indexing/);
    expect(seen.latest).toBeUndefined();
    // Older issues are not there yet: say so, never that they do not exist.
    expect(seen.olderLatest).toMatchObject({ kind: 'empty', title: 'The issues up to 2024-09-06 are not indexed yet.' });
    expect(seen.olderLatest?.warning).toMatch(/Searched 2 of 6 issues; still indexing/);
    expect(seen.olderQuote?.title).toBe('The issues up to 2024-09-06 are not indexed yet.');
    expect(seen.olderIssue?.title).toBe('Issue #501 is not indexed yet.');
    expect(seen.olderDate?.title).toBe('No issue from on or before 2024-09-06 is indexed yet.');
    expect(seen.future?.title).toMatch(/^There is no issue #999/);
    expect(readBackfill(store.db)).toBeNull();
    expect(ask(archive, 'search zebras').warning).toBeUndefined();
  });

  it('parses the newest issue while the gazetteer fills, not after it', async () => {
    // A fresh store has no gazetteer yet: the fill (a child process, ~1 s) and the first parse overlap.
    const inline = createParser(0);
    const filledAtFirstParse: (string | undefined)[] = [];
    const parser = {
      threads: 0,
      parse(file: string, bytes: Uint8Array) {
        filledAtFirstParse.push(store.getState('gazetteer:version') ?? undefined);
        return inline.parse(file, bytes);
      },
      close: () => inline.close(),
    };
    const report = await syncIssues({ source: createLocalSource(join(dir, 'content')), store, parser, now });
    expect(report.stored).toBe(6);
    expect(filledAtFirstParse[0]).toBeUndefined();
    // The fill still finished before the first issue was stored (it is awaited there).
    expect(store.getState('gazetteer:version')).toBeTruthy();
  }, 60_000);

  it('stops when asked, keeping what landed and not counting as fresh', async () => {
    const stop = new AbortController();
    const report = await syncFolder(
      {
        stored(_issue, done) {
          if (done === 2) stop.abort();
        },
      },
      stop.signal,
    );
    expect(report.stored).toBe(2);
    expect(report.abortedBy).toMatch(/stopped/);
    expect(store.getState('sync:last')).toBeUndefined();
    expect(store.stats().issues).toBe(2);
  });
});
