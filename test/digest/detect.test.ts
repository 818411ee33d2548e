import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseIssueBytes } from '../../src/core/issue/parse-file.js';
import { type IssueStore, openStore } from '../../src/core/store/store.js';
import { createLocalSource } from '../../src/core/sync/local-source.js';
import { createParser } from '../../src/core/sync/parse-pool.js';
import { syncIssues } from '../../src/core/sync/sync.js';
import { detectNewIssues } from '../../src/digest/detect.js';
import { createSqliteDigestStore, type DigestStore } from '../../src/digest/digest-store.js';
import { draftVerdict, isPublishedFolder } from '../../src/digest/draft-markers.js';
import { DEFAULT_SECTIONS } from '../../src/digest/settings.js';
import { ARCHIVE_DIR, SEEDS_DIR } from '../support/archive.js';
import { archiveIssue, memoryLog } from '../support/digest-fixtures.js';

const FINAL_572 = '2024-11-06-this-week-in-rust.md';
const settings = { sections: [...DEFAULT_SECTIONS], place: null, when: { kind: 'new' as const } };

describe('detection: a new published issue is announced once; drafts and edits never', () => {
  let dir: string;
  let store: IssueStore;
  let digest: DigestStore;
  let clock: Date;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'twir-detect-'));
    for (const f of ['2024-10-16-this-week-in-rust.md', '2024-10-23-this-week-in-rust.md', '2024-10-30-this-week-in-rust.md'])
      copyFileSync(join(ARCHIVE_DIR, f), join(dir, f));
    store = openStore({ path: join(dir, 'twir.db') });
    digest = createSqliteDigestStore(store.db);
    clock = new Date('2024-11-06T12:00:00Z');
  });
  afterEach(async () => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function syncAndDetect(folder = dir, published = true) {
    const parser = createParser(0);
    try {
      await syncIssues({ source: createLocalSource(folder), store, parser, now: () => clock });
    } finally {
      await parser.close();
    }
    return detectNewIssues({
      issues: store,
      digest,
      readMarkdown: async (file) => readFileSync(join(folder, file), 'utf8'),
      publishedFolder: published,
      now: () => clock,
      log: memoryLog(),
    });
  }

  it('the first sync sets the baseline (no flood), a draft of #572 never triggers, its final does once, an edit does not', async () => {
    expect(await syncAndDetect()).toEqual([]);
    expect(await digest.highestAnnounced()).toBe(571);
    await digest.subscribe({ platform: 'discord', workspaceId: 'g1', channelId: 'c1' }, settings, 571, 'u', clock);
    await digest.subscribe({ platform: 'slack', workspaceId: 'T1', channelId: 'C1' }, settings, 571, 'u', clock);

    // Seed 003 is an early draft of #572 (template comments, placeholder links) in the published folder.
    copyFileSync(join(SEEDS_DIR, '003_d4bedbdc5aaa2816.txt'), join(dir, FINAL_572));
    expect(await syncAndDetect()).toEqual([]);
    expect(await digest.highestAnnounced()).toBe(571);

    copyFileSync(join(ARCHIVE_DIR, FINAL_572), join(dir, FINAL_572));
    expect(await syncAndDetect()).toEqual([{ number: 572, file: FINAL_572, deliveries: 2 }]);

    // An edit of the final (same number, new bytes) and a re-publication under another name: nothing new.
    writeFileSync(join(dir, FINAL_572), `${readFileSync(join(ARCHIVE_DIR, FINAL_572), 'utf8')}\n\nFixed a typo.\n`);
    expect(await syncAndDetect()).toEqual([]);
    rmSync(join(dir, FINAL_572));
    copyFileSync(join(ARCHIVE_DIR, FINAL_572), join(dir, '2024-11-07-this-week-in-rust.md'));
    expect(await syncAndDetect()).toEqual([]);
    expect((await digest.counts()).pending).toBe(2);
  });

  it('a nearly final issue whose quote is still the template waits for the final', async () => {
    rmSync(join(dir, '2024-10-30-this-week-in-rust.md'));
    await syncAndDetect();
    expect(await digest.highestAnnounced()).toBe(570);
    copyFileSync(join(SEEDS_DIR, '001_7480672c79e93d81.txt'), join(dir, '2024-10-30-this-week-in-rust.md'));
    expect(await syncAndDetect()).toEqual([]);
    copyFileSync(join(ARCHIVE_DIR, '2024-10-30-this-week-in-rust.md'), join(dir, '2024-10-30-this-week-in-rust.md'));
    expect((await syncAndDetect()).map((a) => a.number)).toEqual([571]);
  });

  it('a final still carrying a placeholder link waits until it is filled in, or 12 hours', async () => {
    await syncAndDetect();
    const text = readFileSync(join(ARCHIVE_DIR, FINAL_572), 'utf8');
    writeFileSync(join(dir, FINAL_572), `${text}\n<small>[Discuss on r/rust](REDDIT_LINK_HERE)</small>\n`);
    expect(await syncAndDetect()).toEqual([]);
    clock = new Date(clock.getTime() + 11 * 3_600_000);
    expect(await syncAndDetect()).toEqual([]);
    clock = new Date(clock.getTime() + 1 * 3_600_000);
    expect((await syncAndDetect()).map((a) => a.number)).toEqual([572]);
  });

  it('nothing synced from a drafts folder is announced', async () => {
    await syncAndDetect();
    copyFileSync(join(ARCHIVE_DIR, FINAL_572), join(dir, FINAL_572));
    expect(await syncAndDetect(dir, false)).toEqual([]);
    expect(isPublishedFolder('/src/this-week-in-rust/draft')).toBe(false);
    expect(isPublishedFolder('draft/')).toBe(false);
    expect(isPublishedFolder('content')).toBe(true);
  });

  it('every seed draft is held; the final of #572 and a final that kept a template comment are ready', async () => {
    const seeds: [string, number][] = [
      ['000_3c8636344d0deccc.txt', 571],
      ['001_7480672c79e93d81.txt', 571],
      ['002_00b0535985c8d328.txt', 569],
      ['003_d4bedbdc5aaa2816.txt', 572],
    ];
    for (const [file, number] of seeds) {
      const bytes = readFileSync(join(SEEDS_DIR, file));
      const parsed = parseIssueBytes(new Uint8Array(bytes), file);
      expect(parsed.number).toBe(number);
      expect(draftVerdict(bytes.toString('utf8'), parsed).hold.length, file).toBeGreaterThan(0);
    }
    const final = draftVerdict(readFileSync(join(ARCHIVE_DIR, FINAL_572), 'utf8'), archiveIssue(572));
    expect(final).toEqual({ hold: [], wait: [] });
    // A final that keeps the template comment above the content it added (2026-04-29) is not a draft.
    const kept = '2026-04-29-this-week-in-rust.md';
    const issue = archiveIssue(Number(/Number: (\d+)/.exec(readFileSync(join(ARCHIVE_DIR, kept), 'utf8'))?.[1]));
    expect(draftVerdict(readFileSync(join(ARCHIVE_DIR, kept), 'utf8'), issue).hold).toEqual([]);
  });
});
