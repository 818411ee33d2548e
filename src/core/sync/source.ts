/**
 * The neutral contract between `twir sync` and wherever TWIR markdown comes from (a local folder or GitHub).
 *
 * Change detection is by git blob SHA-1: GitHub's tree API reports exactly that hash for every file, and a local
 * folder can compute it from the bytes, so both sources agree and a file is re-read only when its bytes changed.
 */
import { createHash } from 'node:crypto';

/** One markdown file a source offers. */
export interface SourceFile {
  name: string;
  /** git blob SHA-1 of the bytes */
  sha: string;
  /** Size in bytes when the listing says (a local stat, GitHub's tree `size`): lets a sync refuse a huge file unread. */
  size?: number;
}

/** Options for one read. */
export interface ReadOptions {
  /**
   * Never hold more than this many bytes of the file: a larger file (it may have
   * grown since it was listed, or the listing had no size) is refused with an
   * `IssueFileRejected` after reading at most `maxBytes + 1` bytes.
   */
  maxBytes?: number;
}

/** Result of listing a source. */
export interface SourceListing {
  /**
   * true when the source says nothing changed since the last committed listing (HTTP 304): nothing to do.
   * `files` is then empty and `complete` false, so a caller that forgets to check this still deletes nothing.
   */
  notModified: boolean;
  files: SourceFile[];
  /** false when the listing may be missing files (truncated tree): callers must not delete what is absent. */
  complete: boolean;
  warnings: string[];
  /**
   * Call once every file of this listing has been read and stored. Only then does the source remember the
   * listing's version (GitHub: the ETag), so a sync that fails halfway gets a full listing next time instead of
   * a 304 that would skip the files it never stored. A no-op for sources without versions, for `notModified`
   * listings, and for incomplete listings (a later run may list more).
   */
  commit(): void;
}

/** Options for one listing. */
export interface ListOptions {
  /**
   * false: ignore the remembered version and fetch the full listing (e.g. after a parser upgrade, when every
   * file must be re-read even though upstream did not change). Default true.
   */
  conditional?: boolean;
}

/** Small persistent key-value memory a source may use (e.g. ETags), provided by the store. */
export interface SourceState {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** Where TWIR markdown comes from; see `createLocalSource` and `createGitHubSource`. */
export interface IssueSource {
  /** Human description for logs, e.g. "GitHub rust-lang/this-week-in-rust@main:content". */
  readonly description: string;
  list(options?: ListOptions): Promise<SourceListing>;
  read(file: SourceFile, options?: ReadOptions): Promise<Uint8Array>;
}

/**
 * git's blob hash of the bytes (what GitHub's tree API reports as `sha`): SHA-1 over `blob <byteLength>\0`
 * followed by the bytes. The length is in bytes, not characters, so non-ASCII text hashes correctly.
 */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

/**
 * Whether a file name is a TWIR issue: `*.md` or `*.markdown`, but not a README (upstream's `content/` may grow
 * one, and a README is never an issue). Case-insensitive, since both sources see names as they were committed.
 */
export function isIssueFileName(name: string): boolean {
  const lower = name.toLowerCase();
  if (!lower.endsWith('.md') && !lower.endsWith('.markdown')) return false;
  return lower !== 'readme.md' && lower !== 'readme.markdown';
}

/** Sorts files by name so listings are deterministic regardless of what order the source answered in. */
export function sortFiles(files: SourceFile[]): SourceFile[] {
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
