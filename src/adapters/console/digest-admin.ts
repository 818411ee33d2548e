/**
 * The operator's hands on digest subscriptions: `twir digest list`, `pause`,
 * `resume`, `remove` and `retry`. They work on the store only (no platform
 * is called), so they run beside a `twir serve` on the same store: the
 * serving process picks re-queued deliveries up on its next wake-up.
 */
import { parseArgs } from 'node:util';
import { openStore } from '../../core/store/store.js';
import type { DigestStore } from '../../digest/digest-store.js';
import { formatWhen } from '../../digest/settings.js';
import type { Subscription } from '../../digest/types.js';
import { escapeLogText } from '../../log-text.js';
import { openSharedState } from '../../shared-state/open-shared-state.js';
import type { ConsoleIO } from './console-io.js';

/** A usage mistake in a `twir digest …` line: exit 2 with the message. */
export class DigestUsageError extends Error {}

/** The operator verbs this module answers. */
export const DIGEST_ADMIN_VERBS = ['list', 'pause', 'resume', 'remove', 'retry'] as const;
export type DigestAdminVerb = (typeof DIGEST_ADMIN_VERBS)[number];

/** How a subscription is named on the operator's screen: platform, workspace or guild, channel. */
export function describeSubscription(s: Subscription): string {
  const named = (id: string, name: string | null, prefix = '') => (name ? `${prefix}${name} (${id})` : id);
  const where = `${s.platform === 'discord' ? 'guild' : 'workspace'} ${named(s.workspaceId, s.workspaceName)} channel ${named(s.channelId, s.channelName, '#')}`;
  return escapeLogText(`${s.platform} ${where}`);
}

/**
 * `--channel` picks subscriptions by channel id (`C0123`, a Discord snowflake), or by
 * `platform:workspace/channel` when an id could be ambiguous; absent, every subscription.
 */
function selector(channel: string | undefined): (s: Subscription) => boolean {
  if (!channel) return () => true;
  const full = /^(discord|slack):([^/]+)\/(.+)$/.exec(channel);
  if (full) return (s) => s.platform === full[1] && s.workspaceId === full[2] && s.channelId === full[3];
  return (s) => s.channelId === channel;
}

function options(args: string[]) {
  try {
    return parseArgs({
      args,
      options: { channel: { type: 'string' }, issue: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: false,
      strict: true,
    }).values;
  } catch (err) {
    throw new DigestUsageError(err instanceof Error ? err.message : String(err));
  }
}

/** Runs one `twir digest <verb> …`; resolves with the exit code (2: usage, 1: nothing matched). */
export async function digestAdmin(verb: DigestAdminVerb, args: string[], io: ConsoleIO): Promise<number> {
  const o = options(args);
  const issue = o.issue === undefined ? null : Number(o.issue);
  if (issue !== null && (!Number.isInteger(issue) || issue <= 0))
    throw new DigestUsageError(`--issue expects an issue number, got "${o.issue}"`);
  if ((verb === 'pause' || verb === 'resume' || verb === 'remove') && !o.channel)
    throw new DigestUsageError(`twir digest ${verb} needs --channel <channel id> (or platform:workspace/channel)`);
  const config = io.loadConfig();
  const store = openStore({ path: config.dbPath });
  const shared = await openSharedState(config, store).catch((err: unknown) => {
    store.close();
    throw err;
  });
  try {
    const digest = shared.digest;
    const picked = (await digest.subscriptions()).filter(selector(o.channel));
    if (o.channel && picked.length === 0) {
      io.stderr.write(`error: no digest subscription for channel ${escapeLogText(o.channel)} (twir digest list shows them).\n`);
      return 1;
    }
    const lines = await run(verb, digest, picked, { issue, reason: o.reason ?? 'paused by the operator', json: Boolean(o.json), io });
    if (lines !== null) io.stdout.write(lines.length ? `${lines.join('\n')}\n` : '');
    return 0;
  } finally {
    await shared.close();
    store.close();
  }
}

async function run(
  verb: DigestAdminVerb,
  digest: DigestStore,
  picked: Subscription[],
  o: { issue: number | null; reason: string; json: boolean; io: ConsoleIO },
): Promise<string[] | null> {
  const now = o.io.now();
  const lastOf = async (s: Subscription) => (await digest.recentDeliveries(s.id, 1))[0];
  switch (verb) {
    case 'list': {
      if (o.json) {
        const listed = await Promise.all(picked.map(async (s) => ({ ...s, lastDelivery: (await lastOf(s)) ?? null })));
        o.io.stdout.write(`${JSON.stringify(listed)}\n`);
        return null;
      }
      if (picked.length === 0) return ['No digest subscriptions.'];
      const lasts = await Promise.all(picked.map(lastOf));
      return picked.map((s, i) => {
        const last = lasts[i];
        const state = s.pausedAt ? `paused since ${s.pausedAt}: ${s.pausedReason}` : 'active';
        const lastText = last ? `last #${last.issueNumber} ${last.state}` : 'nothing delivered yet';
        return escapeLogText(
          `${describeSubscription(s)} · ${s.settings.sections.join(',')} · ${s.settings.place ?? 'all places'} · ${formatWhen(s.settings.when)} · ${state} · ${lastText}`,
        );
      });
    }
    case 'pause':
      for (const s of picked) await digest.pause(s.id, o.reason, now);
      return picked.map((s) => `Paused ${describeSubscription(s)}: ${escapeLogText(o.reason)}.`);
    case 'resume':
      for (const s of picked) await digest.resume(s.id);
      return picked.map((s) => `Resumed ${describeSubscription(s)}.`);
    case 'remove':
      for (const s of picked) await digest.remove(s.id);
      return picked.map((s) => `Removed ${describeSubscription(s)} and its delivery log.`);
    case 'retry': {
      const ids = new Set(picked.map((s) => s.id));
      const requeued = await digest.requeue((s) => ids.has(s.id), o.issue, now);
      if (requeued.length === 0)
        return [`Nothing to retry: no failed or missed ${o.issue ? `delivery of #${o.issue}` : 'delivery'} there.`];
      return [
        ...requeued.map((r) => `Re-queued #${r.issueNumber} for ${describeSubscription(r.subscription)}.`),
        'A running twir serve posts them within seconds; or run twir digest deliver.',
      ];
    }
  }
}
