/**
 * Files that failed for what they are (too large, not text, no header, a
 * parse that timed out or ran out of memory) are remembered by content hash,
 * so the next sync does not spend another 30 s on the same bytes. They stay
 * in every report until the file changes (a new hash) or `--force` retries it.
 */
import type { IssueStore } from '../store/store.js';

const KEY = 'sync:failed:';

/** A remembered failure: the content hash that failed and why. */
export interface RememberedFailure {
  sha: string;
  error: string;
}

/** The failure remembered for `file`, or null. */
export function rememberedFailure(store: IssueStore, file: string): RememberedFailure | null {
  const value = store.getState(KEY + file);
  if (!value) return null;
  const space = value.indexOf(' ');
  return space < 0 ? null : { sha: value.slice(0, space), error: value.slice(space + 1) };
}

/** Remembers that `file` with content `sha` failed with `error`. */
export function rememberFailure(store: IssueStore, file: string, sha: string, error: string): void {
  store.setState(KEY + file, `${sha} ${error}`);
}

/** Forgets a remembered failure (the file was stored after all). */
export function forgetFailure(store: IssueStore, file: string): void {
  store.deleteState(KEY + file);
}
