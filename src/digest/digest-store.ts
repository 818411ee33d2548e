/**
 * The digest's durable state behind a small async interface with two
 * backends: this file's SQLite one, on the store's own connection (same file,
 * same WAL), and PostgreSQL for several replicas (src/shared-state/postgres/).
 * Every state change is one statement or one transaction in both, and the
 * same contract tests (test/shared-state/) run against both.
 */
import type { Database } from 'better-sqlite3';
import type { DigestSettings } from './settings.js';
import type { ChannelKey, DeliveryJob, DeliveryRecord, DeliveryState, DigestPlatform, FanoutRecord, Subscription } from './types.js';

/** A delivery the plan decided on (see plan.ts). */
export interface PlannedDelivery {
  subscriptionId: number;
  issueNumber: number;
  dueAt: string;
}

/** The newest test post of a channel, for `/twir digest`. */
export interface LastTest {
  issueNumber: number;
  state: DeliveryState;
  requestedAt: string;
  lastError: string | null;
}

/** After how many consecutive 403/404-class failures a subscription is paused. */
export const PAUSE_AFTER_FAILURES = 3;

/** State key of the detection baseline (see `setBaseline`). */
export const BASELINE_KEY = 'digest:baseline';

export interface DigestStore {
  /** Creates or updates (and resumes) the channel's subscription. */
  subscribe(
    key: ChannelKey,
    settings: DigestSettings,
    sinceNumber: number | null,
    by: string | null,
    now: Date,
    names?: { workspace?: string | null; channel?: string | null },
  ): Promise<{ subscription: Subscription; created: boolean; resumed: boolean }>;
  /**
   * Moves the not-yet-attempted deliveries of a subscription to `dueFor(announcedAt)`: its schedule
   * changed (weekly → "new" posts the waiting issue now). Returns how many moved.
   */
  reschedule(subscriptionId: number, dueFor: (announcedAt: Date) => Date): Promise<number>;
  /** Removes the channel's subscription and its pending deliveries; false when there was none. */
  unsubscribe(key: ChannelKey): Promise<boolean>;
  subscription(key: ChannelKey): Promise<Subscription | undefined>;
  subscriptions(): Promise<Subscription[]>;
  /** The highest issue number ever announced (or the baseline set on first detection); null = never. */
  highestAnnounced(): Promise<number | null>;
  /** Records the starting point without announcing anything (first run: the archive is not "new"). */
  setBaseline(number: number): Promise<void>;
  /**
   * Announces an issue and writes its planned deliveries, atomically; false when it was already announced.
   * A delivery of an older issue to the same subscription that is still being retried (an outage) is
   * superseded: recorded as missed, with its last error, and tried no more.
   */
  announce(issue: { number: number; file: string }, plan: readonly PlannedDelivery[], now: Date): Promise<boolean>;
  /** Deliveries and test posts whose time has come, oldest first; only to `platform`'s channels when given. */
  due(now: Date, limit: number, platform?: DigestPlatform): Promise<DeliveryJob[]>;
  /** The earliest time after `after` at which an open delivery or test post becomes due, or null. */
  nextDue(after: Date): Promise<Date | null>;
  /**
   * Written just before a post: the outcome is unknown until `sent`/`retry`/`failed`. False when the row is
   * no longer open (superseded or paused meanwhile), or when another process marked it since `job` was read
   * (its `attempts` moved on): then nothing may be posted. Of two processes holding the same job, one wins.
   */
  markSending(job: DeliveryJob, now: Date): Promise<boolean>;
  markSent(job: DeliveryJob, messageId: string | null, now: Date): Promise<void>;
  /** Try again at `at`; `inDoubt` when the failed attempt may have posted after all (timeout, 5xx). */
  retryAt(job: DeliveryJob, at: Date, error: string, inDoubt: boolean): Promise<void>;
  /** A 403/404-class failure: counts towards pausing; returns whether the subscription is now paused. */
  channelFailure(job: DeliveryJob, error: string, retry: Date, now: Date): Promise<{ paused: boolean }>;
  /** Gives up on one post (e.g. the platform refused the message itself). */
  markFailed(job: DeliveryJob, error: string, now: Date): Promise<void>;
  /** Queues a test post (not a delivery: it never counts towards "already delivered"). */
  requestTest(key: ChannelKey, settings: DigestSettings, issueNumber: number, by: string | null, now: Date): Promise<number>;
  recentDeliveries(subscriptionId: number, limit: number): Promise<DeliveryRecord[]>;
  lastTest(key: ChannelKey): Promise<LastTest | undefined>;
  recordFanout(run: FanoutRecord): Promise<void>;
  lastFanout(): Promise<FanoutRecord | undefined>;
  /** Open deliveries (pending or in flight) and failed ones, for status screens. */
  counts(): Promise<Record<DeliveryState, number>>;
  /**
   * `twir digest retry`: re-queues failed or missed deliveries of the subscriptions `which` selects
   * (the given issue, or each one's newest delivery when that one failed or was missed) and resumes them.
   * A row whose earlier attempt may have landed goes back in doubt, so the poster looks before posting.
   */
  requeue(
    which: (s: Subscription) => boolean,
    issueNumber: number | null,
    now: Date,
  ): Promise<{ subscription: Subscription; issueNumber: number }[]>;
  /** `twir digest pause`: stops deliveries to a subscription (open ones stay queued) until it is resumed. */
  pause(subscriptionId: number, reason: string, now: Date): Promise<void>;
  /** `twir digest resume`: clears a pause (the operator's or the platform's) and the failure count. */
  resume(subscriptionId: number): Promise<void>;
  /** `twir digest remove`: the subscription and its delivery log. */
  remove(subscriptionId: number): Promise<void>;
}

