/**
 * Bounded work whatever the source holds: huge, binary and headerless files are
 * reported by name and not stored; failures are remembered by content hash; a
 * store that fills up stops the sync with one line.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isVocabularyCurrent } from '../../../src/core/search/search-index.js';
import { VOCABULARY_STATE_KEY } from '../../../src/core/search/vocabulary.js';
import { openStore } from '../../../src/core/store/store.js';
import { formatBytes, IssueFileRejected, oversize } from '../../../src/core/sync/issue-file-limits.js';
import { createLocalSource } from '../../../src/core/sync/local-source.js';
import { createParser, type IssueParser } from '../../../src/core/sync/parse-pool.js';
import type { IssueSource, SourceFile } from '../../../src/core/sync/source.js';
import { syncIssues } from '../../../src/core/sync/sync.js';
import { FakeGitHub, fakeGitHubSource } from '../../support/fake-github.js';
import { miniIssueFile, miniIssueMarkdown } from '../../support/issue-markdown.js';

const now = () => new Date('2026-12-01T12:00:00Z');
const mini = (number: number, day: number) => ({ number, date: `2024-10-${String(day).padStart(2, '0')}`, crate: 'bacon' });

function folder(count = 3, linksEach = 1): string {
  const dir = mkdtempSync(join(tmpdir(), 'twir-bounds-'));
  for (let i = 0; i < count; i++) {
    const links = Array.from({ length: linksEach }, (_, k) => `Post ${k} about issue ${560 + i} word${i * 1000 + k}`);
    writeFileSync(join(dir, miniIssueFile(mini(560 + i, 1 + i))), miniIssueMarkdown({ ...mini(560 + i, 1 + i), links }));
  }
  return dir;
}

/** A source that records what was read, and how large each read was. */
function spied(source: IssueSource): IssueSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    description: source.description,
    reads,
    list: (o) => source.list(o),
    read: async (file: SourceFile, o) => {
      reads.push(file.name);
      return source.read(file, o);
    },
  };
}

/** A parser that counts its parses and fails on files named in `failing` (as a timed-out parse does). */
function countingParser(failing: Set<string>): IssueParser & { parsed: string[]; failing: Set<string> } {
  const inner = createParser(0);
  const parsed: string[] = [];
  return {
    threads: 0,
    parsed,
    failing,
    parse: async (file, bytes) => {
      parsed.push(file);
      if (failing.has(file)) throw new Error('parsing took longer than 30 s; skipped');
      return inner.parse(file, bytes);
    },
    close: () => inner.close(),
  };
}

describe('files far larger than any issue', () => {
  it('reports a 150 MB and a 60 MB file by name without reading them, and stores the rest', async () => {
    const dir = folder();
    // Sparse files: the sizes are real, the disk cost is nil.
    writeFileSync(join(dir, '2024-10-20-this-week-in-rust.md'), '');
    truncateSync(join(dir, '2024-10-20-this-week-in-rust.md'), 150_000_000);
    writeFileSync(join(dir, '2024-10-21-this-week-in-rust.md'), '');
    truncateSync(join(dir, '2024-10-21-this-week-in-rust.md'), 60_000_000);
    const store = openStore({ path: ':memory:' });
    const source = spied(createLocalSource(dir));
    const before = process.memoryUsage().rss;
    const report = await syncIssues({ source, store, parser: createParser(0), now });
    expect(report.stored).toBe(3);
    // Sorted by name: the sync works newest first, and the order is not what this test is about.
    expect(byFile(report.failed)).toEqual([
      { file: '2024-10-20-this-week-in-rust.md', error: 'file is 150 MB, over the 1 MB limit for an issue; not read' },
      { file: '2024-10-21-this-week-in-rust.md', error: 'file is 60 MB, over the 1 MB limit for an issue; not read' },
    ]);
    expect(source.reads).not.toContain('2024-10-20-this-week-in-rust.md');
    expect(process.memoryUsage().rss - before).toBeLessThan(100_000_000);
  });

  it('honours a smaller cap, and a read never takes more than the cap even when the file grew after listing', async () => {
    const dir = folder(1);
    const name = miniIssueFile(mini(560, 1));
    const source = createLocalSource(dir);
    const [file] = (await source.list()).files as SourceFile[];
    appendFileSync(join(dir, name), 'x'.repeat(5000));
    await expect(source.read(file as SourceFile, { maxBytes: 2000 })).rejects.toThrow(IssueFileRejected);
    const report = await syncIssues({ source, store: openStore({ path: ':memory:' }), parser: createParser(0), now, maxFileBytes: 2000 });
    expect(report.failed).toEqual([
      { file: name, error: expect.stringMatching(/^file is 5\.\d+ KB, over the 2 KB limit for an issue; not read$/) },
    ]);
  });

  it('does not download a file GitHub lists as too large, and stops a download that turns out larger than listed', async () => {
    const gh = new FakeGitHub({
      files: {
        [miniIssueFile(mini(560, 1))]: miniIssueMarkdown(mini(560, 1)),
        '2024-10-20-this-week-in-rust.md': `Title: x\n${'y'.repeat(5000)}`,
      },
      extras: false,
    });
    await gh.start();
    try {
      const store = openStore({ path: ':memory:' });
      const source = fakeGitHubSource(gh, store, 2);
      const report = await syncIssues({ source, store, parser: createParser(0), now, maxFileBytes: 2000 });
      expect(report.stored).toBe(1);
      expect(report.failed.map((f) => f.file)).toEqual(['2024-10-20-this-week-in-rust.md']);
      expect(
        gh
          .requestsTo('raw')
          .map((r) => r.path)
          .filter((p) => p.includes('2024-10-20')),
      ).toEqual([]);
      // The listing said nothing about size: the read itself stops at the cap and says so, without retrying.
      gh.requests.length = 0;
      const big = { name: '2024-10-20-this-week-in-rust.md', sha: gh.shaOf('2024-10-20-this-week-in-rust.md') };
      await expect(source.read(big, { maxBytes: 2000 })).rejects.toThrow(/over the 2 KB limit/);
      expect(gh.requestsTo('raw')).toHaveLength(1);
    } finally {
      await gh.close();
    }
  });
});

