import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExtractContext, type ExtractContext } from '../../../../src/core/issue/context.js';
import { parseIssue } from '../../../../src/core/issue/parse-issue.js';
import { extractMergedPrCount, extractPerfTriage } from '../../../../src/core/issue/sections/project-updates.js';

const ctxOf = (markdown: string, date = '2024-10-30'): ExtractContext => createExtractContext(markdown, date);

const archive = new URL('../../../../../shared/twir-archive/', import.meta.url);
const seeds = new URL('../../../../../shared/seeds/', import.meta.url);

describe('extractMergedPrCount', () => {
  it('reads the 2013–2015 sentences', () => {
    expect(extractMergedPrCount(ctxOf("# What's cooking on master?\n\nThere were 30 pull requests merged this week.\n"))).toBe(30);
    expect(extractMergedPrCount(ctxOf('Issue churn continues to be negative, -15 this week. A total of 63 PRs were\nmerged.\n'))).toBe(63);
    expect(extractMergedPrCount(ctxOf('Only 51 PRs were merged this week, though the ones that were were fairly large.\n'))).toBe(51);
    expect(extractMergedPrCount(ctxOf('65 pull requests were merged this week, and bors has had some idle time.\n'))).toBe(65);
  });

  it('reads the 2015-09+ reference-link sentence, with its occasional (!)', () => {
    const md = `# Updates from Rust Core

143 pull requests were [merged in the last week][merged], and 6 [RFCs][rfcs].

[merged]: https://github.com/issues?q=is%3Apr+org%3Arust-lang+is%3Amerged
[rfcs]: https://github.com/rust-lang/rfcs
`;
    expect(extractMergedPrCount(ctxOf(md, '2015-11-02'))).toBe(143);
    expect(extractMergedPrCount(ctxOf('181(!) pull requests were [merged in the last week][merged].\n\n[merged]: https://x.org/\n'))).toBe(
      181,
    );
    expect(extractMergedPrCount(ctxOf('200 (!) pull requests were [merged in the last week][merged]\n\n[merged]: https://x.org/\n'))).toBe(
      200,
    );
  });

  it('returns a multi-week count as written', () => {
    expect(extractMergedPrCount(ctxOf('273 pull requests were merged in the last two weeks\n'))).toBe(273);
  });

  it('is null when the issue states no count, as in 2013 issues that count commits instead', () => {
    expect(
      extractMergedPrCount(
        ctxOf('Issue churn this week was -1. 61 people pushed 1,080 commits.\n\n[send us a pull request](https://github.com/x)\n'),
      ),
    ).toBeNull();
  });

  it.skipIf(!existsSync(seeds))('is null in the 2024-10-30 draft that has no count yet', () => {
    const file = '000_3c8636344d0deccc.txt';
    expect(parseIssue(readFileSync(new URL(file, seeds), 'utf8'), { file }).mergedPrCount).toBeNull();
  });
});

