/**
 * The digest as one Slack message: header, a section block per digest
 * section, a context footer. Slack's limits, escaping and link rules come
 * from the adapter's own modules (render-blocks.ts, mrkdwn.ts), so answers
 * and digests obey the same numbers; this file only decides the layout.
 */
import type { KnownBlock } from '@slack/web-api';
import type { ReplyItem } from '../../core/reply/reply.js';
import { neutralizeMentions } from '../../core/reply/safe-text.js';
import type { Digest } from '../../digest/build-digest.js';
import { escapeMrkdwn, mrkdwnLink, truncate } from './mrkdwn.js';
import { SLACK_LIMITS } from './render-blocks.js';

/** The `text` (notifications, screen readers) and `blocks` of chat.postMessage. */
export function renderSlackDigest(digest: Digest): { text: string; blocks: KnownBlock[] } {
  const title = digest.test ? `[test] ${digest.title}` : digest.title;
  const intro = [
    `${mrkdwnLink(digest.url, 'Read the issue')} · ${escapeMrkdwn(digest.intro)}`,
    digest.place ? `Events: only those matching "${escapeMrkdwn(digest.place)}".` : '',
  ];
  const blocks: KnownBlock[] = [
    // plain_text never forms mentions; neutralized anyway, as everywhere.
    { type: 'header', text: { type: 'plain_text', text: truncate(neutralizeMentions(title), SLACK_LIMITS.headerText), emoji: false } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(intro.filter(Boolean).join('\n'), SLACK_LIMITS.sectionText) } },
  ];
  // Room for the footer block at the end.
  for (const section of digest.sections.slice(0, SLACK_LIMITS.blocks - blocks.length - 1)) {
    const heading = `*${escapeMrkdwn(section.label)}*${section.more ? ` (+${section.more} more in the issue)` : ''}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: sectionText(heading, section.items, digest.url) } });
  }
  const footer = digest.test ? `${digest.footer} · test post, not a delivery` : digest.footer;
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(escapeMrkdwn(footer), SLACK_LIMITS.contextText) }] });
  return { text: truncate(neutralizeMentions(`${title}: ${digest.url}`), SLACK_LIMITS.fallbackText), blocks };
}

/** Whole lines while they fit; a cut section ends with a link to the rest rather than a broken line. */
function sectionText(heading: string, items: readonly ReplyItem[], issueUrl: string): string {
  const more = `…${mrkdwnLink(issueUrl, 'more in the issue')}`;
  const lines = [truncate(heading, SLACK_LIMITS.sectionText)];
  let used = lines[0]?.length ?? 0;
  for (const [i, item] of items.entries()) {
    const line = itemLine(item);
    const reserve = i < items.length - 1 ? more.length + 1 : 0;
    if (used + 1 + line.length + reserve > SLACK_LIMITS.sectionText) {
      lines.push(lines.length === 1 ? truncate(line, SLACK_LIMITS.sectionText - used - 1) : more);
      break;
    }
    lines.push(line);
    used += 1 + line.length;
  }
  return lines.join('\n');
}

function itemLine(item: ReplyItem): string {
  const head = mrkdwnLink(item.url, item.label, 200);
  return `• ${head}${item.detail ? ` — ${truncate(escapeMrkdwn(item.detail), 160)}` : ''}`;
}
