/**
 * One line for any store failure: which file, what went wrong, in words an
 * operator acts on ("disk full", "read-only", "damaged") instead of SQLite's
 * codes. better-sqlite3 throws `SqliteError` with `code` (SQLITE_FULL,
 * SQLITE_READONLY_DIRECTORY, …); the extended code's prefix is the family.
 */

/** A store problem with the file it concerns; `message` is the one line to show. */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    message: string,
    readonly path: string,
    /** SQLite's code (SQLITE_FULL, …) or a Node errno code, when there was one. */
    readonly code: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** SQLite's (or the file system's) error code, or null. */
export function storeErrorCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/**
 * Errors after which no later write can succeed either (the disk, the file or
 * its permissions are the problem, not the one issue): a sync stops at the
 * first instead of failing every remaining file the same way.
 */
export function isStoreWideFailure(err: unknown): boolean {
  const code = storeErrorCode(err) ?? '';
  return (
    /^SQLITE_(FULL|IOERR|READONLY|CORRUPT|NOTADB|CANTOPEN|PERM|BUSY|LOCKED|NOMEM)/.test(code) ||
    /^(ENOSPC|EROFS|EACCES|EPERM|EIO)$/.test(code)
  );
}

/** The cause in a few words: `disk full`, `the folder is read-only`, … (SQLite's own message as the fallback). */
export function describeStoreFailure(err: unknown): string {
  const code = storeErrorCode(err) ?? '';
  if (/^SQLITE_FULL|^ENOSPC$/.test(code)) return 'disk full';
  if (code === 'SQLITE_READONLY_DIRECTORY') return 'its folder is read-only';
  if (/^SQLITE_READONLY|^EROFS$/.test(code)) return 'the file is read-only';
  if (/^SQLITE_CORRUPT/.test(code)) return 'the database file is damaged (delete it and run `twir sync` to rebuild it)';
  if (code === 'SQLITE_NOTADB') return 'it is not a twir-bot store (not an SQLite database)';
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return 'another process kept the store locked for too long';
  if (/^SQLITE_CANTOPEN/.test(code)) return 'it cannot be opened (check that its folder exists and is readable)';
  if (/^SQLITE_PERM|^EACCES$|^EPERM$/.test(code)) return 'permission denied';
  if (/^SQLITE_IOERR|^EIO$/.test(code)) return `input/output error (${code})`;
  if (/^SQLITE_NOMEM/.test(code)) return 'out of memory';
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] ?? message;
}
