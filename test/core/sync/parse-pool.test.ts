/**
 * The worker pool, from the compiled build (worker threads need JavaScript;
 * `npm install` builds dist/ through the prepare script).
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const built = new URL('../../../dist/src/core/sync/parse-pool.js', import.meta.url);
if (!existsSync(built)) throw new Error('dist/ is missing: `npm install` (prepare) or `npm run build` builds it.');
const { createParser } = (await import(built.href)) as typeof import('../../../src/core/sync/parse-pool.js');

const issue = (n: number) =>
  new TextEncoder().encode(`Title: This Week in Rust ${n}\nNumber: ${n}\nDate: 2024-10-30\n\n## Updates\n\n* [x](https://x.test/${n})\n`);
// Long runs of unmatched emphasis delimiters make micromark quadratic: seconds for tens of KB.
const hostile = new TextEncoder().encode(`Title: This Week in Rust 9\nNumber: 9\nDate: 2024-10-30\n\n${'*a_'.repeat(40_000)}\n`);

describe('parse worker pool', () => {
  it('parses on worker threads', async () => {
    const parser = createParser(2);
    try {
      const issues = await Promise.all([1, 2, 3, 4, 5].map((n) => parser.parse(`${n}.md`, issue(n))));
      expect(issues.map((i) => i.number)).toEqual([1, 2, 3, 4, 5]);
      expect(parser.threads).toBe(2);
    } finally {
      await parser.close();
    }
  });

  it('abandons a file that parses too long, and keeps parsing the others', async () => {
    const parser = createParser(1, { timeoutMs: 500 });
    try {
      const slow = parser.parse('slow.md', hostile);
      const after = parser.parse('after.md', issue(7));
      await expect(slow).rejects.toThrow(/longer than 0.5 s/);
      expect((await after).number).toBe(7);
    } finally {
      await parser.close();
    }
  });
});
