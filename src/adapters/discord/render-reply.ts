/**
 * The one module that knows Discord's message limits. It turns a neutral
 * Reply into a message body (embed, buttons, flags, allowed_mentions) that
 * Discord accepts whatever the Reply holds: every text is escaped, every
 * field cut to its limit, and the whole message kept under 6000 characters.
 * https://discord.com/developers/docs/resources/message#embed-object-embed-limits
 */
import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import type { Reply, ReplyItem, ReplySection } from '../../core/reply/reply.js';
import { attribution } from '../../core/reply/reply.js';
import { escapeDiscordMarkdown, safeLinkUrl } from './escape.js';

/** Discord's documented limits (characters unless stated). */
export const DISCORD_LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Sum of every embed's title, description, field names and values, footer and author. */
  embedTotal: 6000,
  embeds: 10,
  customId: 100,
  autocompleteChoices: 25,
  choiceText: 100,
} as const;

/** This Week in Rust's orange, the colour of every embed. */
export const TWIR_COLOUR = 0xf74c00;

/** Discord's EPHEMERAL message flag (1 << 6). */
export const EPHEMERAL = 64;

/** A message Discord accepts: for an interaction response, an edit or a follow-up. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  flags?: number;
  /** Always `{ parse: [] }`: nothing in an answer may ping anyone. */
  allowed_mentions: { parse: [] };
}

/** Buttons to attach, already encoded (see page-state.ts). */
export interface PageButtons {
  prev: string | null;
  next: string | null;
}

/**
 * Cuts `text` to at most `max` characters, ending with "…" when cut. Counts
 * UTF-16 code units, as Discord does, and never splits a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Whether Discord should show this reply only to the asker. */
export function isPrivateReply(reply: Reply): boolean {
  return reply.kind !== 'answer' || reply.private === true;
}

/** The message for a Reply; `buttons` adds Prev/Next when the reply has more than one page. */
export function renderReply(reply: Reply, buttons?: PageButtons): DiscordMessage {
  const embed = renderEmbed(reply);
  const message: DiscordMessage = { embeds: [embed], allowed_mentions: { parse: [] } };
  if (isPrivateReply(reply)) message.flags = EPHEMERAL;
  if (buttons && reply.page && reply.page.pages > 1) message.components = [pageRow(buttons)];
  else message.components = [];
  return message;
}

/** A short private text message (expired page, someone else's buttons…). */
export function renderNotice(text: string): DiscordMessage {
  return { content: truncate(text, DISCORD_LIMITS.content), embeds: [], flags: EPHEMERAL, allowed_mentions: { parse: [] } };
}

/** The asker-only hint of a public answer, sent as an ephemeral follow-up. */
export function renderHint(reply: Reply): DiscordMessage | null {
  if (!reply.hint || isPrivateReply(reply)) return null;
  return renderNotice(escapeDiscordMarkdown(reply.hint));
}

function renderEmbed(reply: Reply): APIEmbed {
  const title = truncate(escapeDiscordMarkdown(reply.title || 'This Week in Rust'), DISCORD_LIMITS.embedTitle);
  const url = safeLinkUrl(reply.url);
  const pageNote = reply.page && reply.page.pages > 1 ? `Page ${reply.page.page} of ${reply.page.pages} · ` : '';
  const footer = truncate(`${pageNote}${reply.footer ?? attribution(reply.citations)}`, DISCORD_LIMITS.footer);
  const intro = [
    reply.warning ? `⚠️ **${escapeDiscordMarkdown(reply.warning)}**` : '',
    reply.description ? escapeDiscordMarkdown(reply.description) : '',
    // Private replies have no follow-up, so their hint goes in the message itself.
    reply.hint && isPrivateReply(reply) ? escapeDiscordMarkdown(reply.hint) : '',
  ].filter(Boolean);
  // Budget for the 6000-character total: title and footer always fit, the rest shares what is left.
  // The description may not starve the sections, and 100 characters stay free for the "… more not shown" note.
  let budget = DISCORD_LIMITS.embedTotal - title.length - footer.length - 100;
  const forSections = reply.sections.length > 0 ? Math.min(1500, budget) : 0;
  const description = truncate(intro.join('\n\n'), Math.max(0, Math.min(DISCORD_LIMITS.embedDescription, budget - forSections)));
  budget -= description.length;
  const fields = renderFields(reply.sections, budget);
  return {
    title,
    ...(url ? { url } : {}),
    ...(description ? { description } : {}),
    color: TWIR_COLOUR,
    ...(fields.length ? { fields } : {}),
    footer: { text: footer },
  };
}

/** One field per section (continued in more fields when long), within the field count and the budget. */
function renderFields(sections: readonly ReplySection[], budget: number): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  let left = budget;
  let dropped = 0;
  for (const section of sections) {
    const name = truncate(escapeDiscordMarkdown(section.label || '\u200b'), DISCORD_LIMITS.fieldName);
    let value = '';
    let part = 0;
    const flush = (): boolean => {
      if (!value) return true;
      const fieldName = part === 0 ? name : truncate(`${name} (continued)`, DISCORD_LIMITS.fieldName);
      // One field stays free for the "… more not shown" note.
      if (fields.length >= DISCORD_LIMITS.embedFields - 1 || fieldName.length + value.length > left) return false;
      fields.push({ name: fieldName, value });
      left -= fieldName.length + value.length;
      part++;
      value = '';
      return true;
    };
    let full = false;
    for (const [i, item] of section.items.entries()) {
      if (full) {
        dropped++;
        continue;
      }
      const line = truncate(itemLine(item), DISCORD_LIMITS.fieldValue);
      if (value && value.length + 1 + line.length > DISCORD_LIMITS.fieldValue && !flush()) {
        full = true;
        dropped += section.items.length - i;
        value = '';
        break;
      }
      value = value ? `${value}\n${line}` : line;
    }
    if (!full && !flush()) dropped += value.split('\n').length;
    if (section.items.length === 0 && !full) {
      if (fields.length < DISCORD_LIMITS.embedFields - 1 && name.length + 1 <= left) {
        fields.push({ name, value: '\u200b' });
        left -= name.length + 1;
      }
    }
  }
  if (dropped > 0) fields.push({ name: '\u200b', value: `… ${dropped} more not shown; follow the link for the full issue.` });
  return fields;
}

/** "• [label](url)" with the detail on a second, indented line. */
function itemLine(item: ReplyItem): string {
  const label = escapeDiscordMarkdown(truncate(item.label, 300));
  const url = safeLinkUrl(item.url);
  const head = url ? `• [${label}](${url})` : `• ${label}`;
  return item.detail ? `${head}\n\u2003${escapeDiscordMarkdown(truncate(item.detail, 300))}` : head;
}

function pageRow(buttons: PageButtons): APIActionRowComponent<APIComponentInMessageActionRow> {
  // type 1 = action row, type 2 = button, style 2 = secondary (grey).
  return {
    type: 1,
    components: [
      { type: 2, style: 2, label: '◀ Prev', custom_id: buttons.prev ?? 'twir:none:prev', disabled: buttons.prev === null },
      { type: 2, style: 2, label: 'Next ▶', custom_id: buttons.next ?? 'twir:none:next', disabled: buttons.next === null },
    ],
  } as APIActionRowComponent<APIComponentInMessageActionRow>;
}
