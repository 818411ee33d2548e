/**
 * The neutral Reply every command returns. Adapters (Discord, Slack, console)
 * render it and own their platform limits; the core never formats for a
 * platform. All strings are plain text: no markdown, no mentions.
 */

/** One issue an answer draws on (the content is CC-BY-SA: answers link back). */
export interface Citation {
  number: number | null;
  date: string;
  title: string;
  url: string;
}

export interface ReplyItem {
  label: string;
  url?: string;
  /** A short second line: description, date, disposition, who suggested it… */
  detail?: string;
}

export interface ReplySection {
  label: string;
  items: ReplyItem[];
}

/** Position in a long list; `next` is the page number to ask for, absent on the last page. */
export interface PageCursor {
  page: number;
  pages: number;
  total: number;
  next?: number;
  /**
   * The newest issue number the answer was made from (set by executeCommand):
   * page buttons carry it back as `GlobalOptions.pin` so the next page does
   * not shift when an issue dated the same day arrives.
   */
  pin?: number;
}

/** answer; empty = nothing found (still an answer); usage-error = not understood; error = the bot failed. */
export type ReplyKind = 'answer' | 'empty' | 'usage-error' | 'error';

export interface Reply {
  kind: ReplyKind;
  title: string;
  /** Link for the title, usually the page. */
  url?: string;
  /** A sentence or two under the title. */
  description?: string;
  sections: ReplySection[];
  /** Attribution line, e.g. "This Week in Rust 571 · 2024-10-30 · CC-BY-SA 4.0". */
  footer?: string;
  citations: Citation[];
  /** A hint only the asker needs to see (ephemeral where the platform allows). */
  hint?: string;
  /** Shown prominently when the data may be out of date (sync failing). */
  warning?: string;
  page?: PageCursor;
  /**
   * Show this reply only to the asker even though it is an answer (a digest
   * preview). Adapters already keep empty/usage-error/error replies and hints private.
   */
  private?: boolean;
}

/** Attribution text for the issues an answer cites. */
export function attribution(citations: readonly Citation[]): string {
  if (citations.length === 0) return 'This Week in Rust · CC-BY-SA 4.0';
  if (citations.length === 1) {
    const c = citations[0] as Citation;
    return `${c.title} · ${c.date} · CC-BY-SA 4.0`;
  }
  return `From ${citations.length} issues of This Week in Rust · CC-BY-SA 4.0`;
}

/** A usage error: the command could not be understood; `hint` says how to ask. */
export function usageError(message: string, hint?: string): Reply {
  return { kind: 'usage-error', title: message, sections: [], citations: [], ...(hint ? { hint } : {}) };
}

/**
 * Cuts `items` to one page. Pages are 1-based; asking past the end gives the
 * last page rather than nothing.
 */
export function paginate<T>(items: readonly T[], page: number, perPage: number): { items: T[]; cursor: PageCursor } {
  const cursor = pageCursor(items.length, page, perPage);
  const start = (cursor.page - 1) * perPage;
  return { items: items.slice(start, start + perPage), cursor };
}

/** The cursor for page `page` of `total` items (for lists paged elsewhere, e.g. by the search engine). */
export function pageCursor(total: number, page: number, perPage: number): PageCursor {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  return { page: current, pages, total, ...(current < pages ? { next: current + 1 } : {}) };
}