describe('sizes in messages', () => {
  it('reads as over the limit even just over it', () => {
    expect([812, 2000, 5123, 999_999, 1_000_000, 1_030_000, 1_000_001, 60_000_000, 150_123_456].map(formatBytes)).toEqual([
      '812 bytes',
      '2 KB',
      '5.12 KB',
      '1000 KB',
      '1 MB',
      '1.03 MB',
      '1 MB',
      '60 MB',
      '150.1 MB',
    ]);
    expect(oversize(1_000_001, 1_000_000)?.message).toBe('file is 1000001 bytes, over the 1000000-byte limit for an issue; not read');
  });
});

describe('files that are not issues', () => {
  it('reports random bytes named like an issue and a headerless file, and stores neither', async () => {
    const dir = folder();
    writeFileSync(join(dir, '2024-10-22-this-week-in-rust.md'), randomBytes(64 * 1024));
    // No NUL byte, but control characters throughout: still binary.
    writeFileSync(
      join(dir, '2024-10-23-this-week-in-rust.md'),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i % 7 === 0 ? 0x01 : 0x41 + (i % 26)))),
    );
    writeFileSync(join(dir, '2024-10-24-this-week-in-rust.md'), '## Updates\n\n* [a](https://a.test)\n');
    const store = openStore({ path: ':memory:' });
    const report = await syncIssues({ source: createLocalSource(dir), store, parser: createParser(0), now });
    expect(byFile(report.failed)).toEqual([
      { file: '2024-10-22-this-week-in-rust.md', error: 'not a text file (it contains NUL bytes); not stored' },
      { file: '2024-10-23-this-week-in-rust.md', error: 'not a text file (binary data); not stored' },
      { file: '2024-10-24-this-week-in-rust.md', error: 'no TWIR header (a `Title:` line at the top of the file); not stored' },
    ]);
    expect(store.summaries().map((s) => s.number)).toEqual([560, 561, 562]);
  });

  it('still stores a Windows-1252 issue and one with a BOM and blank lines before its header', async () => {
    const dir = folder(0);
    writeFileSync(
      join(dir, miniIssueFile(mini(570, 1))),
      Buffer.from(miniIssueMarkdown(mini(570, 1)).replace('Hello', 'Caf\u00e9'), 'latin1'),
    );
    writeFileSync(join(dir, miniIssueFile(mini(571, 2))), `\ufeff\n\n${miniIssueMarkdown(mini(571, 2))}`);
    const report = await syncIssues({
      source: createLocalSource(dir),
      store: openStore({ path: ':memory:' }),
      parser: createParser(0),
      now,
    });
    expect(report).toMatchObject({ stored: 2, failed: [] });
  });
});

