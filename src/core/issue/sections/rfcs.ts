/**
 * "Approved RFCs" and "New RFCs" / "New and Updated RFCs": one linked bullet per RFC.
 *
 * Also home of `linkedBullet`, the `[tag] [Title](url) trailing text` splitter that the
 * FCP and call-for-participation extractors share, since all three sections write their
 * bullets the same way.
 */
import type { Nodes, RootContent } from 'mdast';
import type { ExtractContext } from '../context.js';
import { type Definitions, findSections, listItems, matchesHeading, ownContent, plainText, type Section } from '../mdast.js';
import { isPlaceholderUrl, squash } from '../text.js';
import type { RfcItem } from '../types.js';

/** A list item split at its first link. */
export interface LinkedBullet {
  /** Bracketed tags written before the link, lower case: `disposition: merge`, `new`, `easy`. */
  tags: string[];
  /** Plain text before the link (tags included). */
  before: string;
  title: string;
  url: string;
  /** Plain text after the link. */
  after: string;
}

/**
 * Splits a bullet's own content (`ownContent(item)`, or a lone paragraph) at its first link,
 * inline or resolved reference, so callers can read the tags in front of it and the details
 * behind it. Null when there is no link. Nested lists are left to the caller: they hold
 * sub-links ("Testing steps") or descriptions.
 */
export function linkedBullet(content: readonly Nodes[], defs: Definitions): LinkedBullet | null {
  const before: string[] = [];
  const after: string[] = [];
  let link: { title: string; url: string } | null = null;
  const visit = (n: Nodes): void => {
    if (link === null && n.type === 'link') {
      link = { title: plainText(n), url: n.url };
      return;
    }
    if (link === null && n.type === 'linkReference' && defs.has(n.identifier)) {
      link = { title: plainText(n), url: defs.get(n.identifier) as string };
      return;
    }
    if ('children' in n) {
      for (const c of n.children as Nodes[]) visit(c);
      if (n.type === 'paragraph') (link === null ? before : after).push(' ');
      return;
    }
    (link === null ? before : after).push(plainText(n));
  };
  for (const n of content) visit(n);
  if (link === null) return null;
  const found = link as { title: string; url: string };
  const beforeText = squash(before.join(''));
  const tags = [...beforeText.matchAll(/\[([^[\]]+)\]/g)].map((m) => squash(m[1] as string).toLowerCase());
  return { tags, before: beforeText, title: found.title, url: found.url.trim(), after: squash(after.join('')) };
}

/**
 * The items of a section: its top-level linked bullets, in document order, and optionally
 * paragraphs written like a bullet without the `* ` (2020-06 `[RFC: add the Freeze trait …](…)`,
 * 2024-09 `[disposition: merge] [Allow build scripts …](…)`, 2025-05 `[EuroRust 2025](…)| CFP
 * closes …`): a paragraph that opens with the link, after `[tags]` only, and goes on with
 * nothing or punctuation, so intro prose that happens to start with a link is not taken.
 */
export function sectionBullets(nodes: readonly RootContent[], defs: Definitions, withParagraphs = true): LinkedBullet[] {
  const out: LinkedBullet[] = [];
  for (const node of nodes) {
    if (node.type === 'paragraph') {
      const bullet = withParagraphs ? usable(linkedBullet([node], defs)) : null;
      if (bullet && /^(\[[^\]]*\]\s*)*$/.test(bullet.before) && /^([|.:;,(–—-]|$)/.test(bullet.after)) out.push(bullet);
      continue;
    }
    for (const { item, depth } of listItems([node])) {
      const bullet = depth === 0 ? usable(linkedBullet(ownContent(item), defs)) : null;
      if (bullet) out.push(bullet);
    }
  }
  return out;
}

/**
 * Keeps a bullet only when it is a real item. Template lines never are:
 * `*No RFCs were approved this week.*`, and the 2025+ roll-up `*No Items entered Final Comment
 * Period this week for [Cargo](…), [Language Team](…) …*` whose links name teams, not items
 * (also written without the italics, 2025-03). Both start with "No" before their first link,
 * while a real item starts with its link (`[No panic in …](…)` stays). Placeholder URLs and
 * `INSERT_…` titles are dropped too; a title merely mentioning TODO is not.
 */