/** A `digest_subscriptions` row as both backends return it. */
export interface SubscriptionRow {
  id: number;
  platform: string;
  workspace_id: string;
  channel_id: string;
  settings: string;
  since_number: number | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  consecutive_failures: number;
  last_error: string | null;
  paused_at: string | null;
  paused_reason: string | null;
  workspace_name: string | null;
  channel_name: string | null;
}

/** Row → Subscription; shared with the PostgreSQL backend, whose rows have the same columns. */
export function toSubscription(r: SubscriptionRow): Subscription {
  return {
    id: r.id,
    platform: r.platform as Subscription['platform'],
    workspaceId: r.workspace_id,
    channelId: r.channel_id,
    settings: JSON.parse(r.settings) as DigestSettings,
    sinceNumber: r.since_number,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    consecutiveFailures: r.consecutive_failures,
    lastError: r.last_error,
    pausedAt: r.paused_at,
    pausedReason: r.paused_reason,
    workspaceName: r.workspace_name ?? null,
    channelName: r.channel_name ?? null,
  };
}

/** A due delivery or test post as both backends' `due` queries return it. */
export interface JobRow {
  id: number;
  issue_number: number;
  state: DeliveryState;
  attempts: number;
  started_at: string | null;
  sub_id: number | null;
  platform: string;
  workspace_id: string;
  channel_id: string;
  settings: string;
}

/** Row → DeliveryJob of `kind`; shared with the PostgreSQL backend. */
export function toJob(kind: DeliveryJob['kind']): (r: JobRow) => DeliveryJob {
  return (r) => ({
    kind,
    id: r.id,
    channel: { platform: r.platform as ChannelKey['platform'], workspaceId: r.workspace_id, channelId: r.channel_id },
    subscriptionId: r.sub_id,
    settings: JSON.parse(r.settings) as DigestSettings,
    issueNumber: r.issue_number,
    state: r.state,
    attempts: r.attempts,
    // A row still "sending" when it is picked up again: the attempt that wrote it never reported back.
    inDoubtSince: r.state === 'sending' ? (r.started_at ?? new Date(0).toISOString()) : null,
  });
}

