/**
 * The digest as one Discord message: a single embed with a field per
 * section. Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits)
 * are kept here: title 256, description 4096, 25 fields of 256/1024, footer
 * 2048, 6000 characters over the whole message.
 */

import { escapeMarkdown } from 'discord.js';
import type { APIEmbed } from 'discord-api-types/v10';
import type { ReplyItem } from '../../core/reply/reply.js';
import type { Digest } from '../../digest/build-digest.js';

export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
} as const;

/** The least room worth starting another field with. */
const MIN_FIELD_VALUE = 60;

/** TWIR's orange, so digests are recognisable in a busy channel. */
const COLOR = 0xf74c00;

/** The message body for POST /channels/{id}/messages (without nonce and allowed_mentions). */
export function renderDiscordDigest(digest: Digest): { content?: string; embeds: APIEmbed[] } {
  const title = clip(digest.test ? `[test] ${digest.title}` : digest.title, EMBED_LIMITS.title);
  const description = clip(
    [escapeText(digest.intro), digest.place ? `Events: only those matching "${escapeText(digest.place)}".` : ''].filter(Boolean).join('\n'),
    EMBED_LIMITS.description,
  );
  const footer = clip(digest.test ? `${digest.footer} · test post, not a delivery` : digest.footer, EMBED_LIMITS.footer);
  let budget = EMBED_LIMITS.total - title.length - description.length - footer.length;
  const fields: NonNullable<APIEmbed['fields']> = [];
  for (const section of digest.sections.slice(0, EMBED_LIMITS.fields)) {
    const name = clip(section.more ? `${section.label} (+${section.more} more)` : section.label, EMBED_LIMITS.fieldName);
    // Stop when what is left could not hold the name and a line worth reading.
    if (budget - name.length < MIN_FIELD_VALUE) break;
    const value = fieldValue(section.items, Math.min(EMBED_LIMITS.fieldValue, budget - name.length), digest.url);
    if (!value) break;
    budget -= name.length + value.length;
    fields.push({ name, value });
  }
  return {
    embeds: [{ title, url: safeUrl(digest.url) ?? undefined, description, color: COLOR, fields, footer: { text: footer } }],
  };
}

/** Whole lines while they fit; a cut section ends with "…and more in the issue" rather than a broken link. */
function fieldValue(items: readonly ReplyItem[], room: number, issueUrl: string): string {
  const more = `…more in the [issue](${safeUrl(issueUrl) ?? ''})`;
  const lines: string[] = [];
  let used = 0;
  for (const [i, item] of items.entries()) {
    const line = itemLine(item);
    const needed = used + (lines.length ? 1 : 0) + line.length;
    const reserve = i < items.length - 1 ? more.length + 1 : 0;
    if (needed + reserve > room) {
      if (lines.length === 0) return clip(line, room);
      lines.push(more);
      return lines.join('\n');
    }
    lines.push(line);
    used = needed;
  }
  return lines.join('\n');
}

function itemLine(item: ReplyItem): string {
  const url = item.url ? safeUrl(item.url) : null;
  const label = escapeText(clip(item.label, 200));
  const head = url ? `[${label.replace(/[[\]]/g, '')}](${url})` : label;
  return `• ${head}${item.detail ? ` — ${escapeText(clip(item.detail, 160))}` : ''}`;
}

/** http(s) only, with the characters that would end a masked link encoded. */
function safeUrl(url: string): string | null {
  if (!/^https?:\/\//i.test(url)) return null;
  return url.replace(/[()\s<>]/g, (c) => encodeURIComponent(c));
}

function escapeText(text: string): string {
  return escapeMarkdown(text);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
