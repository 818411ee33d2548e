/**
 * What the digest commands (commands/subscribe.ts, unsubscribe.ts,
 * digest.ts) share: the digest store on the archive's connection, the
 * issue a preview or test shows, and the "this channel's digest" answer.
 */
import type { Archive } from '../core/archive/archive.js';
import type { CommandContext } from '../core/commands/definition.js';
import type { Issue } from '../core/issue/types.js';
import type { Reply, ReplyItem } from '../core/reply/reply.js';
import { createSqliteDigestStore, type DigestStore } from './digest-store.js';
import { DEFAULT_SECTIONS, type DigestSettings, describeWhen, formatWhen } from './settings.js';
import type { ChannelKey, Subscription } from './types.js';

const stores = new WeakMap<Archive, DigestStore>();

/** The context's digest store (the shared state's), else the one on the archive's SQLite connection. */
export function digestStoreOf(ctx: Pick<CommandContext, 'archive' | 'digest'>): DigestStore {
  return ctx.digest ?? digestStoreFor(ctx.archive);
}

/** The digest store on the same SQLite connection as the archive (one per archive). */
export function digestStoreFor(archive: Archive): DigestStore {
  let store = stores.get(archive);
  if (!store) {
    store = createSqliteDigestStore(archive.db);
    stores.set(archive, store);
  }
  return store;
}

/** The clock of the context (the adapters inject theirs). */
export function nowOf(ctx: CommandContext): Date {
  return ctx.now ? ctx.now() : new Date(`${ctx.asOf}T12:00:00Z`);
}

/** The issue a preview or test shows: the newest announced one, else the newest stored one as of the date. */
export async function digestIssue(archive: Archive, store: DigestStore, asOf: string): Promise<Issue | undefined> {
  const mark = await store.highestAnnounced();
  const ref = (mark !== null ? archive.byNumber(mark) : undefined) ?? archive.latest(asOf);
  return ref ? archive.load(ref) : undefined;
}

/** Default settings for a channel without a subscription (what subscribing with no options gives). */
export const DEFAULT_SETTINGS: DigestSettings = { sections: [...DEFAULT_SECTIONS], place: null, when: { kind: 'new' } };

/** The settings lines of a subscription. */
export function settingsItems(settings: DigestSettings): ReplyItem[] {
  return [
    { label: 'Sections', detail: settings.sections.join(', ') },
    { label: 'Events', detail: settings.place ? `only those matching "${settings.place}"` : 'all upcoming events' },
    { label: 'When', detail: `${formatWhen(settings.when)}: ${describeWhen(settings.when)}` },
    ...(settings.pingRole ? [{ label: 'Mentions', detail: `the role ${settings.pingRole}, and nothing else` }] : []),
    ...(settings.publish ? [{ label: 'Publish', detail: 'each digest is published to the servers following this channel' }] : []),
  ];
}

/** `/twir digest` in a channel: its settings, the last deliveries, and why it is paused if it is. */
export async function channelStatus(store: DigestStore, channel: ChannelKey): Promise<Reply> {
  const sub = await store.subscription(channel);
  const test = await store.lastTest(channel);
  const testItem: ReplyItem[] = test
    ? [
        {
          label: `Test post of #${test.issueNumber}`,
          detail: `${test.state}${test.lastError ? `: ${test.lastError}` : ''} (${test.requestedAt})`,
        },
      ]
    : [];
  if (!sub) {
    return {
      kind: 'empty',
      title: 'This channel has no digest subscription.',
      hint: 'Someone who can manage the channel can run /twir subscribe; /twir digest preview shows what it would get.',
      sections: testItem.length ? [{ label: 'Tests', items: testItem }] : [],
      citations: [],
      private: true,
    };
  }
  const deliveries = (await store.recentDeliveries(sub.id, 5)).map(
    (d): ReplyItem => ({
      label: `#${d.issueNumber}`,
      detail: [d.state, d.finishedAt ?? `due ${d.dueAt}`, d.attempts > 1 ? `${d.attempts} attempts` : '', d.lastError ?? '']
        .filter(Boolean)
        .join(' · '),
    }),
  );
  return {
    kind: 'answer',
    title: sub.pausedAt ? 'The digest of this channel is paused.' : 'This channel gets the This Week in Rust digest.',
    description: sub.pausedAt
      ? `Paused ${sub.pausedAt} after ${sub.consecutiveFailures} failed posts in a row: ${sub.pausedReason}. Fix the bot's access to this channel, then run /twir subscribe again to resume.`
      : pausedHint(sub),
    sections: [
      { label: 'Settings', items: settingsItems(sub.settings) },
      { label: 'Last deliveries', items: deliveries.length ? deliveries : [{ label: 'None yet', detail: sinceText(sub) }] },
      ...(testItem.length ? [{ label: 'Tests', items: testItem }] : []),
    ],
    citations: [],
    private: true,
  };
}

function pausedHint(sub: Subscription): string {
  const base = `Subscribed since ${sub.createdAt.slice(0, 10)}.`;
  return sub.lastError ? `${base} The last post failed (${sub.lastError}); it will be retried.` : base;
}

function sinceText(sub: Subscription): string {
  return sub.sinceNumber === null ? 'the next issue will be the first' : `issues after #${sub.sinceNumber} are posted here`;
}
