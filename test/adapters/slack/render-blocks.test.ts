import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, mrkdwnLink, truncate, unescapeSlackText } from '../../../src/adapters/slack/mrkdwn.js';
import { renderBlocks, SLACK_LIMITS } from '../../../src/adapters/slack/render-blocks.js';
import type { Reply } from '../../../src/core/reply/reply.js';
import { sanitizeReply } from '../../../src/core/reply/safe-text.js';
import { messageError } from '../../support/fake-slack.js';

type Block = { type: string; text?: { text: string }; elements?: Array<{ text?: string | { text: string }; value?: string }> };

function texts(message: { text: string; blocks: unknown[] }): string[] {
  const out = [message.text];
  for (const b of message.blocks as Block[]) {
    if (b.text) out.push(b.text.text);
    for (const e of b.elements ?? []) out.push(typeof e.text === 'string' ? e.text : (e.text?.text ?? ''));
  }
  return out;
}

/** Every `<…>` sequence Slack would interpret in mrkdwn (all but the plain-text header): only links we built may remain. */
function controlSequences(message: { text: string; blocks: unknown[] }): string[] {
  const mrkdwn = { ...message, blocks: (message.blocks as Block[]).filter((b) => b.type !== 'header') };
  return texts(mrkdwn).flatMap((t) => t.match(/<[^>]*>/g) ?? []);
}

const hostile = [
  '<!channel> wake up',
  '<!here|here> and @here',
  '<!everyone>',
  '<@U123> you',
  '<!subteam^S1|@team>',
  '<#C123>',
  'AT&T <script>',
  'a|b>c <https://evil.example|click>',
];

function hostileReply(): Reply {
  return {
    kind: 'answer',
    title: '<!channel> Title | with > pipes',
    url: 'https://this-week-in-rust.org/blog/2024/10/30/this-week-in-rust-571/',
    description: hostile.join(' '),
    warning: 'Sync failing <!here>',
    sections: [
      {
        label: 'Crates <!channel>',
        items: hostile.map((label, i) => ({ label, url: `https://example.com/${i}?a=1&b=2`, detail: `detail ${label}` })),
      },
    ],
    footer: 'This Week in Rust 571 · 2024-10-30 · CC-BY-SA 4.0',
    citations: [],
    hint: '<@U999> hint',
  };
}

