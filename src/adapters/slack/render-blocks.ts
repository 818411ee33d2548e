/**
 * Renders a neutral Reply as a Slack message: Block Kit blocks plus the
 * plain-text `text` fallback Slack shows in notifications and reads to screen
 * readers. This module is the only code that knows Slack's size limits; every
 * string is escaped (mrkdwn.ts) and cut to its field's limit here, and the
 * block count is budgeted so an oversized Reply still renders as a valid
 * message instead of `invalid_blocks`.
 *
 * https://docs.slack.dev/reference/block-kit/blocks
 */
import type { types } from '@slack/bolt';
import type { Reply, ReplyItem } from '../../core/reply/reply.js';
import { escapeMrkdwn, mrkdwnLink, truncate } from './mrkdwn.js';

type KnownBlock = types.KnownBlock;

/** Slack's Block Kit and message limits (characters are UTF-16 code units). Exported for the digest. */
export const SLACK_LIMITS = {
  /** Blocks in one message. */
  blocks: 50,
  /** `header` block plain text. */
  headerText: 150,
  /** `section` block text. */
  sectionText: 3000,
  /** `section` fields, and the length of each. */
  fields: 10,
  fieldText: 2000,
  /** Elements of a `context` block. */
  contextElements: 10,
  /** One text element of a context block (a text object's own limit is 3000; kept lower so ten fit comfortably). */
  contextText: 2000,
  /** Button label and value. */
  buttonText: 75,
  buttonValue: 2000,
  /** The top-level `text` fallback (Slack truncates messages past 40,000; notifications show far less). */
  fallbackText: 3000,
  /** `image` block: its URL and alt text. https://api.slack.com/reference/block-kit/blocks#image */
  imageUrl: 3000,
  imageAlt: 2000,
} as const;

/** One message's body, ready for `respond()` or `chat.postMessage`. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface RenderOptions {
  /** Put `reply.hint` in the message (a private reply); answers send their hint separately. */
  includeHint?: boolean;
  /**
   * The button value that re-runs the command for `page`, or null when the
   * state does not fit in a button (the message then says how to ask instead).
   */
  pageValue?: (page: number) => string | null;
  /** A chart image Slack fetches from the web page (PUBLIC_URL), with its text alternative. */
  image?: { url: string; alt: string };
  /** A Share button (Find in TWIR's private answer): its action_id and value. */
  share?: { actionId: string; value: string };
}

/** Action ids of the paging buttons (handle-page-click.ts listens for both). */
export const PAGE_ACTION_IDS = { prev: 'twir_page_prev', next: 'twir_page_next' } as const;

/** Longest single item label and detail, so one hostile item cannot take a whole section. */
const ITEM_LABEL_MAX = 300;
const ITEM_DETAIL_MAX = 600;

/** Renders `reply` within every Slack limit. Never throws. */
export function renderBlocks(reply: Reply, options: RenderOptions = {}): SlackMessage {
  const head: KnownBlock[] = [];
  const tail: KnownBlock[] = [];
  const answer = reply.kind === 'answer' || reply.kind === 'empty';
  if (answer) {
    head.push({ type: 'header', text: { type: 'plain_text', text: plain(reply.title, SLACK_LIMITS.headerText), emoji: false } });
  } else {
    // Errors are sentences, often longer than a header allows: a section keeps them whole.
    head.push(section(`:warning: *${escapeMrkdwn(reply.title)}*`));
  }
  if (reply.warning) head.push(section(`:warning: ${escapeMrkdwn(reply.warning)}`));
  if (reply.description) head.push(section(escapeMrkdwn(reply.description)));

  // Slack fetches image_url itself, so only a public URL works; alt_text is what screen readers say.
  if (options.image && options.image.url.length <= SLACK_LIMITS.imageUrl)
    tail.push({ type: 'image', image_url: options.image.url, alt_text: plain(options.image.alt, SLACK_LIMITS.imageAlt) });
  const paging = pagingBlocks(reply, options);
  tail.push(...paging);
  if (options.share && options.share.value.length <= SLACK_LIMITS.buttonValue)
    tail.push({
      type: 'actions',
      block_id: 'twir_share',
      elements: [
        {
          type: 'button',
          action_id: options.share.actionId,
          text: { type: 'plain_text', text: 'Share' },
          style: 'primary',
          value: options.share.value,
        },
      ],
    });
  if (options.includeHint && reply.hint) tail.push(context([escapeMrkdwn(reply.hint)]));
  const footer = footerElements(reply);
  if (footer.length > 0) tail.push(context(footer));

  const budget = SLACK_LIMITS.blocks - head.length - tail.length;
  const body = sectionBlocks(reply, budget);
  return { text: fallbackText(reply, options.includeHint === true), blocks: [...head, ...body, ...tail] };
}

