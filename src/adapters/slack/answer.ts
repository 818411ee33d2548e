/**
 * From command text to Slack messages: parse with the core (the same syntax
 * as the console), resolve the caller's permission when the command asks for
 * it, run, and render. Shared by the slash command and the paging buttons.
 */
import type { Archive } from '../../core/archive/archive.js';
import type { Caller } from '../../core/commands/caller.js';
import type { CommandDefinition } from '../../core/commands/definition.js';
import { executeParsed } from '../../core/commands/execute.js';
import { parseCommandLine } from '../../core/commands/parse-command-line.js';
import { localIsoDate } from '../../core/dates.js';
import type { Reply } from '../../core/reply/reply.js';
import type { Logger } from '../../logger.js';
import { resolveCanManageChannel, type UsersInfoClient } from './caller.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';
import { encodePageState } from './page-state.js';
import { renderBlocks, SLACK_LIMITS, type SlackMessage } from './render-blocks.js';

/** What the handlers need, injected (tests pass fakes). */
export interface AnswerDeps {
  archive: Archive;
  catalogue: readonly CommandDefinition[];
  log: Logger;
  now: () => Date;
  /** SLACK_SUBSCRIBE_ROLE: who passes a `manage-channel` check. */
  subscribeRole: 'admin' | 'member';
}

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
  const parsed = parseCommandLine(text, deps.catalogue);
  if (parsed.ok && pin)
    parsed.global = { ...parsed.global, asOf: pin.asOf, page: pin.page, ...(pin.issue !== undefined ? { pin: pin.issue } : {}) };
  // Only commands that need it pay for the users.info round trip.
  if (parsed.ok && parsed.command.permission === 'manage-channel') {
    caller.canManageChannel = await resolveCanManageChannel(client, caller.userId, deps.subscribeRole, deps.log);
  }
  const today = localIsoDate(deps.now());
  const executed = executeParsed(
    parsed,
    {
      archive: deps.archive,
      today: () => today,
      now: deps.now,
      onError: (err, command) =>
        deps.log.error(`slack: ${command} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    },
    caller,
  );
  const reply = executed.reply;
  const asOf = executed.global.asOf ?? today;
  const isPrivate = reply.kind !== 'answer' || reply.private === true;
  const message = renderBlocks(reply, {
    includeHint: isPrivate,
    pageValue: (page) => {
      const issue = reply.page?.pin;
      const value = encodePageState({ text, asOf, page, ...(issue !== undefined ? { pin: issue } : {}) });
      return value.length <= SLACK_LIMITS.buttonValue ? value : null;
    },
  });
  const messages: SlackResponse[] = [{ response_type: isPrivate ? 'ephemeral' : 'in_channel', ...message }];
  if (!isPrivate && reply.hint) {
    const hint = truncate(escapeMrkdwn(reply.hint), SLACK_LIMITS.sectionText);
    messages.push({ response_type: 'ephemeral', text: hint, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: hint }] }] });
  }
  return { reply, messages };
}
