/**
 * `twir db migrate-to-postgres`: copies the shared state of an existing
 * SQLite install (TWIR_DB) into PostgreSQL (DATABASE_URL), so a single
 * machine can become several replicas without anyone subscribing again.
 *
 * Copied: subscriptions (settings, names, pause state, failure count), the
 * announced issues and the detection baseline, the whole delivery log (open,
 * failed and missed rows keep their state, so the fan-out resumes where the
 * SQLite one stopped), Slack installations and Discord page states. Not
 * copied: queued test posts and the fan-out history (both short-lived), and
 * leases (held by running processes, which must be stopped first).
 *
 * Idempotent: rows already in PostgreSQL (same channel, same issue, same
 * delivery, same installation) are left as they are, so running it twice,
 * or after replicas started writing, duplicates nothing. One transaction.
 */
import type Database from 'better-sqlite3';
import { BASELINE_KEY, type SubscriptionRow } from '../../digest/digest-store.js';
import { inTransaction, type Pool } from './pool.js';

/** How many rows of each kind were copied, and how many were already there. */
export interface CopyReport {
  subscriptions: { copied: number; existing: number };
  announcedIssues: { copied: number; existing: number };
  deliveries: { copied: number; existing: number };
  installations: { copied: number; existing: number };
  pageStates: { copied: number; existing: number };
  baseline: number | null;
}

interface DeliveryRow {
  subscription_id: number;
  issue_number: number;
  state: string;
  due_at: string;
  next_attempt_at: string;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  message_id: string | null;
  last_error: string | null;
}

const count = (copied: number, total: number) => ({ copied, existing: total - copied });

/** Copies `sqlite`'s shared state into the (migrated) PostgreSQL database behind `pool`. */
export async function copySqliteToPostgres(sqlite: Database.Database, pool: Pool): Promise<CopyReport> {
  const subs = sqlite.prepare('SELECT * FROM digest_subscriptions ORDER BY id').all() as SubscriptionRow[];
  const issues = sqlite.prepare('SELECT number, file, announced_at FROM digest_issues ORDER BY number').all() as {
    number: number;
    file: string;
    announced_at: string;
  }[];
  const deliveries = sqlite.prepare('SELECT * FROM digest_deliveries ORDER BY id').all() as DeliveryRow[];
  const installations = sqlite.prepare('SELECT * FROM slack_installations ORDER BY id').all() as Record<string, unknown>[];
  const pages = sqlite
    .prepare("SELECT key, value, coalesce(json_extract(value, '$.at'), '') AS saved_at FROM state WHERE key LIKE 'discord:page:%'")
    .all() as { key: string; value: string; saved_at: string }[];
  const baselineRow = sqlite.prepare('SELECT value FROM state WHERE key = ?').get(BASELINE_KEY) as { value: string } | undefined;
  const col = <T, K extends keyof T>(rows: readonly T[], key: K) => rows.map((r) => r[key]);

  return inTransaction(pool, async (db) => {
    const subsCopied = await db.query(
      `INSERT INTO digest_subscriptions (platform, workspace_id, channel_id, settings, since_number, created_by, created_at, updated_at,
         consecutive_failures, last_error, paused_at, paused_reason, workspace_name, channel_name)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::int[],
         $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
       ON CONFLICT (platform, workspace_id, channel_id) DO NOTHING`,
      [
        col(subs, 'platform'),
        col(subs, 'workspace_id'),
        col(subs, 'channel_id'),
        col(subs, 'settings'),
        col(subs, 'since_number'),
        col(subs, 'created_by'),
        col(subs, 'created_at'),
        col(subs, 'updated_at'),
        col(subs, 'consecutive_failures'),
        col(subs, 'last_error'),
        col(subs, 'paused_at'),
        col(subs, 'paused_reason'),
        subs.map((s) => s.workspace_name ?? null),
        subs.map((s) => s.channel_name ?? null),
      ],
    );
    // SQLite's subscription ids → PostgreSQL's (new or already there), by channel.
    const { rows: ids } = await db.query<{ sqlite_id: number; id: number }>(
      `SELECT k.sqlite_id, s.id FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS k(sqlite_id, platform, workspace_id, channel_id)
       JOIN digest_subscriptions s USING (platform, workspace_id, channel_id)`,
      [col(subs, 'id'), col(subs, 'platform'), col(subs, 'workspace_id'), col(subs, 'channel_id')],
    );
    const idOf = new Map(ids.map((r) => [r.sqlite_id, r.id]));
    const issuesCopied = await db.query(
      `INSERT INTO digest_issues (number, file, announced_at) SELECT * FROM unnest($1::int[], $2::text[], $3::text[])
       ON CONFLICT (number) DO NOTHING`,
      [col(issues, 'number'), col(issues, 'file'), col(issues, 'announced_at')],
    );
    const mapped = deliveries.filter((d) => idOf.has(d.subscription_id));
    const deliveriesCopied = await db.query(
      `INSERT INTO digest_deliveries (subscription_id, issue_number, state, due_at, next_attempt_at, attempts, started_at, finished_at,
         message_id, last_error)
       SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[])
       ON CONFLICT (subscription_id, issue_number) DO NOTHING`,
      [
        mapped.map((d) => idOf.get(d.subscription_id)),
        col(mapped, 'issue_number'),
        col(mapped, 'state'),
        col(mapped, 'due_at'),
        col(mapped, 'next_attempt_at'),
        col(mapped, 'attempts'),
        col(mapped, 'started_at'),
        col(mapped, 'finished_at'),
        col(mapped, 'message_id'),
        col(mapped, 'last_error'),
      ],
    );
    const installsCopied = await db.query(
      `INSERT INTO slack_installations (id, team_id, enterprise_id, is_enterprise_install, team_name, bot_token, bot_user_id, installation, installed_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       ON CONFLICT (id) DO NOTHING`,
      [
        col(installations, 'id'),
        col(installations, 'team_id'),
        col(installations, 'enterprise_id'),
        installations.map((i) => Boolean(i.is_enterprise_install)),
        col(installations, 'team_name'),
        col(installations, 'bot_token'),
        col(installations, 'bot_user_id'),
        col(installations, 'installation'),
        col(installations, 'installed_at'),
      ],
    );
    const pagesCopied = await db.query(
      `INSERT INTO page_states (key, value, saved_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (key) DO NOTHING`,
      [col(pages, 'key'), col(pages, 'value'), col(pages, 'saved_at')],
    );
    // The baseline only moves forward: a PostgreSQL one that is already higher stays.
    const baseline = baselineRow ? Number(baselineRow.value) : null;
    if (baseline !== null)
      await db.query(
        `INSERT INTO digest_state (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE digest_state.value::int < excluded.value::int`,
        [BASELINE_KEY, String(baseline)],
      );
    return {
      subscriptions: count(subsCopied.rowCount ?? 0, subs.length),
      announcedIssues: count(issuesCopied.rowCount ?? 0, issues.length),
      deliveries: count(deliveriesCopied.rowCount ?? 0, mapped.length),
      installations: count(installsCopied.rowCount ?? 0, installations.length),
      pageStates: count(pagesCopied.rowCount ?? 0, pages.length),
      baseline,
    };
  });
}
