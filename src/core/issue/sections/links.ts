/**
 * Every linked list item in the issue, with the heading path it sits under.
 *
 * This is what archive search indexes: news posts, project updates, merged PRs,
 * RFCs, events. Every link of a bullet counts, each with the bullet's text as
 * its context (`[PR one](…) and [PR two](…)`, `[Post](…) and its [slides](…)`);
 * nested bullets count on their own (the 2022+ events nest titles under a group line). The footer
 * is not part of the issue: since 2025-11 its editors are a bulleted list of
 * GitHub profiles after "This Week in Rust is edited by:", which would
 * otherwise read as links under "Quote of the Week".
 */
import type { RootContent } from 'mdast';
import type { ExtractContext } from '../context.js';
import { findLinks, listItems, ownContent, plainText, type Section, walkSections } from '../mdast.js';
import { isPlaceholderText, isPlaceholderUrl } from '../text.js';
import type { LinkItem } from '../types.js';

/** Tags written in brackets before the link, as in `* [video] [Title](url)`. */
const TAG =
  /\[(video|audio|podcast|slides|paper|pdf|book|series|talk|livestream|stream|workshop|course|tutorial|vídeo|es|de|fr|ja|zh|ru|pt|ko|it)\]/gi;

export function extractLinks(ctx: ExtractContext): LinkItem[] {
  const out: LinkItem[] = [];
  const sections: Section[] = [ctx.sections, ...walkSections(ctx.sections)];
  for (const section of sections) {
    for (const { item } of listItems(beforeFooter(section.nodes))) {
      const content = ownContent(item);
      const found = findLinks(content, ctx.defs).filter((l) => isWebUrl(l.url) && !isPlaceholderUrl(l.url));
      if (found.length === 0) continue;
      const text = plainText(content);
      if (isPlaceholderText(text)) continue;
      const first = found[0]?.text || (found[0]?.url.trim() ?? '');
      const seen = new Set<string>();
      let cursor = 0;
      for (const [k, link] of found.entries()) {
        const url = link.url.trim();
        // Tags written before this link and after the previous one: `[video] [Talk](…)`.
        const at = link.text ? text.indexOf(link.text, cursor) : -1;
        const tags = at >= 0 ? [...text.slice(cursor, at).matchAll(TAG)].map((m) => (m[1] as string).toLowerCase()) : [];
        if (at >= 0) cursor = at + link.text.length;
        if (seen.has(url)) continue;
        seen.add(url);
        out.push({ section: section.path, title: k === 0 ? first : titleOf(link.text || url, first), url, tags, text });
      }
    }
  }
  return out;
}

/** The nodes before the footer line "This Week in Rust is edited by: …" (2015–: italic, one line; 2025-11+: followed by a list). */
function beforeFooter(nodes: readonly RootContent[]): RootContent[] {
  const end = nodes.findIndex((n) => n.type === 'paragraph' && /^this week in rust is edited by\b/i.test(plainText(n)));
  return end === -1 ? [...nodes] : nodes.slice(0, end);
}

/** Link texts that say what a link is, not what it is about: `[Post](…) ([discuss](…))`. */
const GENERIC_LINK_TEXT =
  /^(?:discuss(?:ion)?|comments?|here|link|video|slides|audio|podcast|pdf|paper|code|source|repo|github|reddit|hn|hacker news|thread|blog|post|transcript|recording|part \d+|\d+|#\d+)$/i;

/** A later link's title: its own text, or for a generic one (`slides`) the bullet's first title with it. */
function titleOf(text: string, first: string): string {
  return GENERIC_LINK_TEXT.test(text.trim()) ? `${first} — ${text.trim()}` : text;
}

function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url.trim());
}
