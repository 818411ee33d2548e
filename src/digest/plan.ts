/**
 * Who gets which issue: a pure function of the subscriptions and the issue,
 * so "exactly once" rests on data (the delivery log's unique key), not on
 * the order things happen in.
 */
import type { PlannedDelivery } from './digest-store.js';
import { dueAt } from './schedule.js';
import type { Subscription } from './types.js';

/**
 * One delivery per active subscription that has not already counted this
 * issue as delivered: a channel that subscribed when `number` (or a later
 * issue) was the newest gets nothing, so subscribing never floods. Paused
 * subscriptions get nothing until someone subscribes again.
 */
export function planDeliveries(issue: { number: number }, subscriptions: readonly Subscription[], announcedAt: Date): PlannedDelivery[] {
  return subscriptions
    .filter((s) => s.pausedAt === null && (s.sinceNumber === null || issue.number > s.sinceNumber))
    .map((s) => ({ subscriptionId: s.id, issueNumber: issue.number, dueAt: dueAt(s.settings.when, announcedAt).toISOString() }));
}
