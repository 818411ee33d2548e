/**
 * "The shared state for this configuration": PostgreSQL when DATABASE_URL is
 * set (every replica then shares subscriptions, deliveries, leases, page
 * states and Slack installations), otherwise the SQLite store's own tables.
 * The only place that chooses a backend; callers see `SharedState`.
 */
import type { Config } from '../config.js';
import type { IssueStore } from '../core/store/store.js';
import type { SharedState } from './shared-state.js';
import { sqliteSharedState } from './sqlite-shared-state.js';

/** Opens the shared state (migrating PostgreSQL's schema on first use); close it before the store. */
export async function openSharedState(config: Pick<Config, 'databaseUrl'>, store: IssueStore): Promise<SharedState> {
  if (!config.databaseUrl) return sqliteSharedState(store);
  // Imported only then: an embedded install never loads node-postgres.
  const { openPostgresSharedState } = await import('./postgres/postgres-shared-state.js');
  return openPostgresSharedState({ connectionString: config.databaseUrl });
}
