/**
 * Building blocks shared by command handlers: citations, the staleness
 * warning, and the "nothing found" reply. All user-facing wording for these
 * lives here so it reads the same in every command.
 */
import { type Archive, cite, type IssueRef } from '../archive/archive.js';
import { daysBetween } from '../dates.js';
import { attribution, type Citation, type Reply, type ReplySection } from '../reply/reply.js';
import { uniqueBy } from '../unique-by.js';

/** How old the newest issue may be before answers warn that syncing may be failing. */
export const STALE_AFTER_DAYS = 14;

/** A warning when the newest issue on or before `asOf` is more than two weeks old. */
export function staleWarning(archive: Archive, asOf: string): string | undefined {
  const newest = archive.onOrBefore(asOf);
  if (!newest) return undefined;
  const age = daysBetween(newest.date, asOf);
  if (age <= STALE_AFTER_DAYS) return undefined;
  return `The newest issue I have is from ${newest.date} (${age} days before ${asOf}); syncing may be failing, so answers may be out of date.`;
}

export interface AnswerParts {
  title: string;
  /**
   * The answer is about the past (an older issue, a past year): a sync that
   * stopped weeks ago cannot make it wrong, so it carries no staleness warning.
   */
  historical?: boolean;
  url?: string;
  description?: string;
  sections: ReplySection[];
  citations: IssueRef[];
  hint?: string;
  page?: Reply['page'];
}

/** An answer citing its issues, with the attribution footer and staleness warning filled in. */
export function answer(archive: Archive, asOf: string, parts: AnswerParts): Reply {
  const citations: Citation[] = dedupeCitations(parts.citations.map(cite));
  const warning = parts.historical ? undefined : staleWarning(archive, asOf);
  const reply: Reply = {
    kind: parts.sections.some((s) => s.items.length > 0) || parts.description ? 'answer' : 'empty',
    title: parts.title,
    sections: parts.sections.filter((s) => s.items.length > 0),
    footer: attribution(citations),
    citations,
  };
  if (parts.url) reply.url = parts.url;
  if (parts.description) reply.description = parts.description;
  if (parts.hint) reply.hint = parts.hint;
  if (parts.page) reply.page = parts.page;
  if (warning) {
    reply.warning = warning;
    staleWarnings.set(reply, warning);
  }
  return reply;
}

/** The staleness warning each reply got (so `dropStaleWarning` removes exactly that). */
const staleWarnings = new WeakMap<Reply, string>();

/**
 * Removes the staleness warning from a reply: for a question asked explicitly
 * as of a past date, the issues after it are not missing, they do not count.
 */
export function dropStaleWarning(reply: Reply): void {
  const stale = staleWarnings.get(reply);
  if (stale === undefined || reply.warning === undefined) return;
  const rest = reply.warning.replace(stale, '').trim();
  if (rest) reply.warning = rest;
  else delete reply.warning;
}

/**
 * For an answer that needs the whole archive (search, past crates, an older
 * issue): while the first sync is still storing issues, says how far it has
 * got, before any staleness warning, rather than silently answering from part of it.
 */
export function noteIndexing(archive: Archive, reply: Reply): Reply {
  const progress = archive.indexing();
  if (!progress) return reply;
  const note = `Searched ${progress.indexed} of ${progress.total} issues; still indexing the archive, so older results may be missing.`;
  reply.warning = reply.warning ? `${note} ${reply.warning}` : note;
  return reply;
}

/** "Nothing found" — still an answer (exit code 0), with a hint of what to try. */
export function nothing(archive: Archive, asOf: string, title: string, hint?: string, citations: IssueRef[] = []): Reply {
  const reply = answer(archive, asOf, { title, sections: [], citations, ...(hint ? { hint } : {}) });
  reply.kind = 'empty';
  return reply;
}

/** Said while the first sync is storing the archive, newest first, and an older issue is asked for. */
export const STILL_INDEXING_HINT =
  'The first sync stores the archive newest first and has not reached it yet; ask again in a minute or two.';

/** The reply when the store has no issue on or before `asOf` at all (or not yet, during the first sync). */
export function noIssues(archive: Archive, asOf: string): Reply {
  const newest = archive.newestDate();
  if (newest && archive.indexing()) {
    return noteIndexing(archive, nothing(archive, asOf, `The issues up to ${asOf} are not indexed yet.`, STILL_INDEXING_HINT));
  }
  return nothing(
    archive,
    asOf,
    newest ? `No issue of This Week in Rust was published on or before ${asOf}.` : 'No issues are stored yet.',
    newest ? 'The first issue is from 2013-06-07.' : 'The bot has not synced the archive yet; its operator runs "twir sync".',
  );
}

function dedupeCitations(list: Citation[]): Citation[] {
  return uniqueBy(list, (c) => c.url);
}

/** "#571 · 2024-10-30" */
export function issueLabel(ref: { number: number | null; date: string; title: string }): string {
  return ref.number === null ? `${ref.title} · ${ref.date}` : `#${ref.number} · ${ref.date}`;
}