describe('remembered failures', () => {
  it('does not parse a failed file again until its content changes, and keeps reporting it', async () => {
    const dir = folder();
    const bad = miniIssueFile(mini(561, 2));
    const parser = countingParser(new Set([bad]));
    const store = openStore({ path: ':memory:' });
    const sync = () =>
      syncIssues({
        source: createLocalSource(dir, { state: { get: (k) => store.getState(k), set: (k, v) => store.setState(k, v) } }),
        store,
        parser,
        now,
      });

    const first = await sync();
    expect(first.failed).toEqual([{ file: bad, error: 'parsing took longer than 30 s; skipped' }]);
    expect(parser.parsed.filter((f) => f === bad)).toHaveLength(1);

    const second = await sync();
    expect(second.failed).toEqual([{ file: bad, error: 'parsing took longer than 30 s; skipped', remembered: true }]);
    expect(parser.parsed.filter((f) => f === bad)).toHaveLength(1);

    // Edited: tried again (and fails again).
    appendFileSync(join(dir, bad), '\nEdited.\n');
    parser.parsed.length = 0;
    expect((await sync()).failed).toEqual([{ file: bad, error: 'parsing took longer than 30 s; skipped' }]);
    expect(parser.parsed).toEqual([bad]);
    // Edited into something that parses: stored, and no longer reported.
    parser.failing.delete(bad);
    appendFileSync(join(dir, bad), '\nEdited again.\n');
    expect(await sync()).toMatchObject({ stored: 1, failed: [] });
    expect((await sync()).failed).toEqual([]);
  });

  it('does not remember a failure to read (it may pass next time)', async () => {
    const dir = folder(2);
    const store = openStore({ path: ':memory:' });
    const source = createLocalSource(dir);
    const flaky: IssueSource = {
      description: 'flaky',
      list: (o) => source.list(o),
      read: async () => {
        throw new Error('EIO, i/o error');
      },
    };
    expect((await syncIssues({ source: flaky, store, parser: createParser(0), now })).failed).toHaveLength(2);
    expect(await syncIssues({ source, store, parser: createParser(0), now })).toMatchObject({ stored: 2, failed: [] });
  });
});

describe('store-wide failures', () => {
  const dirs: string[] = [];
  afterEach(() => void dirs.splice(0));

  it('stops at a full disk with one line naming the file and what landed before it', async () => {
    const dir = folder(12, 200);
    const dbDir = mkdtempSync(join(tmpdir(), 'twir-full-'));
    dirs.push(dbDir);
    const store = openStore({ path: join(dbDir, 'twir.db') });
    // SQLite's page cap plays a full disk: every write past it fails with SQLITE_FULL.
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages + 60}`);
    const report = await syncIssues({ source: createLocalSource(dir), store, parser: createParser(0), now });
    expect(report.storeError).toMatch(/^disk full while storing 2024-10-\d\d-this-week-in-rust\.md; \d+ issue\(s\) stored before it\.$/);
    const storedBefore = Number(/; (\d+) issue/.exec(report.storeError ?? '')?.[1]);
    expect(storedBefore).toBe(report.stored);
    expect(store.stats().issues).toBe(report.stored);
    expect(report.stored).toBeLessThan(12);
    // One failure for the store, not one per remaining file.
    expect(report.failed).toHaveLength(1);
    expect(report.abortedBy).toBe(report.storeError);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

describe('search vocabulary', () => {
  it('redoes a rebuild that did not finish, even when the next sync has nothing new', async () => {
    const dir = folder(5);
    const store = openStore({ path: ':memory:' });
    const sync = () => syncIssues({ source: createLocalSource(dir), store, parser: createParser(0), now });
    await sync();
    expect(isVocabularyCurrent(store.db)).toBe(true);
    const terms = store.db.prepare('SELECT count(*) FROM search_terms').pluck().get();
    // As after a kill between the last issue's commit and the vocabulary's: the copy is stale.
    store.db.exec('DELETE FROM search_terms');
    store.setState(VOCABULARY_STATE_KEY, 'from before the killed sync');
    const again = await sync();
    expect(again.stored).toBe(0);
    expect(isVocabularyCurrent(store.db)).toBe(true);
    expect(store.db.prepare('SELECT count(*) FROM search_terms').pluck().get()).toBe(terms);
  });
});

describe('stopping', () => {
  it('stops between files when its signal aborts (a lost lease), keeping what landed', async () => {
    const dir = folder(10);
    const store = openStore({ path: ':memory:' });
    const controller = new AbortController();
    const report = await syncIssues({
      source: createLocalSource(dir),
      store,
      parser: createParser(0),
      now,
      signal: controller.signal,
      progress: { file: (done) => done === 3 && controller.abort(new Error('the sync lease was taken over by another process')) },
    });
    expect(report.abortedBy).toBe('sync stopped: the sync lease was taken over by another process.');
    expect(report.stored).toBeGreaterThanOrEqual(2);
    expect(report.stored).toBeLessThan(10);
    expect(store.getState('sync:last')).toBeUndefined();
  });
});

function byFile<T extends { file: string }>(failures: T[]): T[] {
  return [...failures].sort((a, b) => a.file.localeCompare(b.file));
}
