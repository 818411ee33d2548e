/**
 * `syncIssues`: bring the store up to date with a source, incrementally.
 *
 * Only files whose content hash (git blob SHA) changed, or that an older
 * parser produced, are read and parsed. Every issue lands in its own
 * transaction, so one bad file is reported and the rest still land, and a
 * crash never leaves half an issue behind.
 *
 * Work is bounded whatever the source holds: a file over the size cap is
 * refused unread (or after cap + 1 bytes), one that is not text or has no
 * TWIR header is reported and not stored, and a file that failed for what it
 * is is remembered by hash and not tried again until it changes. A store-wide
 * failure (disk full, read-only) stops the sync with one line naming the file
 * and how many issues landed before it. Callers run it under the sync lease
 * (src/core/store/sync-lease.ts) so only one sync writes a store at a time.
 */
import { PARSER_VERSION } from '../issue/parse-file.js';
import type { Issue } from '../issue/types.js';
import { createPlaceResolver } from '../places/event-place.js';
import { ensureGazetteer, isGazetteerCurrent } from '../places/fill-gazetteer.js';
import { addSearchTerms, isVocabularyCurrent, refreshSearchVocabulary } from '../search/search-index.js';
import type { IssueStore, StoredFile } from '../store/store.js';
import { describeStoreFailure, isStoreWideFailure } from '../store/store-errors.js';
import { clearBackfill, markBackfill } from './backfill.js';
import { RateLimitError } from './errors.js';
import { forgetFailure, rememberedFailure, rememberFailure } from './failure-memory.js';
import { IssueFileRejected, MAX_ISSUE_BYTES, notAnIssue, oversize } from './issue-file-limits.js';
import type { IssueParser } from './parse-pool.js';
import type { IssueSource, SourceFile } from './source.js';

/** Progress callbacks for a TTY bar or log lines; all optional. */
export interface SyncProgress {
  start?(total: number): void;
  file?(done: number, total: number, file: string): void;
  warn?(message: string): void;
  /** An issue was stored (`done` issues so far this run): `serve` starts answering after the first. */
  stored?(issue: Pick<Issue, 'number' | 'date' | 'title'>, done: number): void;
}

export interface SyncOptions {
  source: IssueSource;
  store: IssueStore;
  parser: IssueParser;
  now: () => Date;
  progress?: SyncProgress;
  /** Re-read every file even when nothing seems changed (ignores ETag, hashes and remembered failures). */
  force?: boolean;
  /** Stops the sync between files (the lease was lost, the process is shutting down); what landed stays. */
  signal?: AbortSignal;
  /** Largest file read as an issue (default `MAX_ISSUE_BYTES`); injected by tests. */
  maxFileBytes?: number;
}

/** A file that could not be stored, and why. */
export interface SyncFailure {
  file: string;
  error: string;
  /** Failed before with the same content and was not tried again (see failure-memory.ts). */
  remembered?: boolean;
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
  failed: SyncFailure[];
  warnings: string[];
  /** Set when the sync stopped early (rate limit, store failure, lost lease): the rest waits for the next sync. */
  abortedBy: string | null;
  /** Set when the store itself failed (disk full, read-only…): one line naming the file and what landed before it. */
  storeError: string | null;
  durationMs: number;
}

const SKIPPED_KEY = 'sync:superseded:';