export function usable(bullet: LinkedBullet | null): LinkedBullet | null {
  if (!bullet || bullet.title === '' || isPlaceholderUrl(bullet.url) || /INSERT_[A-Z_]+|_HERE\b/.test(bullet.title)) return null;
  return /^[*_\s]*(there (are|were) )?no\s/i.test(bullet.before) ? null : bullet;
}

/**
 * Subsections that really belong to the section. 2024-09-25 has a stray `# Calls for Testing`
 * in an issue whose sections are `##`, so every later `## …` nests under it; a `##` under a
 * `#` is taken as a sibling (no TWIR section ever used `##` for its own subgroups).
 */
export function subsections(section: Section): Section[] {
  return section.children.filter((c) => !(section.depth === 1 && c.depth === 2));
}

/**
 * The block nodes of a section and its subsections, leaving out subsections that are
 * really other sections nested under it (2021+: `#### [New and Updated RFCs]` sits under
 * `### Final Comment Period`).
 */
export function ownSectionNodes(section: Section, exclude: readonly (string | RegExp)[]): Section['nodes'] {
  const out = [...section.nodes];
  for (const child of subsections(section)) if (!matchesHeading(child.heading, exclude)) out.push(...ownSectionNodes(child, exclude));
  return out;
}

// `# Approved RFC's` (2014) matches too: heading keys drop apostrophes.
const APPROVED = ['Approved RFCs'] as const;
// 2014-06+ `# New RFC's`; 2015–2021 `## New RFCs`; 2022+ `### [New and Updated RFCs](…)`.
const NEW = ['New RFCs', 'New and Updated RFCs'] as const;
/**
 * Headings of sibling sections that can end up nested under an RFC section. 2025-02-26 lost
 * its `### Final Comment Period` heading, leaving `#### Tracking Issues & PRs` and
 * `#### Other Areas` under `### [Approved RFCs]`.
 */
const OTHER = [
  ...APPROVED,
  ...NEW,
  'Final Comment Period',
  'Tracking Issues & PRs',
  'Other Areas',
  /^calls? for testing\b/,
  'Style RFCs',
  'Closed RFCs',
] as const;

/** RFCs approved this week, from "Approved RFCs" (2014-11+; `# Approved RFC's` in 2014). */
export function extractApprovedRfcs(ctx: ExtractContext): RfcItem[] {
  return findSections(ctx.sections, APPROVED).flatMap((s) => rfcItems(s, ctx));
}

/**
 * New (and, 2022+, updated) RFCs. 2014-03 to 2014-05 had a single top-level `# RFCs`
 * section listing only new RFC pull requests; it counts as "New RFCs". That heading is
 * matched only at the top level, since 2018+ reuses `### [RFCs]` as a subheading under
 * "Final Comment Period" and "Calls for Testing".
 */
export function extractNewRfcs(ctx: ExtractContext): RfcItem[] {
  const sections = findSections(ctx.sections, NEW);
  for (const top of ctx.sections.children) if (top.depth === 1 && matchesHeading(top.heading, ['RFCs'])) sections.push(top);
  return sections.flatMap((s) => rfcItems(s, ctx));
}

function rfcItems(section: Section, ctx: ExtractContext): RfcItem[] {
  // Nested bullets are descriptions (2014-11: `* [cmp and ops reform](…): …` then `* Make … by value`).
  return sectionBullets(ownSectionNodes(section, OTHER), ctx.defs).map((b) => ({ title: b.title, url: b.url, status: rfcStatus(b) }));
}

/** 2022+: `* [new] [Title](…)` / `* [updated] […]` (also `[update]`); 2021-11 once wrote `* RFC Update: [Title](…)`. */
function rfcStatus(bullet: LinkedBullet): RfcItem['status'] {
  if (bullet.tags.includes('new')) return 'new';
  if (bullet.tags.some((t) => t === 'updated' || t === 'update') || /^rfc update\b/i.test(bullet.before)) return 'updated';
  return null;
}
