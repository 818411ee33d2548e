/**
 * The digest as one Slack message: header, a section block per digest
 * section, a context footer. Slack's limits (https://api.slack.com/reference/block-kit/blocks)
 * are kept here: 50 blocks, header 150, section text 3000 characters.
 */
import type { KnownBlock } from '@slack/web-api';
import type { ReplyItem } from '../../core/reply/reply.js';
import { neutralizeMentions } from '../../core/reply/safe-text.js';
import type { Digest } from '../../digest/build-digest.js';

export const BLOCK_LIMITS = { blocks: 50, header: 150, sectionText: 3000, contextText: 3000, fallbackText: 3000 } as const;

/** The `text` (notifications, screen readers) and `blocks` of chat.postMessage. */
export function renderSlackDigest(digest: Digest): { text: string; blocks: KnownBlock[] } {
  const title = digest.test ? `[test] ${digest.title}` : digest.title;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(neutralizeMentions(title), BLOCK_LIMITS.header), emoji: false } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(
          [
            `${link(digest.url, 'Read the issue')} · ${escapeText(digest.intro)}`,
            digest.place ? `Events: only those matching "${escapeText(digest.place)}".` : '',
          ]
            .filter(Boolean)
            .join('\n'),
          BLOCK_LIMITS.sectionText,
        ),
      },
    },
  ];
  // Room for the footer block at the end.
  for (const section of digest.sections.slice(0, BLOCK_LIMITS.blocks - blocks.length - 1)) {
    const heading = `*${escapeText(section.label)}*${section.more ? ` (+${section.more} more in the issue)` : ''}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: sectionText(heading, section.items, digest.url) } });
  }
  const footer = digest.test ? `${digest.footer} · test post, not a delivery` : digest.footer;
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(escapeText(footer), BLOCK_LIMITS.contextText) }] });
  return { text: clip(neutralizeMentions(`${title}: ${digest.url}`), BLOCK_LIMITS.fallbackText), blocks };
}

function sectionText(heading: string, items: readonly ReplyItem[], issueUrl: string): string {
  const more = `…${link(issueUrl, 'more in the issue')}`;
  const lines = [heading];
  let used = heading.length;
  for (const [i, item] of items.entries()) {
    const line = itemLine(item);
    const reserve = i < items.length - 1 ? more.length + 1 : 0;
    if (used + 1 + line.length + reserve > BLOCK_LIMITS.sectionText) {
      lines.push(lines.length === 1 ? clip(line, BLOCK_LIMITS.sectionText - used - 1) : more);
      break;
    }
    lines.push(line);
    used += 1 + line.length;
  }
  return lines.join('\n');
}

function itemLine(item: ReplyItem): string {
  const label = clip(item.label, 200);
  const head = item.url ? link(item.url, label) : escapeText(label);
  return `• ${head}${item.detail ? ` — ${escapeText(clip(item.detail, 160))}` : ''}`;
}

/** `<url|label>`; a non-http URL is shown as plain text. `|` and `>` would end the link early. */
function link(url: string, label: string): string {
  if (!/^https?:\/\//i.test(url)) return escapeText(label);
  const safeUrl = url.replace(/[|<>\s]/g, (c) => encodeURIComponent(c));
  return `<${safeUrl}|${escapeText(label).replace(/\|/g, '∣')}>`;
}

/** Slack mrkdwn needs only &, < and > escaped; that also disarms every <!here>/<@U…> mention. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
