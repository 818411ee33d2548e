import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExtractContext, type ExtractContext } from '../../../../src/core/issue/context.js';
import { parseIssue } from '../../../../src/core/issue/parse-issue.js';
import { extractApprovedRfcs, extractNewRfcs } from '../../../../src/core/issue/sections/rfcs.js';

const ctxOf = (markdown: string, date = '2024-10-30'): ExtractContext => createExtractContext(markdown, date);

const archive = new URL('../../../../../shared/twir-archive/', import.meta.url);

describe('extractNewRfcs', () => {
  it("treats 2014's top-level `# RFCs` as new RFCs, wrapped link text included", () => {
    const md = `# RFCs

Some new RFCs:

- [Extend nullable pointer optimization to library
  types](https://github.com/rust-lang/rfcs/pull/36)
- Another struct inheritance RFC, [extending
  enums](https://github.com/rust-lang/rfcs/pull/11)

# Project Updates

- [Something else](https://example.org/x)
`;
    expect(extractNewRfcs(ctxOf(md, '2014-04-12'))).toEqual([
      { title: 'Extend nullable pointer optimization to library types', url: 'https://github.com/rust-lang/rfcs/pull/36', status: null },
      { title: 'extending enums', url: 'https://github.com/rust-lang/rfcs/pull/11', status: null },
    ]);
  });

  it("reads 2014's `# New RFC's` with descriptions and skips their nested bullets", () => {
    const md = `# New RFC's
* [Macro reform](https://github.com/rust-lang/rfcs/pull/453): Prepares macros for 1.0 stabilization.
* [cmp and ops reform](https://github.com/rust-lang/rfcs/pull/439): Refactors \`Cmp\`. Highlights include:
    * Make basic unary and binary operators work by value and use associated types.
`;
    expect(extractNewRfcs(ctxOf(md, '2014-11-10')).map((r) => r.title)).toEqual(['Macro reform', 'cmp and ops reform']);
  });

  it('resolves 2015 reference-style links', () => {
    const md = `# New RFCs

* [DST custom coercions][dst].
* [Add unsized return values][unsized]. Some explanation.

[dst]: https://github.com/rust-lang/rfcs/pull/982
[unsized]: https://github.com/rust-lang/rfcs/pull/977
`;
    expect(extractNewRfcs(ctxOf(md, '2015-03-16')).map((r) => r.url)).toEqual([
      'https://github.com/rust-lang/rfcs/pull/982',
      'https://github.com/rust-lang/rfcs/pull/977',
    ]);
  });

  it('reads 2022+ [new] / [updated] / [update] tags as status', () => {
    const md = `### [New and Updated RFCs](https://github.com/rust-lang/rfcs/pulls)
* [new] [[RFC] Allow packed types to transitively contain aligned types](https://github.com/rust-lang/rfcs/pull/3718)
* [updated] [Update RFC 2906 to match the implementation](https://github.com/rust-lang/rfcs/pull/3321)
* [update] [Mark RFC 1201 superseded by RFC 2972](https://github.com/rust-lang/rfcs/pull/3223)
* [RFC: Associated traits](https://github.com/rust-lang/rfcs/pull/3938)
`;
    expect(extractNewRfcs(ctxOf(md)).map((r) => [r.title, r.status])).toEqual([
      ['[RFC] Allow packed types to transitively contain aligned types', 'new'],
      ['Update RFC 2906 to match the implementation', 'updated'],
      ['Mark RFC 1201 superseded by RFC 2972', 'updated'],
      ['RFC: Associated traits', null],
    ]);
  });

  it('reads a 2020 RFC written as a bare link paragraph', () => {
    const md = `## New RFCs

[RFC: add the Freeze trait to libcore/libstd](https://github.com/rust-lang/rfcs/pull/2944)
`;
    expect(extractNewRfcs(ctxOf(md, '2020-06-16'))).toHaveLength(1);
  });

  it('does not take the `### [RFCs]` subheadings of FCP or Calls for Testing for new RFCs', () => {
    const md = `## Final Comment Period

### [RFCs](https://github.com/rust-lang/rfcs/labels/final-comment-period)

* [disposition: merge] [Create a types team](https://github.com/rust-lang/rfcs/pull/3254)
`;
    expect(extractNewRfcs(ctxOf(md, '2022-05-18'))).toEqual([]);
  });

  it('yields nothing for placeholders', () => {
    const md = `### [New and Updated RFCs](https://github.com/rust-lang/rfcs/pulls)
<!-- * [new] [Title](URL) -->
* *No New or Updated RFCs were created this week.*
* [new] [Item title](INSERT_LINK_HERE)
`;
    expect(extractNewRfcs(ctxOf(md))).toEqual([]);
  });
});

