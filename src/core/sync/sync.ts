/**
 * `syncIssues`: bring the store up to date with a source, incrementally.
 *
 * Only files whose content hash (git blob SHA) changed, or that an older
 * parser produced, are read and parsed. Every issue lands in its own
 * transaction, so one bad file is reported and the rest still land, and a
 * crash never leaves half an issue behind.
 */
import { PARSER_VERSION } from '../issue/parse-file.js';
import type { Issue } from '../issue/types.js';
import { createPlaceResolver } from '../places/event-place.js';
import { addSearchTerms, isVocabularyCurrent, refreshSearchVocabulary } from '../search/search-index.js';
import type { IssueStore, StoredFile } from '../store/store.js';
import { RateLimitError } from './errors.js';
import type { IssueParser } from './parse-pool.js';
import type { IssueSource, SourceFile } from './source.js';

/** Progress callbacks for a TTY bar or log lines; all optional. */
export interface SyncProgress {
  start?(total: number): void;
  file?(done: number, total: number, file: string): void;
  warn?(message: string): void;
}

export interface SyncOptions {
  source: IssueSource;
  store: IssueStore;
  parser: IssueParser;
  now: () => Date;
  progress?: SyncProgress;
  /** Re-read every file even when nothing seems changed (ignores ETag and hashes). */
  force?: boolean;
}

export interface SyncReport {
  source: string;
  /** The source answered "not modified": nothing was listed or parsed. */
  notModified: boolean;
  listed: number;
  unchanged: number;
  /** Files read and parsed this run. */
  parsed: number;
  stored: number;
  removed: string[];
  /** Files skipped because a later file re-published the same issue number. */
  superseded: string[];
  failed: { file: string; error: string }[];
  warnings: string[];
  /** Set when the source stopped answering (rate limit): the rest waits for the next sync. */
  abortedBy: string | null;
  durationMs: number;
}

const SKIPPED_KEY = 'sync:superseded:';

/** Up to this many stored issues, the search vocabulary is updated term by term instead of rebuilt. */
const SMALL_SYNC = 3;

