/**
 * `twir export`: every stored issue as one JSON document — the project's data
 * contract for people who want the dataset. Field names are those of `Issue`
 * (see README "Export format"); dates are ISO `YYYY-MM-DD`.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { IssueStore } from '../store/store.js';

/** Identifies the export format; bumped only on incompatible changes. */
export const EXPORT_SCHEMA = 'twir-bot/issues@1';

export interface ExportOptions {
  /**
   * End `out` when the document is complete (default true). Pass false for a
   * stream the caller keeps, such as the process's stdout.
   */
  end?: boolean;
}

/**
 * Streams the export to `out` one issue at a time, so memory stays flat
 * whatever the archive size. Resolves with the number of issues written;
 * rejects with the stream's error (ENOENT, EPIPE, ENOSPC …) instead of
 * leaving it unhandled, after closing the store's cursor.
 */
export async function exportIssues(store: IssueStore, out: Writable, generatedAt: Date, options: ExportOptions = {}): Promise<number> {
  const counter = { n: 0 };
  await pipeline(Readable.from(exportChunks(store, generatedAt, counter)), out, { end: options.end ?? true });
  return counter.n;
}

/**
 * The export document in pieces: header, one line per issue, footer. Pulled
 * lazily by the pipeline, so a slow reader holds back the store's cursor.
 */
function* exportChunks(store: IssueStore, generatedAt: Date, counter: { n: number }): Generator<string> {
  const header = {
    schema: EXPORT_SCHEMA,
    generatedAt: generatedAt.toISOString(),
    license: 'Content of This Week in Rust, CC-BY-SA 4.0: link back to each issue (its `url`).',
    count: store.stats().issues,
  };
  // The header pretty-printed without its closing `\n}`, so `issues` continues the same object.
  yield `${JSON.stringify(header, null, 2).slice(0, -2)},\n  "issues": [`;
  for (const issue of store.allIssues()) {
    yield `${counter.n === 0 ? '\n' : ',\n'}    ${JSON.stringify(issue)}`;
    counter.n++;
  }
  yield `${counter.n ? '\n  ' : ''}]\n}\n`;
}
