import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExtractContext, type ExtractContext } from '../../../../src/core/issue/context.js';
import { parseIssue } from '../../../../src/core/issue/parse-issue.js';
import { extractLinks } from '../../../../src/core/issue/sections/links.js';

const ARCHIVE = new URL('../../../../../shared/twir-archive/', import.meta.url);

const ctxOf = (markdown: string, date = '2025-12-31'): ExtractContext => createExtractContext(markdown, date);

const links = (markdown: string) => extractLinks(ctxOf(markdown));

describe('extractLinks and the footer', () => {
  it('leaves out the 2025-11+ bulleted editor list after "This Week in Rust is edited by:"', () => {
    const md = `# Quote of the Week

> what even is time?!?

– [Ralf Jung on his blog](https://www.ralfj.de/blog/2025/12/22/miri.html)

* [A bullet before the footer](https://blog.example.net/kept)

This Week in Rust is edited by:

* [nellshamrell](https://github.com/nellshamrell)
* [llogiq](https://github.com/llogiq)
`;
    expect(links(md).map((l) => l.url)).toEqual(['https://blog.example.net/kept']);
  });

  it('reads no editor profiles from a real issue with the bulleted footer (2025-12-31)', () => {
    const file = '2025-12-31-this-week-in-rust.md';
    const issue = parseIssue(readFileSync(new URL(file, ARCHIVE), 'utf8'), { file });
    expect(issue.links.filter((l) => /^https:\/\/github\.com\/[^/]+$/.test(l.url))).toEqual([]);
    expect(issue.links.some((l) => l.section[0] === 'Quote of the Week')).toBe(false);
  });
});
