import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIssueBytes } from '../../../src/core/issue/parse-file.js';
import { openStore } from '../../../src/core/store/store.js';
import { createLocalSource } from '../../../src/core/sync/local-source.js';
import { createParser } from '../../../src/core/sync/parse-pool.js';
import { syncIssues } from '../../../src/core/sync/sync.js';
import { ARCHIVE_DIR, SEEDS_DIR } from '../../support/archive.js';

const seed = (prefix: string) => join(SEEDS_DIR, readdirSync(SEEDS_DIR).find((f) => f.startsWith(`${prefix}_`)) as string);
const parseSeed = (prefix: string) => parseIssueBytes(readFileSync(seed(prefix)), `${prefix}.md`);
const MOJIBAKE = /Ã.|â€|ðŸ/;

describe('seed drafts and finals', () => {
  it('keeps one issue as #571 goes from draft to nearly final to final', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twir-seeds-'));
    const file = join(dir, '2024-10-30-this-week-in-rust.md');
    const store = openStore({ path: ':memory:' });
    const sync = () =>
      syncIssues({ source: createLocalSource(dir), store, parser: createParser(0), now: () => new Date('2024-10-30T12:00:00Z') });

    copyFileSync(seed('000'), file);
    expect((await sync()).stored).toBe(1);
    const draft = store.issueByFile('2024-10-30-this-week-in-rust.md');
    expect(draft?.cratesOfWeek).toEqual([]);
    expect(JSON.stringify(draft)).not.toMatch(/INSERT_LINK_HERE|REDDIT_LINK_HERE/);

    copyFileSync(seed('001'), file);
    expect((await sync()).stored).toBe(1);
    const nearly = store.issueByFile('2024-10-30-this-week-in-rust.md');
    expect(nearly?.cratesOfWeek.map((c) => c.name)).toEqual(['tower-http-client']);
    expect(nearly?.quoteOfWeek).toBeNull();

    copyFileSync(join(ARCHIVE_DIR, '2024-10-30-this-week-in-rust.md'), file);
    expect((await sync()).stored).toBe(1);
    expect(store.summaries().map((s) => s.number)).toEqual([571]);
    expect(store.issueByFile('2024-10-30-this-week-in-rust.md')?.quoteOfWeek?.attribution).toMatch(/Sean Baxter/);
  });

  it('repairs the mojibake of the #569 draft and flags its mis-dated event', () => {
    const issue = parseSeed('002');
    const json = JSON.stringify(issue);
    expect(json).not.toMatch(MOJIBAKE);
    expect(json).toContain('Announcing the Rust Foundation’s 2024 Fellows');
    expect(issue.events.some((e) => e.location?.includes('Nürnberg'))).toBe(true);
    expect(issue.events.some((e) => e.group === 'Stacja IT Trójmiasto')).toBe(true);
    expect(issue.diagnostics.some((d) => /mojibake/.test(d.message))).toBe(true);
    expect(issue.diagnostics.some((d) => /2022-10-31/.test(d.message))).toBe(true);
  });

  it('takes nothing from the template comments of the early #572 draft', () => {
    const issue = parseSeed('003');
    expect(issue.number).toBe(572);
    expect(JSON.stringify(issue)).not.toMatch(/INSERT_LINK_HERE|example\.com/);
    expect(issue.cratesOfWeek).toEqual([]);
    expect(issue.quoteOfWeek).toBeNull();
  });

  it('reads the final #467 in the 2022 layout', () => {
    const issue = parseSeed('004');
    expect(issue).toMatchObject({ number: 467, date: '2022-11-02' });
    expect(issue.cratesOfWeek).toHaveLength(1);
    expect(issue.events.length).toBeGreaterThan(10);
    expect(issue.quoteOfWeek).not.toBeNull();
  });
});
