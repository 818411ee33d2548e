/**
 * Weekly sections in odd layouts (issue 15), each rule on a small fixture of
 * its own: a date-led `#` heading inside the perf triage, counts after a
 * "comparisons made" line, 2020's counts without "mixed", a section heading
 * at the wrong rank, a CFP event's date range, and FCP team names with "team".
 */
import { describe, expect, it } from 'vitest';
import { filterFcp } from '../../../../src/core/commands/fcp-filter.js';
import { createExtractContext } from '../../../../src/core/issue/context.js';
import { extractCallsForTesting, extractCfpEvents } from '../../../../src/core/issue/sections/calls.js';
import { extractPerfTriage } from '../../../../src/core/issue/sections/project-updates.js';
import type { FcpItem } from '../../../../src/core/issue/types.js';

const ctxOf = (markdown: string, date = '2024-07-03') => createExtractContext(markdown, date);

describe('perf triage in odd layouts', () => {
  it('keeps a `# 2024-07-02 Triage Log` heading inside the section', () => {
    const md = `## Updates from the Rust Project

### Rust Compiler Performance Triage

# 2024-07-02 Triage Log

We saw a large set of primary benchmarks regress.

Triage done by **@pnkfelix**.

4 Regressions, 3 Improvements, 11 Mixed; 7 of them in rollups
59 artifact comparisons made in total

[Full report here](https://github.com/rust-lang/rustc-perf/blob/x/triage/2024-07-02.md)

### Approved RFCs

* [RFC: Something](https://github.com/rust-lang/rfcs/pull/1)
`;
    expect(extractPerfTriage(ctxOf(md))).toEqual({
      author: '@pnkfelix',
      summary: 'We saw a large set of primary benchmarks regress.',
      reportUrl: 'https://github.com/rust-lang/rustc-perf/blob/x/triage/2024-07-02.md',
      counts: { regressions: 4, improvements: 3, mixed: 11 },
    });
  });

  it('reads counts written after a "comparisons made in total" line, and `???` rollups', () => {
    const after = `### Rust Compiler Performance Triage

A fairly busy week.

59 comparisons made in total
3 Regressions, 2 Improvements, 2 Mixed; 0 of them in rollups
`;
    expect(extractPerfTriage(ctxOf(after, '2021-08-18'))?.counts).toEqual({ regressions: 3, improvements: 2, mixed: 2 });
    const unknown = `### Rust Compiler Performance Triage

A nice week.

2 Regressions, 4 Improvements, 8 Mixed; ??? of them in rollups

44 comparisons made in total
`;
    expect(extractPerfTriage(ctxOf(unknown, '2021-09-22'))).toMatchObject({
      summary: 'A nice week.',
      counts: { regressions: 2, improvements: 4, mixed: 8 },
    });
  });

  it('has no mixed count for 2020 triages, which had no such category', () => {
    const md = `## Rust Compiler Performance Triage

* [2020-09-08](https://github.com/rust-lang/rustc-perf/blob/master/triage/2020.md#2020-09-08): 3 regressions, 0 improvements.
`;
    expect(extractPerfTriage(ctxOf(md, '2020-09-09'))?.counts).toEqual({ regressions: 3, improvements: 0, mixed: null });
  });
});

describe('a section heading at the wrong rank', () => {
  it('does not swallow the sections after it', () => {
    const md = `## Crate of the Week

Nothing.

# Calls for Testing

### [RFCs](https://github.com/rust-lang/rfcs/issues?q=label%3Acall-for-testing)
* *No calls for testing were issued this week.*

## Updates from the Rust Project

* [rustc: merge a thing](https://github.com/rust-lang/rust/pull/1)
`;
    const ctx = ctxOf(md, '2024-09-25');
    expect(extractCallsForTesting(ctx)).toEqual([]);
    expect(ctx.sections.children.map((s) => s.heading)).toEqual([
      'Crate of the Week',
      'Calls for Testing',
      'Updates from the Rust Project',
    ]);
  });
});

describe('calls for papers', () => {
  it('keeps both ends of an event’s date range', () => {
    const md = `### CFP - Events

* [**EuroRust 2026**](https://sessionize.com/eurorust-2026/) | Closes 2026-05-01 | Paris, FR | 2026-10-14 - 2026-10-17
* [**One Day**](https://sessionize.com/one-day/) | Closes 2026-05-01 | Lyon, FR | 2026-06-01
`;
    const [range, single] = extractCfpEvents(ctxOf(md, '2026-02-25'));
    expect(range).toMatchObject({ eventDate: '2026-10-14', eventEndDate: '2026-10-17' });
    expect(single).toMatchObject({ eventDate: '2026-06-01', eventEndDate: null });
  });
});

describe('fcp team names', () => {
  const items: FcpItem[] = [
    { title: 'Stabilize a thing', url: 'https://example.com/1', disposition: 'merge', group: 'Language Team' },
    { title: 'Cargo thing', url: 'https://example.com/2', disposition: 'merge', group: 'Cargo' },
  ];
  it('reads "lang team" and "lang-team" as the Language Team, like "lang" and "t-lang"', () => {
    for (const filter of ['lang team', 'lang-team', 'lang', 't-lang', 'language team'])
      expect(filterFcp(items, filter).map((i) => i.group)).toEqual(['Language Team']);
  });
});
