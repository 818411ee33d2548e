/**
 * Opening the store's SQLite file so that several processes can share it
 * (`twir serve`, a `twir sync` from cron, one-shot queries):
 *
 * - WAL journal: readers never block the writer or each other, and each read
 *   transaction sees one committed state.
 * - A busy timeout: a writer waits for another's short transaction instead of
 *   failing with "database is locked".
 * - Schema creation and migration inside one EXCLUSIVE transaction that
 *   re-reads the version, so two processes opening a new store at once cannot
 *   both run `CREATE TABLE` ("table issues already exists").
 * - Read-only opening for queries: a read-only file or folder still answers,
 *   and a mistyped path is reported instead of created.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import { describeStoreFailure, StoreError, storeErrorCode } from './store-errors.js';

type Db = Database.Database;

/** How long a write waits for another process's transaction before giving up. */
const BUSY_TIMEOUT_MS = 15_000;

/** Options for `openStore`. */
export interface OpenStoreOptions {
  /** Path of the database file, or `:memory:`. */
  path: string;
  /**
   * Open for reading only (query commands, export): the file must exist, and
   * nothing is created. A store whose schema is older is upgraded first when
   * its file is writable.
   */
  readonly?: boolean;
}

/** The store was written by a newer twir-bot: refused rather than misread. */
export class StoreVersionError extends StoreError {
  override name = 'StoreVersionError';
  constructor(
    path: string,
    readonly found: number,
  ) {
    super(
      `${path} was written by a newer twir-bot (schema ${found}, this one knows ${SCHEMA_VERSION}); upgrade, or delete the file and sync again.`,
      path,
      null,
    );
  }
}

/** Opens (creating and migrating as needed, unless read-only) the database at `options.path`. */
export function openDatabase(options: OpenStoreOptions): Db {
  const { path } = options;
  if (path === ':memory:') return prepared(new Database(':memory:'), path);
  if (!options.readonly) return openWritable(path);
  if (!existsSync(path)) {
    throw new StoreError(`the store ${path} does not exist: run \`twir sync\` to create it, or check TWIR_DB.`, path, 'ENOENT');
  }
  try {
    return openReadonly(path);
  } catch (err) {
    if (err instanceof StoreError) throw err;
    // WAL readers need the `-shm` index next to the file; in a read-only folder it cannot be made.
    if (storeErrorCode(err) === 'SQLITE_READONLY_DIRECTORY' || storeErrorCode(err) === 'SQLITE_CANTOPEN') return openCopy(path);
    throw failure(path, err);
  }
}

function openWritable(path: string): Db {
  let db: Db | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    // Asking first avoids taking the exclusive lock that switching modes needs on every open.
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    return prepared(db, path);
  } catch (err) {
    if (db?.open) db.close();
    throw err instanceof StoreError ? err : failure(path, err);
  }
}

function openReadonly(path: string): Db {
  const db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new StoreVersionError(path, version);
    if (version === SCHEMA_VERSION) return prepared(db, path, true);
  } catch (err) {
    db.close();
    throw err;
  }
  // An older schema (this release added a migration): upgrade once through a writable connection.
  db.close();
  try {
    openWritable(path).close();
  } catch (err) {
    throw new StoreError(
      `the store ${path} needs upgrading to schema ${SCHEMA_VERSION} and cannot be written (${describeStoreFailure(err instanceof StoreError ? err.cause : err)}); run \`twir sync\` once with write access.`,
      path,
      storeErrorCode(err),
      { cause: err },
    );
  }
  return openReadonly(path);
}

/**
 * A private in-memory copy of the file, for a store in a read-only folder (a
 * read-only mount, an image). Nothing can be writing it there, so the main
 * file is complete. The header's WAL flag is cleared: an in-memory database
 * cannot use WAL.
 */
function openCopy(path: string): Db {
  let db: Db | undefined;
  try {
    const bytes = readFileSync(path);
    // Bytes 18 and 19 of the header: file format versions, 2 = WAL, 1 = rollback journal.
    if (bytes.length >= 100 && bytes[18] === 2) bytes[18] = bytes[19] = 1;
    db = new Database(bytes, { readonly: true });
    return prepared(db, path, true);
  } catch (err) {
    db?.close();
    throw err instanceof StoreError ? err : failure(path, err);
  }
}

/** Foreign keys on, schema current (migrated here unless read-only). */
function prepared(db: Db, path: string, readonly = false): Db {
  try {
    db.pragma('foreign_keys = ON');
    if (!readonly) migrate(db, path);
    return db;
  } catch (err) {
    if (db.open) db.close();
    throw err instanceof StoreError ? err : failure(path, err);
  }
}

function migrate(db: Db, path: string): void {
  if ((db.pragma('user_version', { simple: true }) as number) === SCHEMA_VERSION) return;
  // EXCLUSIVE, and the version read again inside: another process may have migrated while we waited.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new StoreVersionError(path, version);
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] as string);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).exclusive();
}

function failure(path: string, err: unknown): StoreError {
  return new StoreError(`cannot open the store ${path}: ${describeStoreFailure(err)}`, path, storeErrorCode(err), { cause: err });
}
