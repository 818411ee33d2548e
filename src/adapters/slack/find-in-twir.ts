/**
 * "Find in TWIR", the message shortcut (a message's ⋯ menu → Find in TWIR,
 * `callback_id` twir_find): acknowledges at once, then answers privately
 * through the shortcut's `response_url` (no channel membership needed) with a
 * Share button. Share posts the same answer in the channel through the
 * click's `response_url` (`in_channel`) and replaces the private answer with
 * "Shared in the channel.".
 *
 * The button's value is only a key: the message's text, the as-of date, the
 * newest issue then and who asked are saved in the store's `state` table
 * under `slack:find:`, so any process sharing the database can serve the
 * click. A click re-answers from what was saved, and only for the asker.
 * https://docs.slack.dev/interactivity/implementing-shortcuts
 */
import { createHash } from 'node:crypto';
import type { RespondArguments } from '@slack/bolt';
import { executeCommand } from '../../core/commands/execute.js';
import { FIND_IN_TWIR, FIND_STATE_TTL_DAYS, findInTwir, readSavedFind, type SavedFind } from '../../core/commands/find-in-twir.js';
import { localIsoDate } from '../../core/dates.js';
import type { Reply } from '../../core/reply/reply.js';
import { MAX_MESSAGE_CHARS } from '../../core/search/message-links.js';
import { QueueFullError } from '../command-queue.js';
import type { InFlight } from '../in-flight.js';
import { recordInteraction } from '../ops/metrics.js';
import { type AnswerDeps, BUSY_TEXT } from './answer.js';
import { STOPPING_TEXT } from './handle-command.js';
import { unescapeSlackText } from './mrkdwn.js';
import { renderBlocks } from './render-blocks.js';

export { FIND_CALLBACK_ID } from './manifest.js';
/** The Share button's action_id. */
export const SHARE_ACTION_ID = 'twir_find_share';
export { FIND_STATE_TTL_DAYS } from '../../core/commands/find-in-twir.js';

const STATE_KEY = 'slack:find:';

/** The fields of a message_action payload this listener reads (Bolt's MessageShortcut has them all). */
export interface FindShortcutArgs {
  shortcut: { message?: { text?: unknown; attachments?: unknown }; user?: { id?: string } };
  ack: () => Promise<void>;
  respond?: (message: RespondArguments) => Promise<unknown>;
}

/** The fields of a Share click this listener reads. */
export interface ShareClickArgs {
  body: { user?: { id?: string } };
  action: { value?: string };
  ack: () => Promise<void>;
  respond: (message: RespondArguments) => Promise<unknown>;
}

