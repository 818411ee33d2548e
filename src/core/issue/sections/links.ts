/**
 * Every linked list item in the issue, with the heading path it sits under.
 *
 * This is what archive search indexes: news posts, project updates, merged PRs,
 * RFCs, events. A bullet counts once, by its first link; nested bullets count
 * on their own (the 2022+ events nest titles under a group line). The footer
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
      const link = findLinks(content, ctx.defs).find((l) => isWebUrl(l.url));
      if (!link || isPlaceholderUrl(link.url)) continue;
      const text = plainText(content);
      if (isPlaceholderText(text)) continue;
      const before = text.slice(0, Math.max(0, text.indexOf(link.text)));
      const tags = [...before.matchAll(TAG)].map((m) => (m[1] as string).toLowerCase());
      out.push({ section: section.path, title: link.text || link.url, url: link.url.trim(), tags, text });
    }
  }
  return out;
}

/** The nodes before the footer line "This Week in Rust is edited by: …" (2015–: italic, one line; 2025-11+: followed by a list). */
function beforeFooter(nodes: readonly RootContent[]): RootContent[] {
  const end = nodes.findIndex((n) => n.type === 'paragraph' && /^this week in rust is edited by\b/i.test(plainText(n)));
  return end === -1 ? [...nodes] : nodes.slice(0, end);
}

function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url.trim());
}