/** Up to this many stored issues, the search vocabulary is updated term by term instead of rebuilt. */
const SMALL_SYNC = 3;
/** A sync bringing more new issues than this is a backfill: whole-archive answers say how far it has got. */
const BACKFILL_MIN = SMALL_SYNC;

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
    storeError: null,
    durationMs: 0,
  };
  for (const w of listing.warnings) progress?.warn?.(w);
  if (listing.notModified) {
    await refillStaleGazetteer(store, report);
    return finish(report, store, options, started);
  }

  const listed = new Map(listing.files.map((f) => [f.name, f]));
  const maxBytes = options.maxFileBytes ?? MAX_ISSUE_BYTES;
  const candidates: SourceFile[] = [];
  for (const f of listing.files) {
    if (!options.force && !needsParse(f, stored.get(f.name), store, listed)) continue;
    // Failed before with these very bytes: still reported, not read or parsed again.
    const failedBefore = options.force ? null : rememberedFailure(store, f.name);
    if (failedBefore?.sha === f.sha) report.failed.push({ file: f.name, error: failedBefore.error, remembered: true });
    else candidates.push(f);
  }
  // Newest first: on a first run `latest` is right as soon as one issue landed, and the rest streams in behind.
  const todo = newestFirst(candidates);
  // Event places resolve in this thread against the store's gazetteer, filled (once, ~1 s in a child
  // process) while the first files are read and parsed: on a first run the fill and the newest issue's
  // parse overlap instead of adding up before `latest` can answer. Awaited before the first store.
  const placesReady = todo.length > 0 ? createPlaceResolver(store.db) : null;
  if (todo.length === 0) await refillStaleGazetteer(store, report);
  // Its failure is reported where it is awaited; until then it must not count as unhandled.
  placesReady?.catch(() => undefined);
  let resolvePlaces: ((issue: Issue) => void) | null = null;
  report.unchanged = listing.files.length - todo.length - report.failed.length;
  progress?.start?.(todo.length);
  const fresh = todo.filter((f) => !stored.has(f.name)).length;
  if (fresh > BACKFILL_MIN) markBackfill(store.db, stored.size + fresh);
  // Failures worth remembering (the file's content is the problem) are kept apart from passing ones
  // (a read error), which must not stop the listing from being committed... or be remembered.
  let passingFailures = 0;
  const fail = (file: SourceFile, error: Error, lasting: boolean): void => {
    report.failed.push({ file: file.name, error: error.message });
    if (lasting) rememberFailure(store, file.name, file.sha, error.message);
    else passingFailures++;
  };

  // Keep a window of reads+parses in flight (enough to keep every worker and download busy), and
  // store in listing order so the outcome never depends on which finished first. The window also
  // means a rate limit stops new requests at once instead of failing hundreds of queued ones.
  let aborted: Error | null = null;
  const stopped = (): boolean => {
    if (!aborted && options.signal?.aborted) aborted = new Error(`sync stopped: ${reason(options.signal)}.`);
    return aborted !== null;
  };
  const window = Math.max(8, parser.threads * 4);
  const jobs: Promise<Outcome>[] = [];
  const startUpTo = (n: number): void => {
    while (jobs.length < Math.min(n, todo.length))
      jobs.push(readAndParse(source, parser, todo[jobs.length] as SourceFile, maxBytes, stopped));
  };
  let done = 0;
  for (let i = 0; i < todo.length; i++) {
    startUpTo(i + window);
    const file = todo[i] as SourceFile;
    const outcome = await (jobs[i] as Promise<Outcome>);
    progress?.file?.(++done, todo.length, file.name);
    if ('error' in outcome) {
      if (outcome.error instanceof RateLimitError) aborted ??= outcome.error;
      if (stopped()) continue;
      fail(file, outcome.error, outcome.lasting);
      continue;
    }
    if (stopped()) continue;
    report.parsed++;
    const issue = outcome.issue;
    const problem = unstorable(issue);
    if (problem) {
      fail(file, new Error(problem), true);
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
    resolvePlaces ??= await placesReady;
    try {
      vocabularyWasCurrent ??= isVocabularyCurrent(store.db);
      resolvePlaces?.(issue);
      store.replaceIssue(issue, file.sha, PARSER_VERSION);
      report.stored++;
      forgetFailure(store, file.name);
      if (report.stored <= SMALL_SYNC) for (const l of issue.links) storedTexts.push(l.title, l.text);
      progress?.stored?.(issue, report.stored);
    } catch (err) {
      if (isStoreWideFailure(err)) {
        // Every later file would fail the same way: stop here and say so once.
        report.storeError = `${describeStoreFailure(err)} while storing ${file.name}; ${report.stored} issue(s) stored before it.`;
        report.failed.push({ file: file.name, error: report.storeError });
        aborted = new Error(report.storeError);
        continue;
      }
      fail(file, err instanceof Error ? err : new Error(String(err)), false);
    }
  }
  if (aborted) {
    report.abortedBy = aborted.message;
    const left = todo.length - report.parsed - report.failed.filter((f) => !f.remembered).length;
    report.warnings.push(`${aborted.message} ${Math.max(0, left)} file(s) left for the next sync.`);
  }
  try {
    if (listing.complete && !aborted) {
      for (const file of stored.keys()) {
        // Reported even when a file with the same number already replaced it in this run.
        if (listed.has(file)) continue;
        store.removeFile(file);
        report.removed.push(file);
      }
    }
    // Search's typo-correction vocabulary follows the links. The weekly one-issue sync updates just
    // the new terms; anything else rebuilds it when it does not match the store, which also redoes a
    // rebuild an earlier sync did not finish (killed, disk full) even when this one stored nothing.
    if (vocabularyWasCurrent && report.stored > 0 && report.stored <= SMALL_SYNC && report.removed.length === 0)
      addSearchTerms(store.db, storedTexts);
    else if (!isVocabularyCurrent(store.db)) refreshSearchVocabulary(store.db);
  } catch (err) {
    if (!isStoreWideFailure(err)) throw err;
    report.storeError ??= `${describeStoreFailure(err)} while updating the search vocabulary; ${report.stored} issue(s) stored.`;
    report.abortedBy ??= report.storeError;
    return finish(report, store, options, started);
  }
  // Remember the listing (ETag) only when everything in it landed or failed for good (a remembered
  // failure fails again until the file changes, which changes the listing); otherwise list again.
  if (!aborted && passingFailures === 0) listing.commit();
  if (!aborted) clearBackfill(store.db);
  return finish(report, store, options, started);
}

