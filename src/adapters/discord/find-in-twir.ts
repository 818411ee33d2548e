/**
 * "Find in TWIR", the message context-menu command (right-click or long-press
 * a message → Apps → Find in TWIR): answers privately from the message's
 * text and embeds, with a Share button; Share posts the same answer publicly as a
 * follow-up and turns the private one into "Shared in the channel.".
 *
 * The button carries only a key: the message's text, the as-of date, the
 * newest issue then and who asked are saved in the page-state store (under
 * `discord:page:`, so the page states' pruning forgets them too). A click
 * re-answers from what was saved, never from anything the client sends, and
 * only for the person who asked.
 * https://discord.com/developers/docs/interactions/application-commands#message-commands
 */
import { createHash } from 'node:crypto';
import { executeCommand } from '../../core/commands/execute.js';
import { FIND_IN_TWIR, FIND_STATE_TTL_DAYS, findInTwir, readSavedFind, type SavedFind } from '../../core/commands/find-in-twir.js';
import { localIsoDate } from '../../core/dates.js';
import type { Reply } from '../../core/reply/reply.js';
import { MAX_MESSAGE_CHARS } from '../../core/search/message-links.js';
import { CALLBACK, type HandledInteraction, type InteractionDeps, type InteractionPayload } from './interaction-types.js';
import { type DiscordMessage, renderNotice, renderReply } from './render-reply.js';

/** Application command type of a message context-menu command. */
export const MESSAGE_COMMAND = 3;
const SHARE_PREFIX = 'twir:s1:';
const STATE_KEY = 'discord:page:find:';

/** What a Share button's key stands for. */

/** Whether the interaction is Find in TWIR used on a message. */
export function isFindInTwir(interaction: InteractionPayload): boolean {
  return interaction.type === 2 && interaction.data?.type === MESSAGE_COMMAND;
}

/** Whether the interaction is a click on a Share button. */
export function isShareClick(interaction: InteractionPayload): boolean {
  return interaction.type === 3 && String(interaction.data?.custom_id ?? '').startsWith(SHARE_PREFIX);
}

/** The private answer to Find in TWIR on a message, with a Share button when it found something to share. */
export async function answerFindInTwir(interaction: InteractionPayload, deps: InteractionDeps): Promise<HandledInteraction> {
  if (interaction.data?.name !== FIND_IN_TWIR) return notice('I do not know that message command; run /twir help.');
  const target = interaction.data.target_id;
  // Discord sends the message it was used on in `resolved` (no Message Content intent needed).
  const text = messageText(target ? interaction.data.resolved?.messages?.[target] : undefined).slice(0, MAX_MESSAGE_CHARS + 1);
  const asOf = localIsoDate(deps.now());
  const pin = deps.archive.latest(asOf)?.number ?? undefined;
  const reply = await run(text, asOf, pin, interaction, deps);
  if (reply.kind !== 'answer') return { response: { type: CALLBACK.MESSAGE, data: renderReply(reply) }, followUps: [] };
  const saved: SavedFind = { text, asOf, ...(pin !== undefined ? { pin } : {}), user: userOf(interaction), at: deps.now().toISOString() };
  // Same message, day and person: the same key, so asking twice reuses one row.
  const key = createHash('sha256')
    .update(JSON.stringify([saved.text, saved.asOf, saved.pin, saved.user]))
    .digest('base64url')
    .slice(0, 22);
  await deps.pages.set(`${STATE_KEY}${key}`, JSON.stringify(saved), saved.at);
  const message = renderReply({ ...reply, private: true });
  message.components = [shareRow(`${SHARE_PREFIX}${key}`)];
  return { response: { type: CALLBACK.MESSAGE, data: message }, followUps: [] };
}

/** A Share click: the asker's posts the answer publicly and marks the private one shared; anyone else's is refused privately. */
export async function shareFindInTwir(interaction: InteractionPayload, deps: InteractionDeps): Promise<HandledInteraction> {
  const key = String(interaction.data?.custom_id ?? '').slice(SHARE_PREFIX.length);
  const saved = /^[\w-]{1,40}$/.test(key) ? readSavedFind(await deps.pages.get(`${STATE_KEY}${key}`), deps.now()) : null;
  if (!saved)
    return notice(`This answer has expired (answers are kept ${FIND_STATE_TTL_DAYS} days). Use ${FIND_IN_TWIR} on the message again.`);
  const clicker = userOf(interaction);
  if (saved.user && clicker !== saved.user)
    return notice(`Only the person who used ${FIND_IN_TWIR} can share this answer. Use it on the message yourself to get your own.`);
  const reply = await run(saved.text, saved.asOf, saved.pin, interaction, deps);
  if (reply.kind !== 'answer') return notice('This answer can no longer be shared; use Find in TWIR on the message again.');
  const shared: DiscordMessage = renderReply({ ...reply, private: false });
  shared.components = [];
  // The private message is edited in place; the public answer is a follow-up in the channel.
  const done: DiscordMessage = { content: 'Shared in the channel.', embeds: [], components: [], allowed_mentions: { parse: [] } };
  return { response: { type: CALLBACK.UPDATE, data: done }, followUps: [shared] };
}

function run(text: string, asOf: string, pin: number | undefined, interaction: InteractionPayload, deps: InteractionDeps): Promise<Reply> {
  return executeCommand(
    findInTwir,
    { text },
    { asOf, ...(pin !== undefined ? { pin } : {}) },
    {
      archive: deps.archive,
      today: () => localIsoDate(deps.now()),
      now: deps.now,
      onError: (err) =>
        deps.log.error(
          `interaction ${interaction.id ?? '?'}: ${FIND_IN_TWIR} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        ),
    },
  );
}

/**
 * The text Find in TWIR reads from a message: its content, then its embeds' links, titles and
 * descriptions (a feed bot's post is often an embed alone; a link preview repeats a link, read once).
 */
function messageText(message: { content?: unknown; embeds?: unknown } | undefined): string {
  const content = typeof message?.content === 'string' ? message.content : '';
  const embeds = Array.isArray(message?.embeds) ? message.embeds.slice(0, 10) : [];
  const parts = embeds.flatMap((e: unknown) => {
    if (typeof e !== 'object' || e === null) return [];
    const { url, title, description } = e as Record<string, unknown>;
    return [url, title, description].filter((v): v is string => typeof v === 'string');
  });
  return [content, ...parts].filter(Boolean).join('\n');
}

function userOf(interaction: InteractionPayload): string | null {
  return interaction.member?.user?.id ?? interaction.user?.id ?? null;
}

function shareRow(customId: string): NonNullable<DiscordMessage['components']>[number] {
  // type 1 = action row, type 2 = button, style 1 = primary (blurple).
  return { type: 1, components: [{ type: 2, style: 1, label: 'Share', custom_id: customId }] } as NonNullable<
    DiscordMessage['components']
  >[number];
}

function notice(text: string): HandledInteraction {
  return { response: { type: CALLBACK.MESSAGE, data: renderNotice(text) }, followUps: [] };
}
