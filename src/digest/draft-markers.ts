/**
 * Is this stored issue the published final, or a draft that reached the
 * published folder? Judged from the markdown as written plus what the parser
 * extracted, because a template comment alone proves nothing: finals keep
 * `<!-- COTW goes here -->` above the crate they add (2026-04-29 does).
 */
import type { Issue } from '../core/issue/types.js';

/** Why an issue is not ready to announce: `hold` for good, `wait` only until filled in or the grace period ends. */
export interface DraftVerdict {
  /** Template-only sections: never announced in this state. */
  hold: string[];
  /** Placeholder links: announced once filled in, or after the grace period (see PLACEHOLDER_GRACE_MS). */
  wait: string[];
}

/**
 * How long an issue with only placeholder links waits before it is announced
 * anyway. Upstream fills the Reddit link after the post goes up and has
 * published finals that never got it (10 of the last 200 in the archive carry
 * `REDDIT_LINK_HERE`, one `INSERT_LINK_HERE`); holding those for ever would
 * be a missed digest, posting at once would post drafts.
 */
export const PLACEHOLDER_GRACE_MS = 12 * 3_600_000;

const TEMPLATE_ONLY: readonly { comment: RegExp; empty: (issue: Issue) => boolean; reason: string }[] = [
  { comment: /<!--\s*COTW goes here\s*-->/i, empty: (i) => i.cratesOfWeek.length === 0, reason: 'Crate of the Week is still the template' },
  { comment: /<!--\s*QOTW goes here\s*-->/i, empty: (i) => i.quoteOfWeek === null, reason: 'Quote of the Week is still the template' },
  {
    comment: /<!--\s*Rust updates go here\s*-->/i,
    empty: (i) => i.mergedPrCount === null,
    reason: 'Updates from the Rust Project is still the template',
  },
];

const PLACEHOLDERS = ['INSERT_LINK_HERE', 'REDDIT_LINK_HERE'] as const;

/** The draft markers of one issue (empty lists: it is the final). */
export function draftVerdict(markdown: string, issue: Issue): DraftVerdict {
  const hold = TEMPLATE_ONLY.filter((t) => t.comment.test(markdown) && t.empty(issue)).map((t) => t.reason);
  const wait = PLACEHOLDERS.filter((p) => markdown.includes(p)).map((p) => `placeholder link ${p}`);
  return { hold, wait };
}

/**
 * Whether a source folder is upstream's published one: `draft/` (or
 * `drafts/`) holds work in progress, so nothing synced from there is announced.
 */
export function isPublishedFolder(folder: string): boolean {
  const last =
    folder
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? '';
  return !/^drafts?$/i.test(last);
}
