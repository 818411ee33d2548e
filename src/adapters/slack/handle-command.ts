/**
 * The `/twir` slash-command listener. It acknowledges at once (Slack gives
 * three seconds, and a bare ack shows nothing), then answers through
 * `respond()`, i.e. the command's `response_url`: that needs no channel
 * membership, so a command typed in a channel the app cannot post in still
 * gets its answer. Callable directly with fake `ack`/`respond` in tests.
 */
import type { RespondArguments } from '@slack/bolt';
import type { InFlight } from '../in-flight.js';
import { type AnswerDeps, answerText } from './answer.js';
import { slackCaller, type UsersInfoClient } from './caller.js';
import { unescapeSlackText } from './mrkdwn.js';

/** The fields of a slash-command payload this listener reads (Bolt's SlashCommand has them all). */
export interface SlashCommandPayload {
  text: string;
  team_id?: string;
  /** The workspace's subdomain ("rust-lang" of rust-lang.slack.com). */
  team_domain?: string;
  channel_id?: string;
  channel_name?: string;
  user_id?: string;
}

/** What Bolt hands a command listener, narrowed to what this one uses. */
export interface CommandListenerArgs {
  command: SlashCommandPayload;
  ack: (response?: RespondArguments) => Promise<void>;
  respond: (message: RespondArguments) => Promise<unknown>;
  client: UsersInfoClient;
}

/** Shown when a command arrives while the bot is shutting down. */
export const STOPPING_TEXT = 'twir-bot is restarting; please ask again in a minute.';

/** The listener for `app.command('/twir', …)`. Never throws: failures are logged and answered. */
export function createCommandListener(deps: AnswerDeps, inFlight: InFlight) {
  return async ({ command, ack, respond, client }: CommandListenerArgs): Promise<void> => {
    if (!inFlight.open) {
      await ack({ response_type: 'ephemeral', text: STOPPING_TEXT });
      return;
    }
    await ack();
    await inFlight.track(async () => {
      try {
        const caller = slackCaller({
          teamId: command.team_id,
          channelId: command.channel_id,
          channelName: command.channel_name,
          teamDomain: command.team_domain,
          userId: command.user_id,
        });
        const { messages } = await answerText(deps, client, unescapeSlackText(command.text ?? ''), caller);
        // In order: the answer, then its private hint.
        for (const message of messages) await respond(message);
      } catch (err) {
        // respond() itself failed (response_url expired, Slack down): nobody to tell but the log.
        deps.log.error(
          `slack: /twir ${JSON.stringify((command.text ?? '').slice(0, 80))}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    });
  };
}