describe('Slack rendering', () => {
  it('escapes &, < and > so no mention, broadcast or foreign link survives, raw or after the core sanitizer', () => {
    for (const reply of [hostileReply(), sanitizeReply(hostileReply())]) {
      const message = renderBlocks(reply, { includeHint: true });
      for (const seq of controlSequences(message)) {
        // Only our own links: <https://…|label>, label free of | and >.
        expect(seq).toMatch(/^<https:\/\/(example\.com|this-week-in-rust\.org)\/[^|<>\s]*\|[^|<>]*>$/);
      }
      const all = texts(message).join('\n');
      expect(all).not.toMatch(/<!|<@|<#/);
      expect(all).toContain('&lt;');
      expect(all).toContain('AT&amp;T');
      expect(all).toContain('Sync failing');
      expect(messageError(message as unknown as Record<string, unknown>)).toBeNull();
    }
  });

  it('keeps a | or > in a link label from breaking the link, and drops non-http links', () => {
    expect(mrkdwnLink('https://a.example/x', 'a|b>c')).toBe('<https://a.example/x|a\u2223b&gt;c>');
    expect(mrkdwnLink('javascript:alert(1)', 'x')).toBe('x');
    expect(mrkdwnLink('https://a.example/<!channel>', 'x')).toBe('x');
    expect(mrkdwnLink('https://a.example/?a=1&b=2', 'x')).toBe('<https://a.example/?a=1&amp;b=2|x>');
    expect(escapeMrkdwn('<!here> & >')).toBe('&lt;!here&gt; &amp; &gt;');
  });

  it('reads the escaped text Slack sends back as typed', () => {
    expect(unescapeSlackText('search "a &amp; b" &lt;T&gt; &amp;lt;')).toBe('search "a & b" <T> &lt;');
    expect(unescapeSlackText(escapeMrkdwn('<!here> & >'))).toBe('<!here> & >');
  });

  it('truncates without splitting an escape or a surrogate pair', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('ab&amp;cd', 5)).toBe('ab…');
    expect(truncate(`ab${'😀'}cd`, 4)).toBe('ab…');
    expect(truncate('short', 10)).toBe('short');
  });

  it('fits an oversized reply into 50 blocks and every field limit, saying what was left out', () => {
    const long = (n: number, s = 'x') => s.repeat(n);
    const reply: Reply = {
      kind: 'answer',
      title: long(1000, 'T'),
      url: 'https://this-week-in-rust.org/',
      description: long(10_000, '&'),
      warning: long(5000, '<'),
      sections: Array.from({ length: 30 }, (_, s) => ({
        label: long(500, 'L'),
        items: Array.from({ length: 40 }, (_, i) => ({
          label: `${s}-${i} ${long(5000, '&')}`,
          url: `https://e.example/${s}/${i}`,
          detail: long(5000, '>'),
        })),
      })),
      footer: long(5000, 'F'),
      citations: Array.from({ length: 40 }, (_, i) => ({ number: i, date: '2024-01-01', title: `#${i}`, url: `https://t.example/${i}` })),
      hint: long(5000, 'h'),
      page: { page: 2, pages: 9, total: 90, next: 3 },
    };
    const message = renderBlocks(reply, { includeHint: true, pageValue: (p) => `{"p":${p}}` });
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(messageError(message as unknown as Record<string, unknown>)).toBeNull();
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    const all = texts(message).join('\n');
    expect(all).toMatch(/more lines not shown/);
    // The warning, the paging and the footer survive the cut.
    expect(all).toContain(':warning:');
    expect(all).toContain('Page 2 of 9');
    expect((message.blocks as Block[]).some((b) => b.type === 'actions')).toBe(true);
    expect((message.blocks as Block[]).at(-1)?.type).toBe('context');
  });

  it('packs a long list into as few section blocks as 3000 characters allow', () => {
    const reply: Reply = {
      kind: 'answer',
      title: 'Many',
      sections: [
        {
          label: 'Items',
          items: Array.from({ length: 60 }, (_, i) => ({ label: `Item ${i} ${'w'.repeat(100)}`, url: `https://e.example/${i}` })),
        },
      ],
      citations: [],
    };
    const message = renderBlocks(reply);
    const sections = (message.blocks as Block[]).filter((b) => b.type === 'section');
    expect(sections.length).toBeGreaterThan(1);
    expect(sections.length).toBeLessThan(10);
    for (const s of sections) expect(s.text?.text.length).toBeLessThanOrEqual(3000);
    expect(texts(message).join('\n')).toContain('Item 59');
  });

  it('renders usage errors as a sentence, not a header, and says how to page when the state does not fit a button', () => {
    const err = renderBlocks(
      { kind: 'usage-error', title: 'x'.repeat(400), hint: 'Try this', sections: [], citations: [] },
      { includeHint: true },
    );
    expect((err.blocks as Block[])[0]?.type).toBe('section');
    expect(texts(err).join('\n')).toContain('Try this');
    // The notification / screen-reader text says how to fix it too ("did you mean" lives in the hint).
    expect(err.text).toContain('Try this');
    const paged = renderBlocks(
      { kind: 'answer', title: 'Paged', sections: [], citations: [], page: { page: 1, pages: 3, total: 30, next: 2 } },
      { pageValue: () => null },
    );
    expect((paged.blocks as Block[]).some((b) => b.type === 'actions')).toBe(false);
    expect(texts(paged).join('\n')).toContain('--page 2');
  });
});