/** Runs one sync. Never throws for per-file problems; throws only when the source cannot be listed. */
export async function syncIssues(options: SyncOptions): Promise<SyncReport> {
  const { source, store, parser, progress } = options;
  const started = performance.now();
  const stored = new Map(store.storedFiles().map((f) => [f.file, f]));
  const stale = [...stored.values()].some((f) => f.parserVersion !== PARSER_VERSION);
  const listing = await source.list({ conditional: !options.force && !stale });
  // Whether search's vocabulary matched the store before this sync changed it; asked only once
  // something is about to be stored, so a sync with nothing new skips the check.
  let vocabularyWasCurrent: boolean | undefined;
  const storedTexts: string[] = [];
  const report: SyncReport = {
    source: source.description,
    notModified: listing.notModified,
    listed: listing.files.length,
    unchanged: 0,
    parsed: 0,
    stored: 0,
    removed: [],
    superseded: [],
    failed: [],
    warnings: [...listing.warnings],
    abortedBy: null,
    durationMs: 0,
  };
  for (const w of listing.warnings) progress?.warn?.(w);
  if (listing.notModified) return finish(report, store, options, started);

  const listed = new Map(listing.files.map((f) => [f.name, f]));
  const todo = listing.files.filter((f) => options.force || needsParse(f, stored.get(f.name), store, listed));
  // Event places resolve in this thread against the store's gazetteer, filled (once) before parsing starts.
  const resolvePlaces = todo.length > 0 ? await createPlaceResolver(store.db) : null;
  report.unchanged = listing.files.length - todo.length;
  progress?.start?.(todo.length);

  // Keep a window of reads+parses in flight (enough to keep every worker and download busy), and
  // store in listing order so the outcome never depends on which finished first. The window also
  // means a rate limit stops new requests at once instead of failing hundreds of queued ones.
  let aborted: RateLimitError | null = null;
  const window = Math.max(8, parser.threads * 4);
  const jobs: Promise<Outcome>[] = [];
  const startUpTo = (n: number): void => {
    while (jobs.length < Math.min(n, todo.length))
      jobs.push(readAndParse(source, parser, todo[jobs.length] as SourceFile, () => aborted !== null));
  };
  let done = 0;
  for (let i = 0; i < todo.length; i++) {
    startUpTo(i + window);
    const file = todo[i] as SourceFile;
    const outcome = await (jobs[i] as Promise<Outcome>);
    progress?.file?.(++done, todo.length, file.name);
    if ('error' in outcome) {
      if (outcome.error instanceof RateLimitError) aborted ??= outcome.error;
      if (aborted) continue;
      report.failed.push({ file: file.name, error: outcome.error.message });
      continue;
    }
    report.parsed++;
    const issue = outcome.issue;
    const problem = unstorable(issue);
    if (problem) {
      report.failed.push({ file: file.name, error: problem });
      continue;
    }
    const holder = issue.number === null ? undefined : store.fileHoldingNumber(issue.number, file.name);
    if (holder && listed.has(holder.file) && supersedes(holder, issue)) {
      report.superseded.push(file.name);
      store.setState(SKIPPED_KEY + file.name, `${file.sha} ${holder.file}`);
      continue;
    }
    if (holder && listed.has(holder.file)) {
      // This file wins over another file of the source with the same number: remember the loser
      // so the next sync does not parse it again and flip the issue back.
      report.superseded.push(holder.file);
      store.setState(SKIPPED_KEY + holder.file, `${(listed.get(holder.file) as SourceFile).sha} ${file.name}`);
    }
    try {
      vocabularyWasCurrent ??= isVocabularyCurrent(store.db);
      resolvePlaces?.(issue);
      store.replaceIssue(issue, file.sha, PARSER_VERSION);
      report.stored++;
      if (report.stored <= SMALL_SYNC) for (const l of issue.links) storedTexts.push(l.title, l.text);
    } catch (err) {
      report.failed.push({ file: file.name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (aborted) {
    report.abortedBy = aborted.message;
    report.warnings.push(`${aborted.message} ${todo.length - report.parsed - report.failed.length} file(s) left for the next sync.`);
  }
  if (listing.complete && !aborted) {
    for (const file of stored.keys()) {
      // Reported even when a file with the same number already replaced it in this run.
      if (listed.has(file)) continue;
      store.removeFile(file);
      report.removed.push(file);
    }
  }
  // Search's typo-correction vocabulary follows the links. The weekly one-issue sync updates just
  // the new terms; anything larger (or any removal) rebuilds it.
  if (vocabularyWasCurrent && report.stored > 0 && report.stored <= SMALL_SYNC && report.removed.length === 0)
    addSearchTerms(store.db, storedTexts);
  else if (report.stored > 0 || report.removed.length > 0) refreshSearchVocabulary(store.db);
  // Remember the listing (ETag) only when everything in it landed; otherwise the next sync lists again.
  if (!aborted && report.failed.length === 0) listing.commit();
  return finish(report, store, options, started);
}

function finish(report: SyncReport, store: IssueStore, options: SyncOptions, started: number): SyncReport {
  // A sync the rate limit cut short is not "fresh": `serve` should try again rather than wait a day.
  if (!report.abortedBy) store.setState('sync:last', options.now().toISOString());
  store.setState('sync:source', report.source);
  report.durationMs = Math.round(performance.now() - started);
  return report;
}

function needsParse(file: SourceFile, stored: StoredFile | undefined, store: IssueStore, listed: Map<string, SourceFile>): boolean {
  if (stored) return stored.sha !== file.sha || stored.parserVersion !== PARSER_VERSION;
  // A file that lost to another file with the same number is not parsed again while it is
  // unchanged and the winner is still in the source; when the winner goes, it gets its turn.
  const skipped = store.getState(SKIPPED_KEY + file.name);
  if (!skipped) return true;
  const [sha, winner] = skipped.split(' ');
  return sha !== file.sha || !winner || !listed.has(winner);
}

type Outcome = { issue: Issue } | { error: Error };

async function readAndParse(source: IssueSource, parser: IssueParser, file: SourceFile, stop: () => boolean): Promise<Outcome> {
  try {
    if (stop()) return { error: new Error('sync stopped') };
    const bytes = await source.read(file);
    return { issue: await parser.parse(file.name, bytes) };
  } catch (err) {
    return { error: err instanceof Error ? err : new Error(String(err)) };
  }
}

/** Why an issue cannot be stored (no date, too large or unparsable: not a TWIR issue), or null. */
function unstorable(issue: Issue): string | null {
  const fatal = issue.diagnostics.filter((d) => d.fatal);
  return fatal.length ? `not stored: ${fatal.map((d) => d.message).join('; ')}` : null;
}

/**
 * When two files in the source carry the same issue number (a draft left
 * beside its final), the later date wins, then the later file name.
 */
function supersedes(holder: { file: string; date: string }, issue: Issue): boolean {
  if (holder.date !== issue.date) return holder.date > issue.date;
  return holder.file > issue.file;
}
