/**
 * The backfill marker: while a sync is storing many issues the store did not
 * have (the first run), answers that need the whole archive say how far it
 * has got instead of silently answering from part of it.
 *
 * It lives in the store's `state` table, so a one-shot `twir search` in
 * another process sees a `twir serve` backfill too. A sync that dies leaves
 * it behind, which is still true (the archive is incomplete) until the next
 * sync finishes.
 */
import type Database from 'better-sqlite3';

/** State key: the number of issues the store will hold once the backfill is done. */
export const BACKFILL_STATE_KEY = 'sync:backfill';

/** How far the backfill has got: issues stored now, of how many. */
export interface BackfillProgress {
  indexed: number;
  total: number;
}

/** Marks a backfill towards `total` stored issues. */
export function markBackfill(db: Database.Database, total: number): void {
  db.prepare('INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    BACKFILL_STATE_KEY,
    String(total),
  );
}

/** The backfill is over (every issue the sync could store is stored). */
export function clearBackfill(db: Database.Database): void {
  db.prepare('DELETE FROM state WHERE key = ?').run(BACKFILL_STATE_KEY);
}

/** The backfill in progress, or null when none is (or it has caught up). */
export function readBackfill(db: Database.Database): BackfillProgress | null {
  const value = db.prepare('SELECT value FROM state WHERE key = ?').pluck().get(BACKFILL_STATE_KEY);
  const total = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(total) || total <= 0) return null;
  const indexed = db.prepare('SELECT count(*) FROM issues').pluck().get() as number;
  return indexed < total ? { indexed, total } : null;
}
