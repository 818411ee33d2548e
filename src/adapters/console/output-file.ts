/**
 * Where `twir export --out PATH` may write: a new path or an existing regular
 * file, never anything else. The old way (write a temporary file, rename it
 * over PATH) silently replaced a symlink, a FIFO or a device node with a
 * regular file and reported success; a symlink in particular may be what the
 * operator meant to follow, and a FIFO someone is reading from.
 *
 * The document goes to a temporary file beside PATH and is renamed into place
 * once complete, so a failed export never leaves a truncated PATH or clobbers
 * a good one. An existing file keeps its permission bits.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type Stats } from 'node:fs';
import { chmod, lstat, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';

/** The path exists but is not something `--out` may replace; the message says what it is. */
export class OutputRefusedError extends Error {
  override name = 'OutputRefusedError';
}

/**
 * Calls `write` with a stream to a temporary file next to `out`, then renames
 * it over `out`. Refuses (OutputRefusedError) when `out` is a symlink, folder,
 * FIFO, socket or device, checked both before writing and again just before
 * the rename. Resolves with what `write` resolved with.
 */
export async function writeOutputFile<T>(out: string, write: (stream: Writable) => Promise<T>): Promise<T> {
  const target = resolve(out);
  const before = await existing(target);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const result = await write(createWriteStream(temp, { flags: 'wx' }));
    // The mode given to open is reduced by the umask; chmod gives exactly the bits of the file replaced.
    if (before) await chmod(temp, before.mode & 0o7777);
    // Checked again: something else may have been put there while the export ran.
    await existing(target);
    await rename(temp, target);
    return result;
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** The regular file at `path`, null for a new path; throws OutputRefusedError for anything else. */
async function existing(path: string): Promise<Stats | null> {
  let stats: Stats;
  try {
    stats = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (stats.isFile()) return stats;
  throw new OutputRefusedError(refusal(stats));
}

function refusal(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'it is a symbolic link; give the path of the file it points to, or a new path';
  if (stats.isDirectory()) return 'it is a folder';
  if (stats.isFIFO()) return 'it is a named pipe (FIFO); leave out --out to write to standard output';
  if (stats.isSocket()) return 'it is a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'it is a device; leave out --out to write to standard output';
  return 'it is not a regular file';
}
