/**
 * A folder of TWIR markdown files as an `IssueSource` (e.g. a checkout of this-week-in-rust's `content/`).
 *
 * Hashes every file with `gitBlobSha` so the shas match what GitHub reports for the same bytes; switching a
 * store between a local checkout and GitHub therefore re-reads nothing that did not change.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { SourceError, SourceNotFoundError } from './errors.js';
import { MAX_ISSUE_BYTES, oversize } from './issue-file-limits.js';
import {
  gitBlobSha,
  type IssueSource,
  isIssueFileName,
  type ListOptions,
  type ReadOptions,
  type SourceFile,
  type SourceListing,
  type SourceState,
  sortFiles,
} from './source.js';

export interface LocalSourceOptions {
  /**
   * Files larger than this are listed with their size but not read or hashed
   * (default `MAX_ISSUE_BYTES`): the sync refuses them by size anyway.
   */
  maxBytes?: number;
  /**
   * Remembers each file's sha by size and modification time, so a listing
   * stats the folder instead of reading and hashing every file (~150 ms for
   * the whole archive on a slow disk or CPU). A conditional=false listing
   * (`twir sync --force`) ignores it and hashes everything again.
   *
   * Keys hold the file's absolute path, so two folders synced into one store
   * never share an entry. The one limit: an edit that keeps both the size and
   * the modification time (e.g. a tool that restores mtimes) looks unchanged
   * until `twir sync --force`. Entries of removed files are left behind; they
   * are a few bytes each and harmless, since only a listed file is looked up.
   */
  state?: SourceState;
}

/** Creates a source over the `*.md` / `*.markdown` files (not README) directly inside `dir`. */
export function createLocalSource(dir: string, options: LocalSourceOptions = {}): IssueSource {
  const root = resolve(dir);
  const { state } = options;
  const maxHashBytes = options.maxBytes ?? MAX_ISSUE_BYTES;
  return {
    description: `folder ${root}`,

    async list(listOptions: ListOptions = {}): Promise<SourceListing> {
      const useCache = state !== undefined && listOptions.conditional !== false;
      const names = await listNames(root);
      const files: SourceFile[] = [];
      const warnings: string[] = [];
      // Synchronous stats: hundreds of tiny local calls are ~10x faster than their promise versions.
      for (const name of names) {
        const path = join(root, name);
        const key = `local.sha ${path}`;
        try {
          const { size, mtimeMs } = statSync(path);
          const stamp = `${size}:${mtimeMs}:`;
          const cached = useCache ? state.get(key) : undefined;
          if (cached?.startsWith(stamp)) {
            files.push({ name, sha: cached.slice(stamp.length), size });
            continue;
          }
          // A file past the cap is not read at all (a 150 MB file must not cost 150 MB to list); the
          // sync refuses it by its size. Its stand-in sha changes with its size and mtime.
          const sha = size > maxHashBytes ? oversizeSha(stamp) : gitBlobSha(readFileSync(path));
          state?.set(key, stamp + sha);
          files.push({ name, sha, size });
        } catch (error) {
          // Unreadable (EACCES), removed since readdir, or a symlink whose target is gone: skip this one file
          // rather than fail the whole sync, and mark the listing incomplete so its stored issue is kept.
          warnings.push(`${name}: skipped, cannot read it (${describeError(error)}); nothing is removed on this sync.`);
        }
      }
      return { notModified: false, files: sortFiles(files), complete: warnings.length === 0, warnings, commit() {} };
    },

    async read(file: SourceFile, readOptions: ReadOptions = {}): Promise<Uint8Array> {
      // Names come from our own listing, but a caller might pass a stored name; never leave the folder.
      if (basename(file.name) !== file.name) throw new SourceError(`Refusing to read "${file.name}": not a plain file name in ${root}.`);
      return readBounded(join(root, file.name), readOptions.maxBytes ?? Number.POSITIVE_INFINITY);
    },
  };
}

async function listNames(root: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new SourceNotFoundError(
        `TWIR source folder ${root} does not exist or is not a folder. Point TWIR_SOURCE at a folder of TWIR markdown files (e.g. a checkout of this-week-in-rust/content).`,
        { cause: error },
      );
    }
    throw error;
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (!isIssueFileName(entry.name)) continue;
    if (entry.isFile()) names.push(entry.name);
    // A symlinked issue counts when it points at a file (checkouts made with core.symlinks do this). One whose
    // target cannot be reached is listed too, so the caller reports it instead of silently dropping the issue.
    else if (entry.isSymbolicLink()) {
      const target = await stat(join(root, entry.name)).catch(() => null);
      if (!target || target.isFile()) names.push(entry.name);
    }
  }
  return names;
}

/**
 * Reads at most `maxBytes + 1` bytes: one more than allowed is enough to know
 * the file is too large, whatever it has grown to since it was listed.
 */
async function readBounded(path: string, maxBytes: number): Promise<Uint8Array> {
  if (!Number.isFinite(maxBytes)) return new Uint8Array(await readFile(path));
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const refusal = oversize(size, maxBytes);
    if (refusal) throw refusal;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // The first read asks for the whole file plus one byte, so a file that did not grow takes one read and an EOF.
      const chunk = Buffer.allocUnsafe(Math.max(1, Math.min(maxBytes + 1 - total, total === 0 ? size + 1 : 65_536)));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw oversize(total, maxBytes) as Error;
    }
    return new Uint8Array(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
  } finally {
    await handle.close();
  }
}

/** A sha for a file too large to hash: stable while its size and mtime are, and never a real blob's. */
function oversizeSha(stamp: string): string {
  return createHash('sha1').update(`oversize ${stamp}`).digest('hex');
}

/** `ENOENT, no such file or directory`: a file-system error without the path Node adds (the warning names the file). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const detail = /^[A-Z]+: ([^,]+)/.exec(error.message)?.[1];
  if (!code) return error.message;
  return detail ? `${code}, ${detail}` : code;
}
