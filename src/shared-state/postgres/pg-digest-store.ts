/**
 * The DigestStore on PostgreSQL, for several replicas sharing one delivery
 * log. Same tables and semantics as the SQLite store (src/digest/digest-store.ts;
 * the contract tests in test/shared-state/ run against both); what several
 * processes may race on is one conditional statement or one transaction:
 * `announce` inserts the issue with ON CONFLICT DO NOTHING first, so of two
 * replicas announcing the same issue one plans its deliveries and the other
 * gets false; `markSending` is an UPDATE conditioned on the state and attempt
 * count the caller read, so of two processes holding the same job one posts.
 */
import {
  BASELINE_KEY,
  type DigestStore,
  type JobRow,
  type LastTest,
  PAUSE_AFTER_FAILURES,
  type SubscriptionRow,
  toJob,
  toSubscription,
} from '../../digest/digest-store.js';
import type { DeliveryRecord, DeliveryState, FanoutRecord, Subscription } from '../../digest/types.js';
import { inTransaction, type Pool, type Queryable } from './pool.js';

// Byte-wise, as SQLite orders TEXT: the columns are COLLATE "C" (schema.ts), so the unique index serves it.
const BY_CHANNEL = 'ORDER BY platform, workspace_id, channel_id';

const SELECT_DUE_DELIVERIES = `
  SELECT d.id, d.issue_number, d.state, d.attempts, d.started_at, s.id AS sub_id, s.platform, s.workspace_id, s.channel_id, s.settings
  FROM digest_deliveries d JOIN digest_subscriptions s ON s.id = d.subscription_id
  WHERE d.state IN ('pending', 'sending') AND d.next_attempt_at <= $1 AND s.paused_at IS NULL
    AND ($3::text IS NULL OR s.platform = $3)
  ORDER BY d.next_attempt_at, d.id LIMIT $2`;

const SELECT_DUE_TESTS = `
  SELECT id, issue_number, state, attempts, NULL AS started_at, NULL AS sub_id, platform, workspace_id, channel_id, settings
  FROM digest_tests WHERE state IN ('pending', 'sending') AND next_attempt_at <= $1 AND ($3::text IS NULL OR platform = $3)
  ORDER BY id LIMIT $2`;

/** Re-queues the subscription's newest delivery when it failed or was missed (back in doubt if it was tried). */
const REQUEUE_NEWEST_FAILED = `
  UPDATE digest_deliveries SET state = CASE WHEN started_at IS NULL THEN 'pending' ELSE 'sending' END, next_attempt_at = $1,
    finished_at = NULL
  WHERE id = (SELECT id FROM digest_deliveries WHERE subscription_id = $2 ORDER BY issue_number DESC LIMIT 1)
    AND state IN ('failed', 'missed')`;

const RESUME = 'UPDATE digest_subscriptions SET paused_at = NULL, paused_reason = NULL, consecutive_failures = 0 WHERE id = $1';

