/**
 * A folder of TWIR markdown files as an `IssueSource` (e.g. a checkout of this-week-in-rust's `content/`).
 *
 * Hashes every file with `gitBlobSha` so the shas match what GitHub reports for the same bytes; switching a
 * store between a local checkout and GitHub therefore re-reads nothing that did not change.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { SourceError, SourceNotFoundError } from './errors.js';
import { gitBlobSha, type IssueSource, isIssueFileName, type SourceFile, type SourceListing, sortFiles } from './source.js';

/** Creates a source over the `*.md` / `*.markdown` files (not README) directly inside `dir`. */
export function createLocalSource(dir: string): IssueSource {
  const root = resolve(dir);
  return {
    description: `folder ${root}`,

    async list(): Promise<SourceListing> {
      const names = await listNames(root);
      const files: SourceFile[] = [];
      for (const name of names) files.push({ name, sha: gitBlobSha(await readFile(join(root, name))) });
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
