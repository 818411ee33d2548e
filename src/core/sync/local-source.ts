/**
 * A folder of TWIR markdown files as an `IssueSource` (e.g. a checkout of this-week-in-rust's `content/`).
 *
 * Hashes every file with `gitBlobSha` so the shas match what GitHub reports for the same bytes; switching a
 * store between a local checkout and GitHub therefore re-reads nothing that did not change.
 */
import { readFileSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { SourceError, SourceNotFoundError } from './errors.js';
import {
  gitBlobSha,
  type IssueSource,
  isIssueFileName,
  type ListOptions,
  type SourceFile,
  type SourceListing,
  type SourceState,
  sortFiles,
} from './source.js';

export interface LocalSourceOptions {
  /**
   * Remembers each file's sha by size and modification time, so a listing
   * stats the folder instead of reading and hashing every file (~150 ms for
   * the whole archive on a slow disk or CPU). A conditional=false listing
   * (`twir sync --force`) ignores it and hashes everything again.
   */
  state?: SourceState;
}

/** Creates a source over the `*.md` / `*.markdown` files (not README) directly inside `dir`. */
export function createLocalSource(dir: string, options: LocalSourceOptions = {}): IssueSource {
  const root = resolve(dir);
  const { state } = options;
  return {
    description: `folder ${root}`,

    async list(listOptions: ListOptions = {}): Promise<SourceListing> {
      const useCache = state !== undefined && listOptions.conditional !== false;
      const names = await listNames(root);
      // Synchronous stats: hundreds of tiny local calls are ~10x faster than their promise versions.
      const files = names.map((name): SourceFile => {
        const path = join(root, name);
        const key = `local.sha ${path}`;
        const { size, mtimeMs } = statSync(path);
        const stamp = `${size}:${mtimeMs}:`;
        const cached = useCache ? state.get(key) : undefined;
        if (cached?.startsWith(stamp)) return { name, sha: cached.slice(stamp.length) };
        const sha = gitBlobSha(readFileSync(path));
        state?.set(key, stamp + sha);
        return { name, sha };
      });
      return { notModified: false, files: sortFiles(files), complete: true, warnings: [], commit() {} };
    },

    async read(file: SourceFile): Promise<Uint8Array> {
      // Names come from our own listing, but a caller might pass a stored name; never leave the folder.
      if (basename(file.name) !== file.name) throw new SourceError(`Refusing to read "${file.name}": not a plain file name in ${root}.`);
      return new Uint8Array(await readFile(join(root, file.name)));
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
    // A symlinked issue counts when it points at a file (checkouts made with core.symlinks do this).
    else if (entry.isSymbolicLink() && (await stat(join(root, entry.name)).catch(() => null))?.isFile()) names.push(entry.name);
  }
  return names;
}
