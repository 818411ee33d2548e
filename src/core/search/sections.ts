/**
 * Which links are event listings or job ads (left out of search unless asked
 * for), and the forgiving section filter of `/twir search <query> [section]`.
 *
 * Sections are stored as heading paths joined with ` › `, e.g.
 * `Updates from Rust Community › Observations/Thoughts`.
 */
import { foldText } from './query-text.js';

export type SectionKind = 'events' | 'jobs' | 'other';

// 2013–15 `Meetups`, then `Upcoming Events › Europe`; also nested under a stray heading
// (`Calls for Testing › Upcoming Events › Virtual`, 2024–25, when a section was left unclosed).
// Not `CFP - Events`: those are calls for speakers, part of Call for Participation.
const EVENTS_SEGMENT = /^(?:upcoming )?(?:rust )?(?:events|meetups)\b/i;
// 2025: an event line written as a heading (`2025-07-23 | Ikot Akpaden, … | Rust Nigeria › Europe`).
const EVENT_LINE_HEADING = /^\d{4}-\d{2}-\d{2}\s*\|/;
// `Rust Jobs` (2022–), `fn work(on: RustProject) -> Money` (2019–22).
const JOBS_SEGMENT = /\bjobs?\b|->\s*money/i;

/** Classifies a stored section path. */
export function sectionKind(path: string): SectionKind {
  const segments = path.split(' › ');
  if (segments.some((s) => JOBS_SEGMENT.test(s))) return 'jobs';
  if (segments.some((s) => EVENTS_SEGMENT.test(s)) || EVENT_LINE_HEADING.test(path)) return 'events';
  return 'other';
}

/**
 * A predicate for the user's section filter, or null when the filter has no
 * letters or digits. A path matches when the folded filter is a substring of
 * the folded path (`observations`, `news & blog`), or when every filter word
 * starts a word of the path, so `project updates` finds `Project/Tooling
 * Updates` and `walkthrough` finds `Rust Walkthroughs`.
 */
export function sectionMatcher(filter: string): ((path: string) => boolean) | null {
  const folded = foldText(String(filter).slice(0, 200)).trim();
  const words = folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.length === 0) return null;
  return (path) => {
    const p = foldText(path);
    if (p.includes(folded)) return true;
    const pathWords = p.split(/[^\p{L}\p{N}]+/u);
    return words.every((w) => pathWords.some((pw) => pw.startsWith(w)));
  };
}