describe('extractPerfTriage', () => {
  it('reads the 2020 bullet form: the report link and the text after it', () => {
    const md = `## Rust Compiler Performance Triage

* [2020-07-07](https://github.com/rust-lang/rustc-perf/blob/master/triage/2020.md#2020-07-07). One unimportant regression on a rollup; six improvements, two on rollups.
`;
    expect(extractPerfTriage(ctxOf(md, '2020-07-07'))).toEqual({
      author: null,
      summary: 'One unimportant regression on a rollup; six improvements, two on rollups.',
      reportUrl: 'https://github.com/rust-lang/rustc-perf/blob/master/triage/2020.md#2020-07-07',
      // Counts written as prose are not a counts line.
      counts: null,
    });
  });

  it('prefers the 2020 prose paragraph over the bullet count line', () => {
    const md = `## Rust Compiler Performance Triage

* [2020-09-08](https://github.com/rust-lang/rustc-perf/blob/master/triage/2020-09-08.md):
  3 regressions, 0 improvements.

A few small compile-time regressions this week.
`;
    expect(extractPerfTriage(ctxOf(md, '2020-09-09'))?.summary).toBe('A few small compile-time regressions this week.');
  });

  it('falls back to the count line when there is no prose', () => {
    const md = `## Rust Compiler Performance Triage

* [2020-07-28](https://github.com/rust-lang/rustc-perf/blob/master/triage/2020-07-28.md).
  2 regressions, 1 improvement, none in rollups.
`;
    expect(extractPerfTriage(ctxOf(md, '2020-07-28'))?.summary).toBe('2 regressions, 1 improvement, none in rollups');
  });

  it('splits 2020-12 count lines from the prose that runs on after them', () => {
    const md = `## Rust Compiler Performance Triage

* [2020-12-24](https://github.com/rust-lang/rustc-perf/blob/master/triage/2020-12-24.md):
3 Regressions, 5 Improvements
Major event this week is landing PGO for rustc.

Triage done by @simulacrum.

See the [full report](https://github.com/rust-lang/rustc-perf/blob/master/triage/2020-12-24.md) for more.
`;
    expect(extractPerfTriage(ctxOf(md, '2020-12-30'))).toEqual({
      author: '@simulacrum',
      summary: 'Major event this week is landing PGO for rustc.',
      reportUrl: 'https://github.com/rust-lang/rustc-perf/blob/master/triage/2020-12-24.md',
      counts: { regressions: 3, improvements: 5, mixed: null },
    });
  });

  it('reads the 2021+ layout: prose, author line, table, counts, full report link', () => {
    const md = `### Rust Compiler Performance Triage

Overall a positive week, with relatively few regressions overall.

Triage done by **@simulacrum**.
Revision range: [c8e6a9e..a64ef7d](https://perf.rust-lang.org/?start=c8e6a9e&end=a64ef7d&absolute=false&stat=instructions%3Au)

**Summary**:

| (instructions:u)                   | mean  | range          | count |
|:----------------------------------:|:-----:|:--------------:|:-----:|
| Regressions ❌ <br /> (primary)    | 0.7%  | [0.2%, 2.7%]   | 15    |

2 Regressions, 4 Improvements, 6 Mixed; 2 of them in rollups
44 artifact comparisons made in total

[Full report here](https://github.com/rust-lang/rustc-perf/blob/master/triage/2023-01-31.md)
`;
    expect(extractPerfTriage(ctxOf(md, '2023-02-01'))).toEqual({
      author: '@simulacrum',
      summary: 'Overall a positive week, with relatively few regressions overall.',
      reportUrl: 'https://github.com/rust-lang/rustc-perf/blob/master/triage/2023-01-31.md',
      counts: { regressions: 2, improvements: 4, mixed: 6 },
    });
  });

  it('keeps several authors and finds 2024-04 "See full report [here]"', () => {
    const md = `### Rust Compiler Performance Triage

A quiet week; all the outright regressions were already triaged.

Triage done by **@pnkfelix** and **@rylev**.
Revision range: [3d5528c2..86b603cd](https://perf.rust-lang.org/?start=3d5528c2&end=86b603cd)

See full report [here](https://github.com/rust-lang/rustc-perf/pull/1890/files)
`;
    const triage = extractPerfTriage(ctxOf(md, '2024-04-10'));
    expect(triage?.author).toBe('@pnkfelix and @rylev');
    expect(triage?.reportUrl).toBe('https://github.com/rust-lang/rustc-perf/pull/1890/files');
  });

  it('keeps a summary that reads "No major changes this week."', () => {
    const md = `### Rust Compiler Performance Triage

No major changes this week.

Triage done by **@simulacrum**.
`;
    expect(extractPerfTriage(ctxOf(md))?.summary).toBe('No major changes this week.');
  });

  it('is null for an empty or template section and for "No triage report this week"', () => {
    expect(
      extractPerfTriage(
        ctxOf('### Rust Compiler Performance Triage\n\n<!-- Perf results go here -->\n\n### [Approved RFCs](https://x.org/)\n'),
      ),
    ).toBeNull();
    expect(extractPerfTriage(ctxOf('## Rust Compiler Performance Triage\n\n*No triage report this week*\n'))).toBeNull();
    expect(extractPerfTriage(ctxOf('## Updates from the Rust Project\n\nNothing here.\n'))).toBeNull();
  });
});

describe('project updates in issue 571 (2024-10-30)', () => {
  it.skipIf(!existsSync(archive))('has 447 merged PRs and the @kobzol triage', () => {
    const file = '2024-10-30-this-week-in-rust.md';
    const issue = parseIssue(readFileSync(new URL(file, archive), 'utf8'), { file });
    expect(issue.mergedPrCount).toBe(447);
    expect(issue.perfTriage?.author).toBe('@kobzol');
    expect(issue.perfTriage?.summary).toMatch(/^This week saw a lot of activity .* almost all benchmarks\.$/);
    expect(issue.perfTriage?.reportUrl).toBe(
      'https://github.com/rust-lang/rustc-perf/blob/1d21b2ec1d00198e99c8e75edf0a303955b8054c/triage/2024-10-29.md',
    );
  });
});
