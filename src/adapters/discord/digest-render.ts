/**
 * The digest as one Discord message: a single embed with a field per
 * section. Discord's limits, escaping and link rules come from the adapter's
 * own modules (render-reply.ts, escape.ts), so answers and digests obey the
 * same numbers; this file only decides the digest's layout within them.
 */
import type { APIEmbed } from 'discord-api-types/v10';
import type { ReplyItem } from '../../core/reply/reply.js';
import type { Digest } from '../../digest/build-digest.js';
import { escapeDiscordMarkdown, safeLinkUrl } from './escape.js';
import { DISCORD_LIMITS, TWIR_COLOUR, truncate } from './render-reply.js';

/** The least room worth starting another field with. */
const MIN_FIELD_VALUE = 60;

/** The message body for POST /channels/{id}/messages (without nonce and allowed_mentions). */
export function renderDiscordDigest(digest: Digest): { embeds: APIEmbed[] } {
  const title = truncate(digest.test ? `[test] ${digest.title}` : digest.title, DISCORD_LIMITS.embedTitle);
  const description = truncate(
    [escapeDiscordMarkdown(digest.intro), digest.place ? `Events: only those matching "${escapeDiscordMarkdown(digest.place)}".` : '']
      .filter(Boolean)
      .join('\n'),
    DISCORD_LIMITS.embedDescription,
  );
  const footer = truncate(digest.test ? `${digest.footer} · test post, not a delivery` : digest.footer, DISCORD_LIMITS.footer);
  let budget = DISCORD_LIMITS.embedTotal - title.length - description.length - footer.length;
  const fields: NonNullable<APIEmbed['fields']> = [];
  for (const section of digest.sections.slice(0, DISCORD_LIMITS.embedFields)) {
    const name = truncate(section.more ? `${section.label} (+${section.more} more)` : section.label, DISCORD_LIMITS.fieldName);
    // Stop when what is left could not hold the name and a line worth reading.
    if (budget - name.length < MIN_FIELD_VALUE) break;
    const value = fieldValue(section.items, Math.min(DISCORD_LIMITS.fieldValue, budget - name.length), digest.url);
    if (!value) break;
    budget -= name.length + value.length;
    fields.push({ name, value });
  }
  const url = safeLinkUrl(digest.url);
  return { embeds: [{ title, ...(url ? { url } : {}), description, color: TWIR_COLOUR, fields, footer: { text: footer } }] };
}

/** Whole lines while they fit; a cut section ends with "…more in the issue" rather than a broken link. */
function fieldValue(items: readonly ReplyItem[], room: number, issueUrl: string): string {
  const url = safeLinkUrl(issueUrl);
  const more = url ? `…more in the [issue](${url})` : '…more in the issue';
  const lines: string[] = [];
  let used = 0;
  for (const [i, item] of items.entries()) {
    const line = itemLine(item);
    const needed = used + (lines.length ? 1 : 0) + line.length;
    const reserve = i < items.length - 1 ? more.length + 1 : 0;
    if (needed + reserve > room) {
      if (lines.length === 0) return truncate(line, room);
      lines.push(more);
      return lines.join('\n');
    }
    lines.push(line);
    used = needed;
  }
  return lines.join('\n');
}

function itemLine(item: ReplyItem): string {
  const url = safeLinkUrl(item.url);
  const label = escapeDiscordMarkdown(truncate(item.label, 200));
  const head = url ? `[${label}](${url})` : label;
  return `• ${head}${item.detail ? ` — ${escapeDiscordMarkdown(truncate(item.detail, 160))}` : ''}`;
}
