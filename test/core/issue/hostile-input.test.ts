import { describe, expect, it } from 'vitest';
import { parseIssueBytes } from '../../../src/core/issue/parse-file.js';
import { parseIssue } from '../../../src/core/issue/parse-issue.js';
import { openStore } from '../../../src/core/store/store.js';

const header = 'Title: This Week in Rust 999\nNumber: 999\nDate: 2024-10-30\n\n';

/** Deterministic pseudo-random bytes (a test that can fail must fail the same way twice). */
function randomBytes(n: number, seed = 42): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('parser on hostile input', () => {
  it('returns an unstorable issue with a diagnostic for random bytes', () => {
    const issue = parseIssueBytes(randomBytes(64 * 1024), 'garbage.md');
    expect(issue.date).toBe('');
    expect(issue.diagnostics.map((d) => d.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/not valid UTF-8/), expect.stringMatching(/no Date/)]),
    );
    const store = openStore({ path: ':memory:' });
    expect(() => store.replaceIssue(issue, 'x', 1)).toThrow(/no date/);
    expect(store.stats().issues).toBe(0);
  });

  it('refuses to parse a 5 MB single line, saying why, without crashing', () => {
    const line = `* [${'a'.repeat(100)}](https://huge.test/x) ${'word '.repeat(1_000_000)}`;
    const issue = parseIssue(`${header}## Updates from Rust Community\n\n${line}\n`, { file: 'big.md' });
    expect(issue.number).toBe(999);
    expect(issue.links).toEqual([]);
    expect(issue.diagnostics).toEqual([expect.objectContaining({ fatal: 'too-large' })]);
  });

  it('parses a 900 KB single line', () => {
    const line = `* [${'a'.repeat(100)}](https://huge.test/x) ${'word '.repeat(180_000)}`;
    expect(parseIssue(`${header}## Updates\n\n${line}\n`, { file: 'big.md' }).links).toHaveLength(1);
  });

  it('survives 10,000-deep nesting of block quotes and lists', () => {
    const quotes = `${'>'.repeat(10_000)} deep\n`;
    const lists = `${Array.from({ length: 10_000 }, (_, i) => `${'  '.repeat(i)}* [x${i}](https://n.test/${i})`).join('\n')}\n`;
    const brackets = `${'['.repeat(10_000)}x${']'.repeat(10_000)}\n`;
    for (const body of [quotes, lists, brackets]) {
      const issue = parseIssue(`${header}## Updates from Rust Community\n\n${body}`, { file: 'deep.md' });
      expect(issue.number).toBe(999);
    }
  });

  it('treats an unclosed HTML comment as hiding the rest, yielding no items from it', () => {
    const issue = parseIssue(
      `${header}## Updates from Rust Community\n\n* [Kept](https://k.test/1)\n\n<!-- never closed\n* [Hidden](https://h.test/2)\n`,
      { file: 'c.md' },
    );
    expect(issue.links.map((l) => l.url)).toEqual(['https://k.test/1']);
  });

  it('reads a Windows-1252 file (not UTF-8) and says so', () => {
    const text = `${header}## Upcoming Events\n\n### Europe\n* 2024-10-31 | Z\xfcrich, CH | [Rust Z\xfcrich](https://z.test/)\n    * [**Meetup**](https://z.test/1)\n`;
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    const issue = parseIssueBytes(bytes, 'cp1252.md');
    expect(issue.diagnostics[0]?.message).toMatch(/Windows-1252/);
    expect(issue.links.some((l) => l.text.includes('Zürich'))).toBe(true);
  });

  it('never yields items from template placeholders', () => {
    const issue = parseIssue(
      `${header}## Updates from Rust Community\n\n* [Title](INSERT_LINK_HERE)\n* [Discuss](REDDIT_LINK_HERE)\n* *No calls for testing were issued this week.*\n<!-- * [Commented](https://c.test/) -->\n`,
      { file: 'p.md' },
    );
    expect(issue.links).toEqual([]);
  });
});