/** The DigestStore on a better-sqlite3 connection of the main store (migration 3 creates its tables). */
export function createSqliteDigestStore(db: Database): DigestStore {
  const s = {
    subByKey: db.prepare('SELECT * FROM digest_subscriptions WHERE platform = ? AND workspace_id = ? AND channel_id = ?'),
    subAll: db.prepare('SELECT * FROM digest_subscriptions ORDER BY platform, workspace_id, channel_id'),
    subInsert: db.prepare(
      `INSERT INTO digest_subscriptions (platform, workspace_id, channel_id, settings, since_number, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    subUpdate: db.prepare(
      `UPDATE digest_subscriptions SET settings = ?, updated_at = ?, consecutive_failures = 0, last_error = NULL,
       paused_at = NULL, paused_reason = NULL WHERE id = ?`,
    ),
    subDelete: db.prepare('DELETE FROM digest_subscriptions WHERE id = ?'),
    // Names only move forward: a later subscribe that knows none keeps the ones already stored.
    subNames: db.prepare(
      'UPDATE digest_subscriptions SET workspace_name = coalesce(?, workspace_name), channel_name = coalesce(?, channel_name) WHERE id = ?',
    ),
    waiting: db.prepare(
      `SELECT d.id, i.announced_at AS announcedAt FROM digest_deliveries d JOIN digest_issues i ON i.number = d.issue_number
       WHERE d.subscription_id = ? AND d.state = 'pending' AND d.attempts = 0`,
    ),
    moveDue: db.prepare('UPDATE digest_deliveries SET due_at = ?, next_attempt_at = ? WHERE id = ?'),
    // Resuming also plans the newest announced issue if it came while the subscription was paused.
    planNewest: db.prepare(
      `INSERT OR IGNORE INTO digest_deliveries (subscription_id, issue_number, state, due_at, next_attempt_at)
       SELECT @sub, n, 'pending', @at, @at FROM (SELECT max(number) AS n FROM digest_issues)
       WHERE n IS NOT NULL AND n > coalesce((SELECT since_number FROM digest_subscriptions WHERE id = @sub), -1)`,
    ),
    // Resuming re-queues the newest failed or missed delivery, so fixing a channel's permissions brings this
    // week's issue (back in doubt when an attempt may have landed: the poster looks first).
    requeueNewestFailed: db.prepare(
      `UPDATE digest_deliveries SET state = CASE WHEN started_at IS NULL THEN 'pending' ELSE 'sending' END, next_attempt_at = ?,
       finished_at = NULL WHERE id = (SELECT id FROM digest_deliveries WHERE subscription_id = ? ORDER BY issue_number DESC LIMIT 1)
       AND state IN ('failed', 'missed')`,
    ),
    subOk: db.prepare('UPDATE digest_subscriptions SET consecutive_failures = 0, last_error = NULL WHERE id = ?'),
    subFail: db.prepare(
      'UPDATE digest_subscriptions SET consecutive_failures = consecutive_failures + 1, last_error = ? WHERE id = ? RETURNING consecutive_failures',
    ),
    subPause: db.prepare('UPDATE digest_subscriptions SET paused_at = ?, paused_reason = ? WHERE id = ?'),
    highest: db.prepare('SELECT max(number) AS n FROM digest_issues'),
    getState: db.prepare('SELECT value FROM state WHERE key = ?'),
    setState: db.prepare('INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    issueInsert: db.prepare('INSERT OR IGNORE INTO digest_issues (number, file, announced_at) VALUES (?, ?, ?)'),
    deliveryInsert: db.prepare(
      `INSERT OR IGNORE INTO digest_deliveries (subscription_id, issue_number, state, due_at, next_attempt_at)
       VALUES (?, ?, 'pending', ?, ?)`,
    ),
    dueDeliveries: db.prepare(
      `SELECT d.id, d.issue_number, d.state, d.attempts, d.started_at, s.id AS sub_id, s.platform, s.workspace_id, s.channel_id, s.settings
       FROM digest_deliveries d JOIN digest_subscriptions s ON s.id = d.subscription_id
       WHERE d.state IN ('pending', 'sending') AND d.next_attempt_at <= @at AND s.paused_at IS NULL
         AND (@platform IS NULL OR s.platform = @platform)
       ORDER BY d.next_attempt_at, d.id LIMIT @limit`,
    ),
    dueTests: db.prepare(
      `SELECT id, issue_number, state, attempts, NULL AS started_at, NULL AS sub_id, platform, workspace_id, channel_id, settings
       FROM digest_tests WHERE state IN ('pending', 'sending') AND next_attempt_at <= @at AND (@platform IS NULL OR platform = @platform)
       ORDER BY id LIMIT @limit`,
    ),
    nextDue: db.prepare(
      `SELECT min(at) AS at FROM (
         SELECT min(d.next_attempt_at) AS at FROM digest_deliveries d JOIN digest_subscriptions s ON s.id = d.subscription_id
         WHERE d.state IN ('pending', 'sending') AND s.paused_at IS NULL AND d.next_attempt_at > ?
         UNION ALL
         SELECT min(next_attempt_at) FROM digest_tests WHERE state IN ('pending', 'sending') AND next_attempt_at > ?)`,
    ),
    sending: {
      issue: db.prepare(
        `UPDATE digest_deliveries SET state = 'sending', attempts = attempts + 1, started_at = ? WHERE id = ? AND state IN ('pending', 'sending') AND attempts = ?`,
      ),
      test: db.prepare(
        `UPDATE digest_tests SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state IN ('pending', 'sending') AND attempts = ?`,
      ),
    },
    sent: {
      issue: db.prepare(
        `UPDATE digest_deliveries SET state = 'sent', finished_at = ?, message_id = ?, last_error = NULL WHERE id = ? AND state <> 'sent'`,
      ),
      test: db.prepare(`UPDATE digest_tests SET state = 'sent', finished_at = ?, message_id = ?, last_error = NULL WHERE id = ?`),
    },
    retry: {
      issue: db.prepare('UPDATE digest_deliveries SET state = ?, next_attempt_at = ?, last_error = ? WHERE id = ?'),
      test: db.prepare('UPDATE digest_tests SET state = ?, next_attempt_at = ?, last_error = ? WHERE id = ?'),
    },
    failed: {
      issue: db.prepare(`UPDATE digest_deliveries SET state = 'failed', finished_at = ?, last_error = ? WHERE id = ?`),
      test: db.prepare(`UPDATE digest_tests SET state = 'failed', finished_at = ?, last_error = ? WHERE id = ?`),
    },
    // A paused channel: its open deliveries are missed (an in-doubt one too: it may have landed, and the
    // retry that re-queues it goes back in doubt, so it is never posted twice).
    failOpenOfSub: db.prepare(
      `UPDATE digest_deliveries SET state = 'missed', finished_at = ?, last_error = ? WHERE subscription_id = ? AND state IN ('pending', 'sending')`,
    ),
    // Only rows already tried (attempts > 0) are superseded: a weekly slot still waiting is not an outage.
    supersede: db.prepare(
      `UPDATE digest_deliveries SET state = 'missed', finished_at = @at,
       last_error = 'superseded by #' || CAST(@number AS INTEGER) || coalesce(' after: ' || last_error, '')
       WHERE subscription_id = @sub AND issue_number < @number AND state = 'pending' AND attempts > 0`,
    ),
    requeueOne: db.prepare(
      `UPDATE digest_deliveries SET state = CASE WHEN started_at IS NULL THEN 'pending' ELSE 'sending' END,
       next_attempt_at = ?, finished_at = NULL WHERE subscription_id = ? AND issue_number = ? AND state IN ('failed', 'missed')`,
    ),
    newestRetryable: db.prepare(
      `SELECT issue_number AS n FROM (SELECT issue_number, state FROM digest_deliveries WHERE subscription_id = ?
       ORDER BY issue_number DESC LIMIT 1) WHERE state IN ('failed', 'missed')`,
    ),
    subResume: db.prepare('UPDATE digest_subscriptions SET paused_at = NULL, paused_reason = NULL, consecutive_failures = 0 WHERE id = ?'),
    testInsert: db.prepare(
      `INSERT INTO digest_tests (platform, workspace_id, channel_id, settings, issue_number, requested_by, requested_at, next_attempt_at, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
    ),
    lastTest: db.prepare(
      `SELECT issue_number AS issueNumber, state, requested_at AS requestedAt, last_error AS lastError FROM digest_tests
       WHERE platform = ? AND workspace_id = ? AND channel_id = ? ORDER BY id DESC LIMIT 1`,
    ),
    recent: db.prepare(
      `SELECT issue_number AS issueNumber, state, due_at AS dueAt, attempts, finished_at AS finishedAt, last_error AS lastError
       FROM digest_deliveries WHERE subscription_id = ? ORDER BY issue_number DESC LIMIT ?`,
    ),
    fanoutInsert: db.prepare(
      `INSERT INTO digest_fanouts (started_at, finished_at, duration_ms, sent, failed, deferred, rate_limited, paused)
       VALUES (@startedAt, @finishedAt, @durationMs, @sent, @failed, @deferred, @rateLimited, @paused)`,
    ),
    fanoutLast: db.prepare(
      `SELECT started_at AS startedAt, finished_at AS finishedAt, duration_ms AS durationMs, sent, failed, deferred,
       rate_limited AS rateLimited, paused FROM digest_fanouts ORDER BY id DESC LIMIT 1`,
    ),
    counts: db.prepare('SELECT state, count(*) AS n FROM digest_deliveries GROUP BY state'),
  };

  // BEGIN IMMEDIATE for read-then-write transactions: the write lock first, so another process's commit in
  // between can never fail them half-way (inside an open transaction, a savepoint as usual).
  const write = <T>(fn: () => T): T => {
    const tx = db.transaction(fn);
    return db.inTransaction ? tx() : tx.immediate();
  };
  const byKey = (k: ChannelKey) => s.subByKey.get(k.platform, k.workspaceId, k.channelId) as SubscriptionRow | undefined;
  return {
    async subscribe(key, settings, sinceNumber, by, now, names) {
      const iso = now.toISOString();
      const setNames = (id: number) => s.subNames.run(names?.workspace?.slice(0, 200) ?? null, names?.channel?.slice(0, 200) ?? null, id);
      return write(() => {
        const existing = byKey(key);
        if (!existing) {
          s.subInsert.run(key.platform, key.workspaceId, key.channelId, JSON.stringify(settings), sinceNumber, by, iso, iso);
          setNames((byKey(key) as SubscriptionRow).id);
          return { subscription: toSubscription(byKey(key) as SubscriptionRow), created: true, resumed: false };
        }
        setNames(existing.id);
        const resumed = existing.paused_at !== null;
        s.subUpdate.run(JSON.stringify(settings), iso, existing.id);
        if (resumed) s.planNewest.run({ sub: existing.id, at: iso });
        // Subscribing again after any failure (not only a pause) brings the newest issue that did not arrive.
        s.requeueNewestFailed.run(iso, existing.id);
        return { subscription: toSubscription(byKey(key) as SubscriptionRow), created: false, resumed };
      });
    },
    async reschedule(subscriptionId, dueFor) {
      return write(() => {
        const rows = s.waiting.all(subscriptionId) as { id: number; announcedAt: string }[];
        for (const r of rows) {
          const at = dueFor(new Date(r.announcedAt)).toISOString();
          s.moveDue.run(at, at, r.id);
        }
        return rows.length;
      });
    },
    async unsubscribe(key) {
      const existing = byKey(key);
      if (!existing) return false;
      s.subDelete.run(existing.id);
      return true;
    },
    subscription: async (key) => {
      const row = byKey(key);
      return row ? toSubscription(row) : undefined;
    },
    subscriptions: async () => (s.subAll.all() as SubscriptionRow[]).map(toSubscription),
    async highestAnnounced() {
      const announced = (s.highest.get() as { n: number | null }).n;
      const baseline = (s.getState.get(BASELINE_KEY) as { value: string } | undefined)?.value;
      const values = [announced, baseline === undefined ? null : Number(baseline)].filter((n): n is number => n !== null);
      return values.length ? Math.max(...values) : null;
    },
    async setBaseline(number) {
      s.setState.run(BASELINE_KEY, String(number));
    },
    async announce(issue, plan, now) {
      return write(() => {
        if (s.issueInsert.run(issue.number, issue.file, now.toISOString()).changes === 0) return false;
        for (const p of plan) {
          s.deliveryInsert.run(p.subscriptionId, p.issueNumber, p.dueAt, p.dueAt);
          s.supersede.run({ at: now.toISOString(), number: p.issueNumber, sub: p.subscriptionId });
        }
        return true;
      });
    },
    async due(now, limit, platform) {
      const params = { at: now.toISOString(), limit, platform: platform ?? null };
      const tests = (s.dueTests.all(params) as JobRow[]).map(toJob('test'));
      const deliveries = (s.dueDeliveries.all(params) as JobRow[]).map(toJob('issue'));
      return [...tests, ...deliveries].slice(0, limit);
    },
    async nextDue(after) {
      const at = (s.nextDue.get(after.toISOString(), after.toISOString()) as { at: string | null }).at;
      return at ? new Date(at) : null;
    },
    async markSending(job, now) {
      const r =
        job.kind === 'issue' ? s.sending.issue.run(now.toISOString(), job.id, job.attempts) : s.sending.test.run(job.id, job.attempts);
      return r.changes > 0;
    },
    async markSent(job, messageId, now) {
      write(() => {
        s.sent[job.kind].run(now.toISOString(), messageId, job.id);
        if (job.subscriptionId !== null) s.subOk.run(job.subscriptionId);
      });
    },
    async retryAt(job, at, error, inDoubt) {
      s.retry[job.kind].run(inDoubt ? 'sending' : 'pending', at.toISOString(), error.slice(0, 500), job.id);
    },
    async channelFailure(job, error, retry, now) {
      const reason = error.slice(0, 500);
      if (job.subscriptionId === null) {
        s.failed.test.run(now.toISOString(), reason, job.id);
        return { paused: false };
      }
      const subId = job.subscriptionId;
      return write(() => {
        const { consecutive_failures: n } = s.subFail.get(reason, subId) as { consecutive_failures: number };
        if (n >= PAUSE_AFTER_FAILURES) {
          s.subPause.run(now.toISOString(), reason, subId);
          s.failOpenOfSub.run(now.toISOString(), `paused: ${reason}`, subId);
          return { paused: true };
        }
        s.retry.issue.run('pending', retry.toISOString(), reason, job.id);
        return { paused: false };
      });
    },
    async markFailed(job, error, now) {
      s.failed[job.kind].run(now.toISOString(), error.slice(0, 500), job.id);
    },
    async requestTest(key, settings, issueNumber, by, now) {
      const iso = now.toISOString();
      const r = s.testInsert.run(key.platform, key.workspaceId, key.channelId, JSON.stringify(settings), issueNumber, by, iso, iso);
      return Number(r.lastInsertRowid);
    },
    recentDeliveries: async (subscriptionId, limit) => s.recent.all(subscriptionId, limit) as DeliveryRecord[],
    lastTest: async (key) => s.lastTest.get(key.platform, key.workspaceId, key.channelId) as LastTest | undefined,
    async recordFanout(run) {
      s.fanoutInsert.run(run);
    },
    lastFanout: async () => s.fanoutLast.get() as FanoutRecord | undefined,
    async counts() {
      const out: Record<DeliveryState, number> = { pending: 0, sending: 0, sent: 0, failed: 0, missed: 0 };
      for (const r of s.counts.all() as { state: DeliveryState; n: number }[]) out[r.state] = r.n;
      return out;
    },
    async requeue(which, issueNumber, now) {
      const iso = now.toISOString();
      return write(() => {
        const out: { subscription: Subscription; issueNumber: number }[] = [];
        for (const row of s.subAll.all() as SubscriptionRow[]) {
          const sub = toSubscription(row);
          if (!which(sub)) continue;
          const n = issueNumber ?? (s.newestRetryable.get(sub.id) as { n: number } | undefined)?.n;
          if (n === undefined || s.requeueOne.run(iso, sub.id, n).changes === 0) continue;
          s.subResume.run(sub.id);
          out.push({ subscription: toSubscription(byKey(sub) as SubscriptionRow), issueNumber: n });
        }
        return out;
      });
    },
    async pause(subscriptionId, reason, now) {
      s.subPause.run(now.toISOString(), reason.slice(0, 500), subscriptionId);
    },
    async resume(subscriptionId) {
      s.subResume.run(subscriptionId);
    },
    async remove(subscriptionId) {
      s.subDelete.run(subscriptionId);
    },
  };
}