/** Each Reply section as a bold label and its items, packed into as few section blocks as the 3000-character limit allows. */
function sectionBlocks(reply: Reply, budget: number): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let omitted = 0;
  // One block is kept back for "…and N more" should the budget run out.
  const room = () => budget - blocks.length - 1;
  for (const s of reply.sections) {
    if (room() <= 0) {
      omitted += 1 + s.items.length;
      continue;
    }
    const lines = [`*${truncate(escapeMrkdwn(s.label), ITEM_LABEL_MAX)}*`, ...s.items.map(itemLine)];
    let chunk = '';
    for (const [i, line] of lines.entries()) {
      const next = chunk ? `${chunk}\n${line}` : line;
      if (next.length <= SLACK_LIMITS.sectionText) {
        chunk = next;
        continue;
      }
      if (room() <= 0) {
        omitted += lines.length - i;
        chunk = '';
        break;
      }
      blocks.push(section(chunk));
      chunk = line;
    }
    if (!chunk) continue;
    if (room() <= 0) {
      omitted += chunk.split('\n').length;
      continue;
    }
    blocks.push(section(chunk));
  }
  if (omitted > 0) blocks.push(context([`…and ${omitted} more lines not shown: narrow the question to see them.`]));
  return blocks;
}

function itemLine(item: ReplyItem): string {
  const label = mrkdwnLink(item.url, item.label, ITEM_LABEL_MAX);
  // Cut after escaping: "&" becomes five characters, and the limit is on what Slack receives.
  const detail = item.detail ? `\n      ${truncate(escapeMrkdwn(item.detail.replace(/\s*\n\s*/g, ' ')), ITEM_DETAIL_MAX)}` : '';
  return `• ${label}${detail}`;
}

function pagingBlocks(reply: Reply, options: RenderOptions): KnownBlock[] {
  const page = reply.page;
  if (!page || page.pages <= 1) return [];
  const status = `Page ${page.page} of ${page.pages} · ${page.total.toLocaleString('en')} in all`;
  const buttons = [
    page.page > 1 ? button('← Prev', PAGE_ACTION_IDS.prev, options.pageValue?.(page.page - 1)) : null,
    page.next !== undefined ? button('Next →', PAGE_ACTION_IDS.next, options.pageValue?.(page.next)) : null,
  ].filter((b) => b !== null);
  const wanted = (page.page > 1 ? 1 : 0) + (page.next !== undefined ? 1 : 0);
  if (buttons.length === wanted && wanted > 0) {
    return [context([status]), { type: 'actions', block_id: 'twir_paging', elements: buttons }];
  }
  // No button state (a command too long for a button value): say how to ask for the next page.
  return [context([page.next !== undefined ? `${status}: add \`--page ${page.next}\` for more.` : status])];
}

function button(label: string, actionId: string, value: string | null | undefined) {
  if (!value || value.length > SLACK_LIMITS.buttonValue) return null;
  return { type: 'button' as const, action_id: actionId, text: { type: 'plain_text' as const, text: label }, value };
}

/** The attribution, with the issue link when there is one, and the other cited issues (CC-BY-SA asks for the link back). */
function footerElements(reply: Reply): string[] {
  const elements: string[] = [];
  if (reply.footer) elements.push(reply.url ? mrkdwnLink(reply.url, reply.footer) : escapeMrkdwn(reply.footer));
  const cited = reply.citations.filter((c) => c.url && c.url !== reply.url);
  if (cited.length > 1 || (cited.length === 1 && !reply.url)) {
    const unique = [...new Map(cited.map((c) => [c.url, c])).values()];
    const links = unique.slice(0, 8).map((c) => mrkdwnLink(c.url, c.number !== null ? `#${c.number}` : c.date));
    const more = unique.length > 8 ? ` +${unique.length - 8}` : '';
    elements.push(`${links.join(' · ')}${more}`);
  }
  return elements.slice(0, SLACK_LIMITS.contextElements);
}

/** The notification / screen-reader text: title, then the first lines, escaped (Slack reads `text` as mrkdwn too). */
function fallbackText(reply: Reply, withHint: boolean): string {
  const parts = [reply.title];
  if (reply.warning) parts.push(`Warning: ${reply.warning}`);
  if (reply.description) parts.push(reply.description);
  // A usage error's "did you mean" is its hint: without it the fallback only says what went wrong.
  if (withHint && reply.hint) parts.push(reply.hint);
  for (const s of reply.sections) for (const item of s.items.slice(0, 5)) parts.push(`• ${item.label}`);
  return truncate(escapeMrkdwn(parts.join('\n')), SLACK_LIMITS.fallbackText);
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) } };
}

function context(texts: string[]): KnownBlock {
  return {
    type: 'context',
    elements: texts
      .slice(0, SLACK_LIMITS.contextElements)
      .map((t) => ({ type: 'mrkdwn' as const, text: truncate(t, SLACK_LIMITS.contextText) })),
  };
}

/**
 * Plain text (header): Slack shows it verbatim and parses no mentions, so it
 * is not escaped (an escape would show as "&lt;"); a zero-width space still
 * breaks `<!…`, `<@…` and `<#…` in case a client ever reads it as mrkdwn.
 * Empty text is refused by Slack, hence the space.
 */
function plain(text: string, max: number): string {
  return truncate(text.trim().replace(/<([!@#])/g, '<\u200b$1') || ' ', max);
}
