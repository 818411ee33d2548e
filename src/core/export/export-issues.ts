/**
 * `twir export`: every stored issue as one JSON document — the project's data
 * contract for people who want the dataset. Field names are those of `Issue`
 * (see README "Export format"); dates are ISO `YYYY-MM-DD`.
 */
import type { Writable } from 'node:stream';
import type { IssueStore } from '../store/store.js';

/** Identifies the export format; bumped only on incompatible changes. */
export const EXPORT_SCHEMA = 'twir-bot/issues@1';

/**
 * Streams the export to `out` one issue at a time, so memory stays flat
 * whatever the archive size. Resolves with the number of issues written.
 */
export async function exportIssues(store: IssueStore, out: Writable, generatedAt: Date): Promise<number> {
  const stats = store.stats();
  const header = {
    schema: EXPORT_SCHEMA,
    generatedAt: generatedAt.toISOString(),
    license: 'Content of This Week in Rust, CC-BY-SA 4.0: link back to each issue (its `url`).',
    count: stats.issues,
  };
  await write(out, `${JSON.stringify(header, null, 2).slice(0, -2)},\n  "issues": [`);
  let n = 0;
  for (const issue of store.allIssues()) {
    await write(out, `${n === 0 ? '\n' : ',\n'}    ${JSON.stringify(issue)}`);
    n++;
  }
  await write(out, `${n ? '\n  ' : ''}]\n}\n`);
  return n;
}

function write(out: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(chunk, (err) => (err ? reject(err) : undefined))) resolve();
    else out.once('drain', resolve);
  });
}
