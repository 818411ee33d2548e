/**
 * The Prev/Next buttons (`block_actions`): re-runs the command in the
 * button's value for the page it names, at the first answer's as-of date.
 * The asker's click replaces the message in place (`replace_original`);
 * anyone else's gets a private copy of that page to turn on their own, so
 * nobody pages a public answer for everyone. A click that ends in an error
 * is answered privately and never overwrites the answer. The state is all
 * in the value, so any process behind the app can serve the click; since the
 * value comes back from the client, it only ever re-runs read-only commands.
 */
import type { RespondArguments } from '@slack/bolt';
import { isPageable } from '../../core/commands/definition.js';
import { parseCommandLine } from '../../core/commands/parse-command-line.js';
import type { InFlight } from '../in-flight.js';
import { type AnswerDeps, answerText } from './answer.js';
import { slackCaller, type UsersInfoClient } from './caller.js';
import { STOPPING_TEXT } from './handle-command.js';
import { decodePageState } from './page-state.js';

/** The fields of a block_actions payload this listener reads. */
export interface PageClickBody {
  team?: { id?: string } | null;
  user?: { id?: string };
  channel?: { id?: string; name?: string };
  container?: { channel_id?: string; is_ephemeral?: boolean };
}

/** What Bolt hands an action listener, narrowed to what this one uses. */
export interface PageClickArgs {
  body: PageClickBody;
  action: { value?: string };
  ack: () => Promise<void>;
  respond: (message: RespondArguments) => Promise<unknown>;
  client: UsersInfoClient;
}

/** Matches the action ids of both paging buttons (see PAGE_ACTION_IDS). */
export const PAGE_ACTION_PATTERN = /^twir_page_(prev|next)$/;

/** The listener for `app.action(PAGE_ACTION_PATTERN, …)`. Never throws. */
export function createPageClickListener(deps: AnswerDeps, inFlight: InFlight) {
  return async ({ body, action, ack, respond, client }: PageClickArgs): Promise<void> => {
    await ack();
    if (!inFlight.open) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: STOPPING_TEXT }).catch(() => undefined);
      return;
    }
    await inFlight.track(async () => {
      try {
        const state = decodePageState(action.value);
        const parsed = state ? parseCommandLine(state.text, deps.catalogue) : null;
        if (!state || (parsed?.ok && !isPageable(parsed.command))) {
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: 'This button no longer works; ask again with /twir.',
          });
          return;
        }
        const caller = slackCaller({
          teamId: body.team?.id,
          channelId: body.channel?.id ?? body.container?.channel_id,
          channelName: body.channel?.name,
          userId: body.user?.id,
        });
        const { reply, messages } = await answerText(deps, client, state.text, caller, {
          asOf: state.asOf,
          page: state.page,
          ...(state.pin !== undefined ? { issue: state.pin } : {}),
        });
        // Only the page itself: the hint was shown with the first answer.
        const [page] = messages;
        if (!page) return;
        const mine = !state.user || state.user === body.user?.id;
        if (reply.kind !== 'answer' || !mine) {
          // An error never replaces the answer; someone else's click gets their own copy (its buttons carry their id).
          await respond({ ...page, response_type: 'ephemeral', replace_original: false });
          return;
        }
        // Paging a private copy keeps it private.
        await respond({ ...page, ...(body.container?.is_ephemeral ? { response_type: 'ephemeral' } : {}), replace_original: true });
      } catch (err) {
        deps.log.error(`slack: page click: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  };
}