function finish(report: SyncReport, store: IssueStore, options: SyncOptions, started: number): SyncReport {
  try {
    // A sync the rate limit cut short is not "fresh": `serve` should try again rather than wait a day.
    if (!report.abortedBy) store.setState('sync:last', options.now().toISOString());
    store.setState('sync:source', report.source);
  } catch (err) {
    if (!isStoreWideFailure(err)) throw err;
    report.storeError ??= `${describeStoreFailure(err)} while recording the sync; ${report.stored} issue(s) stored.`;
    report.abortedBy ??= report.storeError;
  }
  report.durationMs = Math.round(performance.now() - started);
  return report;
}

/**
 * Refills a gazetteer that older packages or rules filled (names in other scripts came later) when
 * no issue is parsed, so an upgraded store answers `東京` before the next issue appears. Stored
 * events keep their places: TWIR writes locations in Latin letters, so none is re-parsed for it.
 */
async function refillStaleGazetteer(store: IssueStore, report: SyncReport): Promise<void> {
  if (isGazetteerCurrent(store.db)) return;
  try {
    await ensureGazetteer(store.db);
  } catch (err) {
    report.warnings.push(`the gazetteer was not refilled: ${err instanceof Error ? err.message : String(err)}`);
  }
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

/** Files newest first by the date their name starts with (`2024-10-30-…`, also `2020-12-9-…`), others after them; stable otherwise. */
function newestFirst(files: SourceFile[]): SourceFile[] {
  const day = (f: SourceFile) => {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})\b/.exec(f.name);
    return m ? `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}` : '';
  };
  return files
    .map((f, i) => ({ f, i, d: day(f) }))
    .sort((a, b) => (a.d === b.d ? a.i - b.i : a.d < b.d ? 1 : -1))
    .map((x) => x.f);
}

/** A parsed issue, or why not; `lasting` when the content is the problem (remembered until it changes). */
type Outcome = { issue: Issue } | { error: Error; lasting: boolean };

async function readAndParse(
  source: IssueSource,
  parser: IssueParser,
  file: SourceFile,
  maxBytes: number,
  stop: () => boolean,
): Promise<Outcome> {
  if (stop()) return { error: new Error('sync stopped'), lasting: false };
  const tooLarge = file.size === undefined ? null : oversize(file.size, maxBytes);
  if (tooLarge) return { error: tooLarge, lasting: true };
  let bytes: Uint8Array;
  try {
    bytes = await source.read(file, { maxBytes });
  } catch (err) {
    return { error: err instanceof Error ? err : new Error(String(err)), lasting: err instanceof IssueFileRejected };
  }
  const rejected = notAnIssue(bytes);
  if (rejected) return { error: rejected, lasting: true };
  try {
    return { issue: await parser.parse(file.name, bytes) };
  } catch (err) {
    // A parse that timed out or ran out of memory does so again on the same bytes.
    return { error: err instanceof Error ? err : new Error(String(err)), lasting: !stop() };
  }
}

function reason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error ? r.message : typeof r === 'string' ? r : 'asked to stop';
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