/** The DigestStore on `pool` (the schema from schema.ts must be in place: `migrate`). */
export function createPgDigestStore(pool: Pool): DigestStore {
  const one = async <T>(db: Queryable, text: string, values: unknown[] = []): Promise<T | undefined> =>
    (await db.query(text, values)).rows[0] as T | undefined;
  const byKey = (db: Queryable, k: { platform: string; workspaceId: string; channelId: string }, lock = false) =>
    one<SubscriptionRow>(
      db,
      `SELECT * FROM digest_subscriptions WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3${lock ? ' FOR UPDATE' : ''}`,
      [k.platform, k.workspaceId, k.channelId],
    );
  const allSubscriptions = async (db: Queryable) =>
    (await db.query<SubscriptionRow>(`SELECT * FROM digest_subscriptions ${BY_CHANNEL}`)).rows.map(toSubscription);

  return {
    async subscribe(key, settings, sinceNumber, by, now, names) {
      const iso = now.toISOString();
      const workspaceName = names?.workspace?.slice(0, 200) ?? null;
      const channelName = names?.channel?.slice(0, 200) ?? null;
      return inTransaction(pool, async (db) => {
        // Two replicas subscribing the same channel at once: one inserts, the other updates the row it waits for.
        const inserted = await one<SubscriptionRow>(
          db,
          `INSERT INTO digest_subscriptions (platform, workspace_id, channel_id, settings, since_number, created_by, created_at, updated_at,
             workspace_name, channel_name)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)
           ON CONFLICT (platform, workspace_id, channel_id) DO NOTHING RETURNING *`,
          [key.platform, key.workspaceId, key.channelId, JSON.stringify(settings), sinceNumber, by, iso, workspaceName, channelName],
        );
        if (inserted) return { subscription: toSubscription(inserted), created: true, resumed: false };
        const existing = (await byKey(db, key, true)) as SubscriptionRow;
        const resumed = existing.paused_at !== null;
        // Names only move forward: a later subscribe that knows none keeps the ones already stored.
        await db.query(
          `UPDATE digest_subscriptions SET settings = $1, updated_at = $2, consecutive_failures = 0, last_error = NULL, paused_at = NULL,
             paused_reason = NULL, workspace_name = coalesce($3, workspace_name), channel_name = coalesce($4, channel_name) WHERE id = $5`,
          [JSON.stringify(settings), iso, workspaceName, channelName, existing.id],
        );
        // Resuming also plans the newest announced issue if it came while the subscription was paused.
        if (resumed)
          await db.query(
            `INSERT INTO digest_deliveries (subscription_id, issue_number, state, due_at, next_attempt_at)
             SELECT $1, n, 'pending', $2, $2 FROM (SELECT max(number) AS n FROM digest_issues) m
             WHERE n IS NOT NULL AND n > coalesce((SELECT since_number FROM digest_subscriptions WHERE id = $1), -1)
             ON CONFLICT (subscription_id, issue_number) DO NOTHING`,
            [existing.id, iso],
          );
        // Subscribing again after any failure (not only a pause) brings the newest issue that did not arrive.
        await db.query(REQUEUE_NEWEST_FAILED, [iso, existing.id]);
        return { subscription: toSubscription((await byKey(db, key)) as SubscriptionRow), created: false, resumed };
      });
    },
    async reschedule(subscriptionId, dueFor) {
      return inTransaction(pool, async (db) => {
        const { rows } = await db.query<{ id: number; announced_at: string }>(
          `SELECT d.id, i.announced_at FROM digest_deliveries d JOIN digest_issues i ON i.number = d.issue_number
           WHERE d.subscription_id = $1 AND d.state = 'pending' AND d.attempts = 0 FOR UPDATE OF d`,
          [subscriptionId],
        );
        for (const r of rows) {
          const at = dueFor(new Date(r.announced_at)).toISOString();
          await db.query('UPDATE digest_deliveries SET due_at = $1, next_attempt_at = $1 WHERE id = $2', [at, r.id]);
        }
        return rows.length;
      });
    },
    async unsubscribe(key) {
      const r = await pool.query('DELETE FROM digest_subscriptions WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3', [
        key.platform,
        key.workspaceId,
        key.channelId,
      ]);
      return (r.rowCount ?? 0) > 0;
    },
    async subscription(key) {
      const row = await byKey(pool, key);
      return row ? toSubscription(row) : undefined;
    },
    subscriptions: () => allSubscriptions(pool),
    async highestAnnounced() {
      const row = await one<{ announced: number | null; baseline: string | null }>(
        pool,
        `SELECT (SELECT max(number) FROM digest_issues) AS announced, (SELECT value FROM digest_state WHERE key = $1) AS baseline`,
        [BASELINE_KEY],
      );
      const values = [row?.announced ?? null, row?.baseline == null ? null : Number(row.baseline)].filter((n): n is number => n !== null);
      return values.length ? Math.max(...values) : null;
    },
    async setBaseline(number) {
      await pool.query('INSERT INTO digest_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
        BASELINE_KEY,
        String(number),
      ]);
    },
    async announce(issue, plan, now) {
      const iso = now.toISOString();
      const announced = await inTransaction(pool, async (db) => {
        // The issue row first: a replica announcing the same issue concurrently waits on it here, then finds it taken.
        const claimed = await db.query(
          'INSERT INTO digest_issues (number, file, announced_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [issue.number, issue.file, iso],
        );
        if ((claimed.rowCount ?? 0) === 0) return false;
        // One statement for the whole plan (100,000 channels are one round trip, not 100,000). Subscriptions
        // removed since the plan was made are skipped rather than failing the announcement.
        await db.query(
          `INSERT INTO digest_deliveries (subscription_id, issue_number, state, due_at, next_attempt_at)
           SELECT p.sub, p.n, 'pending', p.due, p.due FROM unnest($1::int[], $2::int[], $3::text[]) AS p(sub, n, due)
           JOIN digest_subscriptions s ON s.id = p.sub
           ON CONFLICT (subscription_id, issue_number) DO NOTHING`,
          [plan.map((p) => p.subscriptionId), plan.map((p) => p.issueNumber), plan.map((p) => p.dueAt)],
        );
        // Only rows already tried (attempts > 0) are superseded: a weekly slot still waiting is not an outage.
        for (const n of new Set(plan.map((p) => p.issueNumber))) {
          await db.query(
            `UPDATE digest_deliveries d SET state = 'missed', finished_at = $1,
               last_error = 'superseded by #' || $2::int || coalesce(' after: ' || d.last_error, '')
             FROM unnest($3::int[]) AS p(sub)
             WHERE d.subscription_id = p.sub AND d.issue_number < $2 AND d.state = 'pending' AND d.attempts > 0`,
            [iso, n, plan.filter((p) => p.issueNumber === n).map((p) => p.subscriptionId)],
          );
        }
        return true;
      });
      // Thousands of rows at once leave the planner's statistics behind until autovacuum comes round: meanwhile
      // every fan-out batch would sort the whole log (200 ms at 100,000 rows) instead of reading the open index (2 ms).
      if (announced && plan.length >= 1000) await pool.query('ANALYZE digest_deliveries');
      return announced;
    },
    async due(now, limit, platform) {
      const params = [now.toISOString(), limit, platform ?? null];
      const tests = (await pool.query<JobRow>(SELECT_DUE_TESTS, params)).rows.map(toJob('test'));
      const deliveries = (await pool.query<JobRow>(SELECT_DUE_DELIVERIES, params)).rows.map(toJob('issue'));
      return [...tests, ...deliveries].slice(0, limit);
    },
    async nextDue(after) {
      const iso = after.toISOString();
      const row = await one<{ at: string | null }>(
        pool,
        `SELECT min(at) AS at FROM (
           SELECT min(d.next_attempt_at) AS at FROM digest_deliveries d JOIN digest_subscriptions s ON s.id = d.subscription_id
           WHERE d.state IN ('pending', 'sending') AND s.paused_at IS NULL AND d.next_attempt_at > $1
           UNION ALL
           SELECT min(next_attempt_at) FROM digest_tests WHERE state IN ('pending', 'sending') AND next_attempt_at > $1) t`,
        [iso],
      );
      return row?.at ? new Date(row.at) : null;
    },
    async markSending(job, now) {
      const r =
        job.kind === 'issue'
          ? await pool.query(
              `UPDATE digest_deliveries SET state = 'sending', attempts = attempts + 1, started_at = $1
               WHERE id = $2 AND state IN ('pending', 'sending') AND attempts = $3`,
              [now.toISOString(), job.id, job.attempts],
            )
          : await pool.query(
              `UPDATE digest_tests SET state = 'sending', attempts = attempts + 1 WHERE id = $1 AND state IN ('pending', 'sending') AND attempts = $2`,
              [job.id, job.attempts],
            );
      return (r.rowCount ?? 0) > 0;
    },
    async markSent(job, messageId, now) {
      await inTransaction(pool, async (db) => {
        if (job.kind === 'issue') {
          await db.query(
            `UPDATE digest_deliveries SET state = 'sent', finished_at = $1, message_id = $2, last_error = NULL WHERE id = $3 AND state <> 'sent'`,
            [now.toISOString(), messageId, job.id],
          );
        } else {
          await db.query(`UPDATE digest_tests SET state = 'sent', finished_at = $1, message_id = $2, last_error = NULL WHERE id = $3`, [
            now.toISOString(),
            messageId,
            job.id,
          ]);
        }
        if (job.subscriptionId !== null)
          await db.query('UPDATE digest_subscriptions SET consecutive_failures = 0, last_error = NULL WHERE id = $1', [job.subscriptionId]);
      });
    },
    async retryAt(job, at, error, inDoubt) {
      const table = job.kind === 'issue' ? 'digest_deliveries' : 'digest_tests';
      await pool.query(`UPDATE ${table} SET state = $1, next_attempt_at = $2, last_error = $3 WHERE id = $4`, [
        inDoubt ? 'sending' : 'pending',
        at.toISOString(),
        error.slice(0, 500),
        job.id,
      ]);
    },
    async channelFailure(job, error, retry, now) {
      const reason = error.slice(0, 500);
      const iso = now.toISOString();
      if (job.subscriptionId === null) {
        await pool.query(`UPDATE digest_tests SET state = 'failed', finished_at = $1, last_error = $2 WHERE id = $3`, [
          iso,
          reason,
          job.id,
        ]);
        return { paused: false };
      }
      const subId = job.subscriptionId;
      return inTransaction(pool, async (db) => {
        const row = await one<{ consecutive_failures: number }>(
          db,
          'UPDATE digest_subscriptions SET consecutive_failures = consecutive_failures + 1, last_error = $1 WHERE id = $2 RETURNING consecutive_failures',
          [reason, subId],
        );
        if ((row?.consecutive_failures ?? 0) >= PAUSE_AFTER_FAILURES) {
          await db.query('UPDATE digest_subscriptions SET paused_at = $1, paused_reason = $2 WHERE id = $3', [iso, reason, subId]);
          // A paused channel: its open deliveries are missed (an in-doubt one too: the retry that re-queues it
          // goes back in doubt, so it is never posted twice).
          await db.query(
            `UPDATE digest_deliveries SET state = 'missed', finished_at = $1, last_error = $2 WHERE subscription_id = $3 AND state IN ('pending', 'sending')`,
            [iso, `paused: ${reason}`, subId],
          );
          return { paused: true };
        }
        await db.query(`UPDATE digest_deliveries SET state = 'pending', next_attempt_at = $1, last_error = $2 WHERE id = $3`, [
          retry.toISOString(),
          reason,
          job.id,
        ]);
        return { paused: false };
      });
    },
    async markFailed(job, error, now) {
      const table = job.kind === 'issue' ? 'digest_deliveries' : 'digest_tests';
      await pool.query(`UPDATE ${table} SET state = 'failed', finished_at = $1, last_error = $2 WHERE id = $3`, [
        now.toISOString(),
        error.slice(0, 500),
        job.id,
      ]);
    },
    async requestTest(key, settings, issueNumber, by, now) {
      const iso = now.toISOString();
      const row = await one<{ id: number }>(
        pool,
        `INSERT INTO digest_tests (platform, workspace_id, channel_id, settings, issue_number, requested_by, requested_at, next_attempt_at, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 'pending') RETURNING id`,
        [key.platform, key.workspaceId, key.channelId, JSON.stringify(settings), issueNumber, by, iso],
      );
      return row?.id ?? 0;
    },
    async recentDeliveries(subscriptionId, limit) {
      const { rows } = await pool.query<DeliveryRecord>(
        `SELECT issue_number AS "issueNumber", state, due_at AS "dueAt", attempts, finished_at AS "finishedAt", last_error AS "lastError"
         FROM digest_deliveries WHERE subscription_id = $1 ORDER BY issue_number DESC LIMIT $2`,
        [subscriptionId, limit],
      );
      return rows;
    },
    lastTest: (key) =>
      one<LastTest>(
        pool,
        `SELECT issue_number AS "issueNumber", state, requested_at AS "requestedAt", last_error AS "lastError" FROM digest_tests
         WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3 ORDER BY id DESC LIMIT 1`,
        [key.platform, key.workspaceId, key.channelId],
      ),
    async recordFanout(run) {
      await pool.query(
        `INSERT INTO digest_fanouts (started_at, finished_at, duration_ms, sent, failed, deferred, rate_limited, paused)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [run.startedAt, run.finishedAt, run.durationMs, run.sent, run.failed, run.deferred, run.rateLimited, run.paused],
      );
    },
    lastFanout: () =>
      one<FanoutRecord>(
        pool,
        `SELECT started_at AS "startedAt", finished_at AS "finishedAt", duration_ms AS "durationMs", sent, failed, deferred,
         rate_limited AS "rateLimited", paused FROM digest_fanouts ORDER BY id DESC LIMIT 1`,
      ),
    async counts() {
      const out: Record<DeliveryState, number> = { pending: 0, sending: 0, sent: 0, failed: 0, missed: 0 };
      const { rows } = await pool.query<{ state: DeliveryState; n: number }>(
        'SELECT state, count(*)::int AS n FROM digest_deliveries GROUP BY state',
      );
      for (const r of rows) out[r.state] = r.n;
      return out;
    },
    async requeue(which, issueNumber, now) {
      const iso = now.toISOString();
      return inTransaction(pool, async (db) => {
        const picked = (await allSubscriptions(db)).filter(which);
        const ids = picked.map((s) => s.id);
        // The issue asked for, or each subscription's newest delivery when that one failed or was missed.
        const targets = new Map<number, number>();
        if (issueNumber !== null) for (const id of ids) targets.set(id, issueNumber);
        else {
          const { rows } = await db.query<{ subscription_id: number; issue_number: number; state: string }>(
            `SELECT DISTINCT ON (subscription_id) subscription_id, issue_number, state FROM digest_deliveries
             WHERE subscription_id = ANY($1::int[]) ORDER BY subscription_id, issue_number DESC`,
            [ids],
          );
          for (const r of rows) if (r.state === 'failed' || r.state === 'missed') targets.set(r.subscription_id, r.issue_number);
        }
        const { rows: requeued } = await db.query<{ subscription_id: number; issue_number: number }>(
          `UPDATE digest_deliveries d SET state = CASE WHEN d.started_at IS NULL THEN 'pending' ELSE 'sending' END,
             next_attempt_at = $1, finished_at = NULL
           FROM unnest($2::int[], $3::int[]) AS t(sub, n)
           WHERE d.subscription_id = t.sub AND d.issue_number = t.n AND d.state IN ('failed', 'missed')
           RETURNING d.subscription_id, d.issue_number`,
          [iso, [...targets.keys()], [...targets.values()]],
        );
        const done = new Map(requeued.map((r) => [r.subscription_id, r.issue_number]));
        await db.query(
          'UPDATE digest_subscriptions SET paused_at = NULL, paused_reason = NULL, consecutive_failures = 0 WHERE id = ANY($1::int[])',
          [[...done.keys()]],
        );
        const out: { subscription: Subscription; issueNumber: number }[] = [];
        for (const sub of picked) {
          const n = done.get(sub.id);
          if (n === undefined) continue;
          out.push({ subscription: toSubscription((await byKey(db, sub)) as SubscriptionRow), issueNumber: n });
        }
        return out;
      });
    },
    async pause(subscriptionId, reason, now) {
      await pool.query('UPDATE digest_subscriptions SET paused_at = $1, paused_reason = $2 WHERE id = $3', [
        now.toISOString(),
        reason.slice(0, 500),
        subscriptionId,
      ]);
    },
    async resume(subscriptionId) {
      await pool.query(RESUME, [subscriptionId]);
    },
    async remove(subscriptionId) {
      await pool.query('DELETE FROM digest_subscriptions WHERE id = $1', [subscriptionId]);
    },
  };
}
