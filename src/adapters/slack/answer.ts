/**
 * From command text to Slack messages: parse with the core (the same syntax
 * as the console), resolve the caller's permission when the command asks for
 * it, run, and render. Shared by the slash command and the paging buttons.
 */

import type { Archive } from '../../core/archive/archive.js';
import { commandChart } from '../../core/charts/command-chart.js';
import type { Caller } from '../../core/commands/caller.js';
import type { CommandDefinition } from '../../core/commands/definition.js';
import { executeParsed } from '../../core/commands/execute.js';
import { parseCommandLine } from '../../core/commands/parse-command-line.js';
import { localIsoDate } from '../../core/dates.js';
import type { Reply } from '../../core/reply/reply.js';
import type { DigestStore } from '../../digest/digest-store.js';
import type { Logger } from '../../logger.js';
import type { PageStateStore } from '../../shared-state/shared-state.js';
import { type CommandQueue, QueueFullError } from '../command-queue.js';
import { recordInteraction } from '../ops/metrics.js';
import { resolveBotAccess, resolveCanManageChannel, type UsersInfoClient } from './caller.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { encodePageState } from './page-state.js';
import { renderBlocks, SLACK_LIMITS, type SlackMessage } from './render-blocks.js';

/** What the handlers need, injected (tests pass fakes). */
export interface AnswerDeps {
  archive: Archive;
  /** The shared state's digest store (subscribe, unsubscribe, digest); absent, the archive's SQLite one. */
  digest?: DigestStore;
  catalogue: readonly CommandDefinition[];
  log: Logger;
  now: () => Date;
  /** SLACK_SUBSCRIBE_ROLE: who passes a `manage-channel` check. */
  subscribeRole: 'admin' | 'member';
  /** PUBLIC_URL of the web page, when it serves charts: `/twir perf` and `/twir events` then show theirs. */
  chartBaseUrl?: string | null;
  /** Where commands wait their turn (the adapter's one queue); absent in tests that call the handlers directly. */
  queue?: CommandQueue;
  /** The bot user's name (auth.test), for "invite @name first". */
  botName?: string;
  /** Where Find in TWIR keeps what its Share buttons re-answer; without it the answer has no Share button. */
  finds?: FindStateStore;
}

/**
 * Where Find in TWIR's Share buttons keep what they re-answer: the shared state's page states (the SQLite
 * store, or PostgreSQL, so any replica serves the click), a Map in tests.
 */
export type FindStateStore = PageStateStore;

/** Said (privately) when so much is queued that an answer would come too late. */
export const BUSY_TEXT = 'twir-bot is very busy right now; please ask again in a minute.';

/** A message for `respond()`: in the channel for everyone, or ephemeral for the asker. */
export type SlackResponse = SlackMessage & { response_type: 'in_channel' | 'ephemeral' };

export interface Answered {
  reply: Reply;
  /** The answer first, then (for a public answer with a hint) the hint, privately. */
  messages: SlackResponse[];
}

/** Runs `/twir <text>` for `caller`; `pin` re-runs a paged answer at its original as-of date and another page. */
export async function answerText(
  deps: AnswerDeps,
  client: UsersInfoClient,
  text: string,
  caller: Caller,
  pin?: { asOf: string; page: number; issue?: number },
): Promise<Answered> {
  const started = performance.now();
  const parsed = parseCommandLine(text, deps.catalogue);
  if (parsed.ok && pin)
    parsed.global = { ...parsed.global, asOf: pin.asOf, page: pin.page, ...(pin.issue !== undefined ? { pin: pin.issue } : {}) };
  // Only commands that need it pay for the users.info round trip.
  if (parsed.ok && parsed.command.permission === 'manage-channel') {
    const [canManage, bot] = await Promise.all([
      resolveCanManageChannel(client, caller.userId, deps.subscribeRole, deps.log),
      resolveBotAccess(client, caller, deps.botName, deps.log),
    ]);
    caller.canManageChannel = canManage;
    if (bot) caller.botAccess = bot;
  }
  const today = localIsoDate(deps.now());
  const execute = () =>
    executeParsed(
      parsed,
      {
        archive: deps.archive,
        today: () => today,
        now: deps.now,
        ...(deps.digest ? { digest: deps.digest } : {}),
        onError: (err, command) =>
          deps.log.error(`slack: ${command} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
      },
      caller,
    );
  let executed: Awaited<ReturnType<typeof execute>>;
  try {
    // In the queue: a burst of expensive commands takes turns, so acks and cheap commands are not held up.
    executed = parsed.ok && deps.queue ? await deps.queue.run(parsed.command.name, execute) : await execute();
  } catch (err) {
    if (!(err instanceof QueueFullError)) throw err;
    executed = { reply: { kind: 'error', title: BUSY_TEXT, sections: [], citations: [] }, global: parsed.global, command: null };
  }
  const reply = executed.reply;
  const asOf = executed.global.asOf ?? today;
  const isPrivate = reply.kind !== 'answer' || reply.private === true;
  const chart =
    parsed.ok && !isPrivate && deps.chartBaseUrl ? commandChart(parsed.command.name, parsed.args, deps.archive, asOf) : undefined;
  const message = renderBlocks(reply, {
    includeHint: isPrivate,
    ...(chart && parsed.ok
      ? { image: { url: `${deps.chartBaseUrl}/chart/${parsed.command.name}.png?as-of=${asOf}`, alt: chart.summary } }
      : {}),
    pageValue: (page) => {
      const issue = reply.page?.pin;
      const value = encodePageState({
        text,
        asOf,
        page,
        ...(caller.userId ? { user: caller.userId } : {}),
        ...(issue !== undefined ? { pin: issue } : {}),
      });
      return value.length <= SLACK_LIMITS.buttonValue ? value : null;
    },
  });
  const messages: SlackResponse[] = [{ response_type: isPrivate ? 'ephemeral' : 'in_channel', ...message }];
  if (!isPrivate && reply.hint) {
    const hint = truncate(escapeMrkdwn(reply.hint), SLACK_LIMITS.sectionText);
    messages.push({ response_type: 'ephemeral', text: hint, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: hint }] }] });
  }
  const ms = performance.now() - started;
  const command = parsed.ok ? parsed.command.name : 'unknown';
  recordInteraction('slack', command, reply.kind, ms / 1000);
  deps.log.debug(
    `slack: ${caller.userId} in ${caller.workspaceId}/${caller.channelId}: ${command} → ${reply.kind} in ${Math.round(ms)} ms`,
  );
  return { reply, messages };
}
