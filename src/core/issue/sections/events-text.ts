/**
 * Text helpers for "Upcoming Events" lines: bold titles, URLs left as text by
 * broken links, and tidying names that such breakage leaves behind.
 */
import type { Nodes } from 'mdast';
import type { FoundLink } from '../mdast.js';
import { plainText } from '../mdast.js';
import { decodeEntities, isPlaceholderText, isPlaceholderUrl, squash } from '../text.js';

const BARE_URL = /https?:\/\/[^\s<>()[\]]+[^\s<>()[\].,;:!?'"]/;

/** A URL written as text when the markdown link was broken (`[Group] (https://…)`, `[Title]https://…)`). */
export function bareUrl(text: string): string | null {
  const m = BARE_URL.exec(text);
  return m && !isPlaceholderUrl(m[0]) ? m[0] : null;
}

/**
 * Tidies a name. Text holding a URL is a broken link (`[Rust Luzern]((https://…)`,
 * `[ Monthly Meetup ]https://…`): its URL and brackets go. Brackets in link text
 * stay (`Ferris' Fika Forum #3 [Embedded lab edition]`).
 */
export function cleanName(text: string): string {
  let out = squash(decodeEntities(text));
  if (BARE_URL.test(out)) {
    out = out
      .replace(/\(*https?:\/\/[^\s)]*\)*/g, ' ')
      .replace(/[[\]]/g, ' ')
      .replace(/\(\s*\)/g, ' ');
  }
  // `[A](u), [B](u)` reads back as `A , B`: close the gap before the comma.
  return squash(out)
    .replace(/\s+([,;])/g, '$1')
    .replace(/^[\s*:|–-]+|[\s*:|–-]+$/g, '');
}

/**
 * Template text or links. Real titles say "Topic TBD" (`Monthly Meetup: Topic TBD!`),
 * so the generic placeholder test only counts for lines without a real link.
 */
export function hasPlaceholder(text: string, links: FoundLink[]): boolean {
  // An empty target (`[SRUG](  )`, 2024-05) is a missing link, not a template.
  if (links.some((l) => /^[\s#]*$/.test(l.url) === false && isPlaceholderUrl(l.url))) return true;
  if (/INSERT_[A-Z_]+|[A-Z]_HERE\b/.test(text)) return true;
  return links.length === 0 && isPlaceholderText(text);
}

/** Text of the first bold run: the title in the 2021–22 pipe layout. */
export function strongText(nodes: Nodes[]): string | null {
  for (const node of nodes) {
    if (node.type === 'strong') return plainText(node);
    if ('children' in node) {
      const inner = strongText(node.children as Nodes[]);
      if (inner !== null) return inner;
    }
  }
  return null;
}

/** True when the node (a link, usually) has bold text inside: a 2022+ title link. */
export function containsStrong(node: Nodes): boolean {
  return strongText([node]) !== null;
}