describe('extractApprovedRfcs', () => {
  it("reads 2014's `# Approved RFC's`", () => {
    const md = `# Approved RFC's
* [Num reform](https://github.com/rust-lang/rfcs/blob/master/text/0369-num-reform.md): Strips down \`std::num\`.
`;
    expect(extractApprovedRfcs(ctxOf(md, '2014-11-10'))).toEqual([
      { title: 'Num reform', url: 'https://github.com/rust-lang/rfcs/blob/master/text/0369-num-reform.md', status: null },
    ]);
  });

  it('reads the 2016–2023 layout and skips its intro paragraph', () => {
    const md = `## Approved RFCs

Changes to Rust follow the Rust [RFC (request for comments)
process](https://github.com/rust-lang/rfcs#rust-rfcs). These
are the RFCs that were approved for implementation this week:

* [RFC 2314: Rust 2018 roadmap](https://github.com/rust-lang/rfcs/pull/2314).
* [Clamp functions](https://github.com/rust-lang/rfcs/pull/1961).

## Final Comment Period
`;
    expect(extractApprovedRfcs(ctxOf(md, '2018-03-06')).map((r) => r.title)).toEqual(['RFC 2314: Rust 2018 roadmap', 'Clamp functions']);
  });

  it('leaves out FCP and New RFC subtrees nested under it when the FCP heading is missing (2025-02-26)', () => {
    const md = `### [Approved RFCs](https://github.com/rust-lang/rfcs/commits/master)

* [RFC: project goals for 2025h1](https://github.com/rust-lang/rfcs/pull/3764)

#### Tracking Issues & PRs
##### [Rust](https://github.com/rust-lang/rust/issues)
* [Tracking issue for \`slice_take\`](https://github.com/rust-lang/rust/issues/62280)

#### [New and Updated RFCs](https://github.com/rust-lang/rfcs/pulls)
* [Guarantee slice representation](https://github.com/rust-lang/rfcs/pull/3775)
`;
    const ctx = ctxOf(md, '2025-02-26');
    expect(extractApprovedRfcs(ctx).map((r) => r.title)).toEqual(['RFC: project goals for 2025h1']);
    expect(extractNewRfcs(ctx).map((r) => r.title)).toEqual(['Guarantee slice representation']);
  });

  it('yields nothing for "No RFCs were approved" in either form', () => {
    const md = `## Approved RFCs

*No RFCs were approved this week.*

* *No RFCs were approved this week.*
`;
    expect(extractApprovedRfcs(ctxOf(md))).toEqual([]);
  });
});

describe('RFCs in issue 571 (2024-10-30)', () => {
  it.skipIf(!existsSync(archive))('has no approved RFCs and four new ones', () => {
    const file = '2024-10-30-this-week-in-rust.md';
    const issue = parseIssue(readFileSync(new URL(file, archive), 'utf8'), { file });
    expect(issue.approvedRfcs).toEqual([]);
    expect(issue.newRfcs.map((r) => r.status)).toEqual(['new', 'new', 'new', 'new']);
    expect(issue.newRfcs[0]).toEqual({ title: 'RFC: Labeled match', url: 'https://github.com/rust-lang/rfcs/pull/3720', status: 'new' });
  });
});
