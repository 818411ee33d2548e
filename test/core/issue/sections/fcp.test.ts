import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExtractContext, type ExtractContext } from '../../../../src/core/issue/context.js';
import { parseIssue } from '../../../../src/core/issue/parse-issue.js';
import { extractFcp } from '../../../../src/core/issue/sections/fcp.js';

const ctxOf = (markdown: string, date = '2024-10-30'): ExtractContext => createExtractContext(markdown, date);

const archive = new URL('../../../../../shared/twir-archive/', import.meta.url);

describe('extractFcp', () => {
  it('reads 2015 bullets straight under the heading, grouped by where they link', () => {
    const md = `# Final Comment Period

Every week the teams announce a 'final comment period' for RFCs which
are close to reaching a conclusion. [This week's][fcp] RFCs entering FCP are:

[fcp]: https://github.com/rust-lang/rfcs/pulls?q=is%3Aopen+is%3Apr+label%3Afinal-comment-period

* [Allow macros in types](https://github.com/rust-lang/rfcs/pull/873).
* [Rename \`connect\` to \`join\`](https://github.com/rust-lang/rust/pull/26743).

# New RFCs

* [Make \`size\` an associated constant](https://github.com/rust-lang/rfcs/pull/1168).
`;
    expect(extractFcp(ctxOf(md, '2015-06-22'))).toEqual([
      { title: 'Allow macros in types', url: 'https://github.com/rust-lang/rfcs/pull/873', disposition: null, group: 'RFCs' },
      {
        title: 'Rename connect to join',
        url: 'https://github.com/rust-lang/rust/pull/26743',
        disposition: null,
        group: 'Tracking Issues & PRs',
      },
    ]);
  });

  it('reads every disposition tag variant of 2017–2022', () => {
    const md = `## Final Comment Period

* [disposition: merge] [Clamp functions](https://github.com/rust-lang/rfcs/pull/1961).
* [disposition:merge] [Nested groups in imports](https://github.com/rust-lang/rfcs/pull/2128).
* [disposition: postpone] [Function Structs](https://github.com/rust-lang/rfcs/pull/2276).
* [disposition: closed] [Inherent traits](https://github.com/rust-lang/rfcs/pull/2309).
* [disposition: clone] [Tracking issue for non_static_type_id](https://github.com/rust-lang/rust/issues/41875)
* [disposition: not specified] [Add LowerExp to NonZero](https://github.com/rust-lang/rust/pull/131377)
* [disposition: \\<unspecified\\>] [Something](https://github.com/rust-lang/rust/pull/1)
* [disposition: merge][No space before the link](https://github.com/rust-lang/rfcs/pull/2)
`;
    expect(extractFcp(ctxOf(md)).map((i) => i.disposition)).toEqual(['merge', 'merge', 'postpone', 'close', 'close', null, null, 'merge']);
  });

  it('groups 2018–2023 items by the RFCs / Tracking Issues & PRs subheadings and skips placeholders', () => {
    const md = `## Final Comment Period

Every week [the team](https://www.rust-lang.org/team.html) announces the
'final comment period' for RFCs and key PRs which are reaching a
decision. Express your opinions now.

### [RFCs](https://github.com/rust-lang/rfcs/labels/final-comment-period)

*No RFCs are currently in final comment period.*

### [Tracking Issues & PRs](https://github.com/rust-lang/rust/labels/final-comment-period)

* [disposition: merge] [Tracking issue for unsafe operations in const fn](https://github.com/rust-lang/rust/issues/55607).

## New RFCs

* [Add file-open-with RFC](https://github.com/rust-lang/rfcs/pull/2615).
`;
    expect(extractFcp(ctxOf(md, '2018-12-18'))).toEqual([
      {
        title: 'Tracking issue for unsafe operations in const fn',
        url: 'https://github.com/rust-lang/rust/issues/55607',
        disposition: 'merge',
        group: 'Tracking Issues & PRs',
      },
    ]);
  });

  it('takes 2021 subgroups written as siblings of the FCP heading', () => {
    const md = `### Final Comment Period

Every week the team announces the 'final comment period'.

### [RFCs](https://github.com/rust-lang/rfcs/labels/final-comment-period)

* [RFC - cargo templates](https://github.com/rust-lang/rfcs/pull/2922)

### [Tracking Issues & PRs](https://github.com/rust-lang/rust/labels/final-comment-period)

* [disposition: merge] [Stabilize \`bindings_after_at\`](https://github.com/rust-lang/rust/pull/80296)

### New RFCs

* [A new prelude for the 2021 edition](https://github.com/rust-lang/rfcs/pull/3090)
`;
    expect(extractFcp(ctxOf(md, '2021-07-07')).map((i) => [i.group, i.title])).toEqual([
      ['RFCs', 'RFC - cargo templates'],
      ['Tracking Issues & PRs', 'Stabilize bindings_after_at'],
    ]);
  });

  it('uses the deepest 2024+ subheading as the group and leaves out the nested New and Updated RFCs', () => {
    const md = `### Final Comment Period

#### [RFCs](https://github.com/rust-lang/rfcs/labels/final-comment-period)
* *No RFCs entered Final Comment Period this week.*

#### Tracking Issues & PRs
##### [Rust](https://github.com/rust-lang/rust/issues?q=is%3Aopen+label%3Afinal-comment-period)
* [disposition: merge] [Decide whether blocks inside \`asm\` goto should default to safe](https://github.com/rust-lang/rust/issues/132078)

##### [Compiler Team](https://github.com/rust-lang/compiler-team/issues) [(MCPs only)](https://forge.rust-lang.org/compiler/mcp.html)
* [Extend the \`x.py\` policy for \`TODO\` and \`FIXME\` to other in-tree projects](https://github.com/rust-lang/compiler-team/issues/963)

##### [Rust RFCs](https://github.com/rust-lang/rfcs/labels/final-comment-period),
* [build-std: always](https://github.com/rust-lang/rfcs/pull/3874)

#### [New and Updated RFCs](https://github.com/rust-lang/rfcs/pulls)
* [new] [RFC: Labeled match](https://github.com/rust-lang/rfcs/pull/3720)
`;
    expect(extractFcp(ctxOf(md)).map((i) => [i.group, i.title])).toEqual([
      ['Rust', 'Decide whether blocks inside asm goto should default to safe'],
      ['Compiler Team (MCPs only)', 'Extend the x.py policy for TODO and FIXME to other in-tree projects'],
      ['Rust RFCs', 'build-std: always'],
    ]);
  });

  it('ignores the 2025+ "No Items entered … for [Team](…)" roll-up, italic or not, and commented-out items', () => {
    const md = `### Final Comment Period

#### Tracking Issues & PRs
##### [Rust](https://github.com/rust-lang/rust/issues)
* [Denote \`ControlFlow\` as \`#[must_use]\`](https://github.com/rust-lang/rust/pull/137449)

<!-- These items have been hanging around for several weeks.
* [Never break between empty parens](https://github.com/rust-lang/rust/issues/152761)
-->

#### Other Areas
* *No Items entered Final Comment Period this week for
  [Language Team](https://github.com/rust-lang/lang-team/issues) or
  [Unsafe Code Guidelines](https://github.com/rust-lang/unsafe-code-guidelines/issues).*
* No Items entered Final Comment Period this week for
  [Cargo](https://github.com/rust-lang/cargo/issues).

*No Items entered Final Comment Period this week for
[Rust RFCs](https://github.com/rust-lang/rfcs/issues).*
`;
    expect(extractFcp(ctxOf(md, '2025-03-12')).map((i) => i.title)).toEqual(['Denote ControlFlow as #[must_use]']);
  });

  it('reads a 2024-09 item written without its bullet', () => {
    const md = `### Final Comment Period

##### [Cargo](https://github.com/rust-lang/cargo/issues)
[disposition: merge] [Allow build scripts to report error messages through \`cargo::error\`](https://github.com/rust-lang/cargo/pull/14435)
`;
    expect(extractFcp(ctxOf(md, '2024-09-18'))).toEqual([
      {
        title: 'Allow build scripts to report error messages through cargo::error',
        url: 'https://github.com/rust-lang/cargo/pull/14435',
        disposition: 'merge',
        group: 'Cargo',
      },
    ]);
  });

  it('recovers items whose FCP heading went missing (2025-02-26) and says so', () => {
    const md = `### [Approved RFCs](https://github.com/rust-lang/rfcs/commits/master)

* [RFC: project goals for 2025h1](https://github.com/rust-lang/rfcs/pull/3764)

#### Tracking Issues & PRs
##### [Rust](https://github.com/rust-lang/rust/issues)
* [Tracking issue for \`slice_take\`](https://github.com/rust-lang/rust/issues/62280)
`;
    const ctx = ctxOf(md, '2025-02-26');
    expect(extractFcp(ctx)).toEqual([
      { title: 'Tracking issue for slice_take', url: 'https://github.com/rust-lang/rust/issues/62280', disposition: null, group: 'Rust' },
    ]);
    expect(ctx.diagnostics).toHaveLength(1);
  });

  it('yields nothing for template placeholders', () => {
    const md = `### Final Comment Period

#### [RFCs](https://github.com/rust-lang/rfcs/labels/final-comment-period)
<!-- * [disposition: ] []() -->
* *No RFCs entered Final Comment Period this week.*

#### Tracking Issues & PRs
##### [Rust](https://github.com/rust-lang/rust/issues)
* [disposition: merge] [Topic](INSERT_LINK_HERE)
* * *No Tracking Issues or PRs entered Final Comment Period this week.*
`;
    expect(extractFcp(ctxOf(md))).toEqual([]);
  });

  it.skipIf(!existsSync(archive))('finds the three Rust items of issue 571 (2024-10-30)', () => {
    const file = '2024-10-30-this-week-in-rust.md';
    const issue = parseIssue(readFileSync(new URL(file, archive), 'utf8'), { file });
    expect(issue.fcp).toHaveLength(3);
    expect(issue.fcp.every((i) => i.group === 'Rust')).toBe(true);
    expect(issue.fcp.map((i) => i.disposition)).toEqual(['merge', 'merge', null]);
    expect(issue.fcp[2]).toEqual({
      title: 'Add LowerExp and UpperExp implementations to NonZero',
      url: 'https://github.com/rust-lang/rust/pull/131377',
      disposition: null,
      group: 'Rust',
    });
  });
});