/** The listener for `app.shortcut({ type: 'message_action', callback_id: 'twir_find' }, …)`. Never throws. */
export function createFindShortcutListener(deps: AnswerDeps, inFlight: InFlight) {
  return async ({ shortcut, ack, respond }: FindShortcutArgs): Promise<void> => {
    await ack();
    // A message shortcut always carries a response_url; without one there is nowhere to answer.
    if (!respond) return;
    if (!inFlight.open) {
      await respond({ response_type: 'ephemeral', text: STOPPING_TEXT }).catch(() => undefined);
      return;
    }
    await inFlight.track(async () => {
      try {
        const text = messageText(shortcut.message).slice(0, MAX_MESSAGE_CHARS + 1);
        const asOf = localIsoDate(deps.now());
        const pin = deps.archive.latest(asOf)?.number ?? undefined;
        const reply = await run(deps, text, asOf, pin);
        const user = shortcut.user?.id ?? null;
        const key =
          reply.kind === 'answer'
            ? await save(deps, { text, asOf, ...(pin !== undefined ? { pin } : {}), user, at: deps.now().toISOString() })
            : null;
        const message = renderBlocks(
          { ...reply, private: true },
          { includeHint: true, ...(key ? { share: { actionId: SHARE_ACTION_ID, value: key } } : {}) },
        );
        await respond({ response_type: 'ephemeral', ...message });
      } catch (err) {
        deps.log.error(`slack: ${FIND_IN_TWIR}: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  };
}

/** The listener for the Share button. Never throws. */
export function createShareClickListener(deps: AnswerDeps, inFlight: InFlight) {
  return async ({ body, action, ack, respond }: ShareClickArgs): Promise<void> => {
    await ack();
    const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    if (!inFlight.open) {
      await say(STOPPING_TEXT).catch(() => undefined);
      return;
    }
    await inFlight.track(async () => {
      try {
        const key = typeof action.value === 'string' && /^[\w-]{1,40}$/.test(action.value) ? action.value : null;
        const saved = key && deps.finds ? readSavedFind(await deps.finds.get(`${STATE_KEY}${key}`), deps.now()) : null;
        if (!saved) {
          await say(`This answer has expired (answers are kept ${FIND_STATE_TTL_DAYS} days). Use ${FIND_IN_TWIR} on the message again.`);
          return;
        }
        if (saved.user && body.user?.id !== saved.user) {
          await say(`Only the person who used ${FIND_IN_TWIR} can share this answer. Use it on the message yourself to get your own.`);
          return;
        }
        const reply = await run(deps, saved.text, saved.asOf, saved.pin);
        if (reply.kind !== 'answer') {
          await say(`This answer can no longer be shared; use ${FIND_IN_TWIR} on the message again.`);
          return;
        }
        // A new message for everyone in the channel, then the private answer says it was shared.
        await respond({ response_type: 'in_channel', replace_original: false, ...renderBlocks({ ...reply, private: false }) });
        await respond({ response_type: 'ephemeral', replace_original: true, text: 'Shared in the channel.' });
        // Old states are pruned now and then, on a click rather than a timer, so no process needs a scheduler.
        if (Math.random() < 0.05) await deps.finds?.prune(new Date(deps.now().getTime() - FIND_STATE_TTL_DAYS * 86_400_000).toISOString());
      } catch (err) {
        deps.log.error(`slack: ${FIND_IN_TWIR} share: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  };
}

/**
 * The text Find in TWIR reads from a message: its text, then its attachments' links, titles and texts
 * (a feed app's post is often an attachment alone; a link's unfurl repeats the link, read once). Slack
 * sends text with `&`, `<`, `>` escaped and links as `<url|label>`.
 */
function messageText(message: { text?: unknown; attachments?: unknown } | undefined): string {
  const text = typeof message?.text === 'string' ? message.text : '';
  const attachments = Array.isArray(message?.attachments) ? message.attachments.slice(0, 20) : [];
  const parts = attachments.flatMap((a: unknown) => {
    if (typeof a !== 'object' || a === null) return [];
    const { from_url, title_link, title, text: body } = a as Record<string, unknown>;
    return [from_url ?? title_link, title, body].filter((v): v is string => typeof v === 'string');
  });
  return unescapeSlackText([text, ...parts].filter(Boolean).join('\n'));
}

/** Runs Find in TWIR on the text, taking its turn in the adapter's queue like a command. */
async function run(deps: AnswerDeps, text: string, asOf: string, pin: number | undefined): Promise<Reply> {
  const started = performance.now();
  const execute = () =>
    executeCommand(
      findInTwir,
      { text },
      { asOf, ...(pin !== undefined ? { pin } : {}) },
      {
        archive: deps.archive,
        today: () => localIsoDate(deps.now()),
        now: deps.now,
        onError: (err) =>
          deps.log.error(`slack: ${FIND_IN_TWIR} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
      },
    );
  let reply: Reply;
  try {
    reply = deps.queue ? await deps.queue.run(findInTwir.name, execute) : await execute();
  } catch (err) {
    if (!(err instanceof QueueFullError)) throw err;
    reply = { kind: 'error', title: BUSY_TEXT, sections: [], citations: [] };
  }
  recordInteraction('slack', findInTwir.name, reply.kind, (performance.now() - started) / 1000);
  return reply;
}

/** Saves what a Share button re-answers; its key, or null when there is no store (no button then). */
async function save(deps: AnswerDeps, saved: SavedFind): Promise<string | null> {
  if (!deps.finds) return null;
  // Same message, day and person: the same key, so asking twice reuses one row.
  const key = createHash('sha256')
    .update(JSON.stringify([saved.text, saved.asOf, saved.pin, saved.user]))
    .digest('base64url')
    .slice(0, 22);
  try {
    await deps.finds.set(`${STATE_KEY}${key}`, JSON.stringify(saved), saved.at);
    return key;
  } catch (err) {
    // A read-only store: the answer still goes out, without a Share button.
    deps.log.warn(`slack: ${FIND_IN_TWIR}: could not save the answer for sharing: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}
