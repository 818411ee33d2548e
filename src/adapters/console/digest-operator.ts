/**
 * Operator commands for the digest: `twir digest status` (subscriptions,
 * paused ones, the last fan-out) and `twir digest deliver` (announce what the
 * store has and deliver everything due now, then exit: resumes an
 * interrupted fan-out without starting the chat adapters).
 */
import { openStore } from '../../core/store/store.js';
import { createSource } from '../../core/sync/create-source.js';
import { formatWhen } from '../../digest/settings.js';
import { escapeLogText } from '../../log-text.js';
import type { Logger } from '../../logger.js';
import { openSharedState } from '../../shared-state/open-shared-state.js';
import { createDigestHost } from '../digest-host.js';
import type { ConsoleIO } from './console-io.js';
import { describeSubscription } from './digest-admin.js';

/** `twir digest status [--json]`: prints the digest's state; exit 0. */
export async function digestStatus(io: ConsoleIO, args: string[] = []): Promise<number> {
  const json = args.includes('--json');
  const unknown = args.find((a) => a !== '--json');
  if (unknown) {
    io.stderr.write(`error: twir digest status takes only --json, got "${escapeLogText(unknown)}"\n`);
    return 2;
  }
  const config = io.loadConfig();
  const store = openStore({ path: config.dbPath });
  const shared = await openSharedState(config, store).catch((err: unknown) => {
    store.close();
    throw err;
  });
  try {
    const digest = shared.digest;
    const subs = await digest.subscriptions();
    const paused = subs.filter((s) => s.pausedAt);
    const counts = await digest.counts();
    const mark = await digest.highestAnnounced();
    const lastDeliveries = new Map(await Promise.all(subs.map(async (s) => [s.id, (await digest.recentDeliveries(s.id, 1))[0]] as const)));
    const last = await digest.lastFanout();
    if (json) {
      const status = {
        newestAnnounced: mark,
        deliveries: counts,
        lastFanout: last ?? null,
        subscriptions: subs.map((s) => ({
          ...s,
          where: describeSubscription(s),
          lastDelivery: lastDeliveries.get(s.id) ?? null,
        })),
      };
      io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      return 0;
    }
    const out: string[] = [
      `Digest: ${subs.length} subscription${subs.length === 1 ? '' : 's'} (${paused.length} paused); ${mark === null ? 'no issue announced yet' : `newest announced #${mark}`}.`,
      `Deliveries: ${counts.sent} sent, ${counts.pending} pending, ${counts.sending} in flight or in doubt, ${counts.failed} failed, ${counts.missed} missed (twir digest retry re-queues).`,
    ];
    out.push(
      last
        ? `Last fan-out: ${last.startedAt}, ${last.sent} sent, ${last.failed} failed, ${last.deferred} deferred, ${last.rateLimited} rate-limited, ${last.paused} paused, in ${(last.durationMs / 1000).toFixed(1)} s.`
        : 'Last fan-out: none yet.',
    );
    if (paused.length) {
      out.push('Paused (subscribing again in the channel, or twir digest resume, resumes):');
      for (const s of paused) out.push(`  ${describeSubscription(s)} since ${s.pausedAt}: ${s.pausedReason}`);
    }
    if (subs.length) {
      out.push('Subscriptions:');
      for (const s of subs) {
        const recent = lastDeliveries.get(s.id);
        const lastDelivery = recent ? `#${recent.issueNumber} ${recent.state}` : 'nothing delivered yet';
        out.push(
          `  ${describeSubscription(s)} · ${s.settings.sections.join(',')} · ${s.settings.place ?? 'all places'} · ${formatWhen(s.settings.when)} · ${lastDelivery}`,
        );
      }
    }
    io.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await shared.close();
    store.close();
  }
}

/** `twir digest deliver`: one detection + fan-out with the configured platforms; exit 1 if anything failed. */
export async function digestDeliver(io: ConsoleIO, log: Logger): Promise<number> {
  const config = io.loadConfig();
  if (!config.discord && !config.slack) {
    log.error('no platform to post to: set DISCORD_TOKEN and/or SLACK_BOT_TOKEN.');
    return 2;
  }
  const store = openStore({ path: config.dbPath });
  const shared = await openSharedState(config, store).catch((err: unknown) => {
    store.close();
    throw err;
  });
  try {
    const host = await createDigestHost({
      holder: 'twir digest deliver',
      config,
      store,
      shared,
      source: createSource(config, store),
      log,
      now: io.now,
    });
    const { report } = await host.afterSync();
    await host.stop();
    const r = report ?? { sent: 0, failed: 0, deferred: 0, rateLimited: 0, durationMs: 0 };
    io.stdout.write(
      `Digest: ${r.sent} sent, ${r.failed} failed, ${r.deferred} left for later, ${r.rateLimited} rate-limited in ${r.durationMs} ms.\n`,
    );
    return r.failed > 0 ? 1 : 0;
  } finally {
    await shared.close();
    store.close();
  }
}
