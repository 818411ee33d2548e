/** Discord page states on PostgreSQL: any replica serves a click on a button another replica made. */
import type { PageStateStore } from '../shared-state.js';
import type { Pool } from './pool.js';

export function createPgPageStates(pool: Pool): PageStateStore {
  return {
    async get(key) {
      const { rows } = await pool.query<{ value: string }>('SELECT value FROM page_states WHERE key = $1', [key]);
      return rows[0]?.value;
    },
    async set(key, value, savedAt) {
      await pool.query(
        `INSERT INTO page_states (key, value, saved_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, saved_at = excluded.saved_at`,
        [key, value, savedAt],
      );
    },
    async prune(before) {
      await pool.query('DELETE FROM page_states WHERE saved_at < $1', [before]);
    },
  };
}
