/**
 * "Final Comment Period": RFCs and PRs whose teams announced a final decision window.
 *
 * Layouts by era:
 * - 2015-06 to 2018-05: bullets straight under `# / ## Final Comment Period`, nearly all
 *   rust-lang/rfcs PRs; `[disposition: merge]` tags from 2017-02.
 * - 2018-06+: `### [RFCs](…)` and `### [Tracking Issues & PRs](…)` subheadings (2021-06 to
 *   2021-11 as siblings of the FCP heading, see `fcpSections`).
 * - 2024-02+: `#### Tracking Issues & PRs` holding `##### [Rust](…)`, `##### [Cargo](…)`,
 *   `##### [Rust RFCs](…)`, `##### [Compiler Team](…) [(MCPs only)](…)`, … and a
 *   `*No Items entered Final Comment Period this week for [Cargo](…), …*` roll-up.
 */
import type { ExtractContext } from '../context.js';
import { matchesHeading, type Section } from '../mdast.js';
import { squash } from '../text.js';
import type { FcpDisposition, FcpItem } from '../types.js';
import { sectionBullets, subsections } from './rfcs.js';

/**
 * Sections that 2021+ issues nest under "Final Comment Period" but are not part of it,
 * including 2023-05's `#### [Approved Major Change Proposals (MCP)](…)`.
 */
const NOT_FCP = [/^approved\b/, 'New RFCs', 'New and Updated RFCs', /^calls? for testing\b/] as const;

/**
 * Every linked bullet under "Final Comment Period", grouped by the deepest subheading it
 * sits under (`##### [Rust](…)` inside `#### Tracking Issues & PRs` gives "Rust"). Bullets
 * directly under the FCP heading (2015–2018, before subheadings existed) get "RFCs" when
 * they link to rust-lang/rfcs and "Tracking Issues & PRs" otherwise, the names the later
 * subheadings gave the same two kinds of item.
 */
export function extractFcp(ctx: ExtractContext): FcpItem[] {
  const out: FcpItem[] = [];
  for (const { section, group } of fcpSections(ctx.sections, ctx)) collect(section, group, ctx, out);
  return out;
}

const FCP = ['Final Comment Period'] as const;
/** Subheadings seen under "Final Comment Period" (2018+). */
const GROUPS = [
  'RFCs',
  'Rust RFCs',
  'Tracking Issues & PRs',
  'Rust',
  'Cargo',
  'Language Team',
  'Language Reference',
  'Unsafe Code Guidelines',
  /^compiler team\b/,
  'Leadership Council',
  'Other Areas',
] as const;

/**
 * "Final Comment Period" sections with the group their own bullets get (null: by URL).
 * - 2021-06 to 2021-11 wrote the subgroups as siblings, `### Final Comment Period` then
 *   `### [RFCs](…)` and `### [Tracking Issues & PRs](…)`: headings from GROUPS right after
 *   the FCP heading, at its own depth, belong to it.
 * - 2025-02-26 lost its `### Final Comment Period` heading, leaving `#### Tracking Issues & PRs`
 *   under `### [Approved RFCs]`: a `Tracking Issues & PRs` anywhere else is read as FCP too,
 *   with a diagnostic.
 */
function fcpSections(from: Section, ctx: ExtractContext): { section: Section; group: string | null }[] {
  const out: { section: Section; group: string | null }[] = [];
  let afterFcp = false;
  for (const child of from.children) {
    if (matchesHeading(child.heading, FCP)) {
      out.push({ section: child, group: null });
      afterFcp = true;
      continue;
    }
    if (afterFcp && matchesHeading(child.heading, GROUPS)) {
      out.push({ section: child, group: groupName(child.heading) });
      continue;
    }
    afterFcp = false;
    if (matchesHeading(child.heading, ['Tracking Issues & PRs'])) {
      ctx.diagnostics.push({ level: 'info', message: 'FCP items without a "Final Comment Period" heading', where: child.path.join(' > ') });
      out.push({ section: child, group: groupName(child.heading) });
      continue;
    }
    out.push(...fcpSections(child, ctx));
  }
  return out;
}

function collect(section: Section, group: string | null, ctx: ExtractContext, out: FcpItem[]): void {
  for (const bullet of sectionBullets(section.nodes, ctx.defs)) {
    out.push({ title: bullet.title, url: bullet.url, disposition: disposition(bullet.tags), group: group ?? defaultGroup(bullet.url) });
  }
  for (const child of subsections(section)) {
    if (!matchesHeading(child.heading, NOT_FCP)) collect(child, groupName(child.heading) || group, ctx, out);
  }
}

/**
 * Reads `[disposition: merge]`. Variants seen: `[disposition:merge]`, `[disposition: closed]`
 * (2018-03), the typo `[disposition: clone]` (2020-05, a close), `[disposition: merge?]`
 * (2022-07); `not specified`, `unspecified`, `\<unspecified\>` and an empty value mean null.
 */
function disposition(tags: readonly string[]): FcpDisposition | null {
  for (const tag of tags) {
    const m = /^disposition\s*:\s*\W*([a-z]*)/.exec(tag);
    if (!m) continue;
    const word = m[1] as string;
    if (word === 'merge') return 'merge';
    if (word === 'close' || word === 'closed' || word === 'clone') return 'close';
    if (word === 'postpone' || word === 'postponed') return 'postpone';
    return null;
  }
  return null;
}

function defaultGroup(url: string): string {
  return /^https?:\/\/github\.com\/rust-lang\/rfcs\b/i.test(url) ? 'RFCs' : 'Tracking Issues & PRs';
}

/** Heading text as the group name; 2025 once wrote `##### [Rust RFCs](…),` with a stray comma. */
function groupName(heading: string): string {
  return squash(heading.replace(/[\s,;:.]+$/, ''));
}
