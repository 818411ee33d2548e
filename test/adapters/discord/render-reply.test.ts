/** The renderer at Discord's limits, with oversized and hostile Replies. */
import { describe, expect, it } from 'vitest';
import { escapeDiscordMarkdown, safeLinkUrl } from '../../../src/adapters/discord/escape.js';
import { renderReply, truncate } from '../../../src/adapters/discord/render-reply.js';
import type { Reply } from '../../../src/core/reply/reply.js';
import { messageErrors } from '../../support/fake-discord.js';

const base: Reply = { kind: 'answer', title: 'T', sections: [], citations: [] };

function huge(): Reply {
  const long = (n: number) => 'x'.repeat(n);
  return {
    kind: 'answer',
    title: `*bold* ${long(1000)}`,
    url: 'https://this-week-in-rust.org/blog/2024/10/30/this-week-in-rust-571/',
    description: long(10_000),
    warning: long(500),
    footer: long(5000),
    sections: Array.from({ length: 40 }, (_, s) => ({
      label: `Section ${s} ${long(400)}`,
      items: Array.from({ length: 50 }, (_, i) => ({
        label: `item ${i} ${long(500)}`,
        url: `https://example.com/${s}/${i}`,
        detail: long(400),
      })),
    })),
    citations: [],
    page: { page: 2, pages: 9, total: 90, next: 3 },
  };
}

describe('renderReply', () => {
  it('keeps an oversized reply within every Discord limit and says what it left out', () => {
    const message = renderReply(huge(), { prev: 'twir:p1:1:x', next: 'twir:p1:3:x' });
    expect(messageErrors(message, 'message')).toEqual([]);
    const embed = message.embeds[0];
    expect(embed?.title?.length).toBeLessThanOrEqual(256);
    expect(embed?.fields?.at(-1)?.value).toMatch(/more not shown/);
    expect(embed?.footer?.text).toMatch(/^Page 2 of 9 · /);
  });

  it('fills a long section into continued fields rather than cutting at the first 1024 characters', () => {
    const items = Array.from({ length: 12 }, (_, i) => ({
      label: `Crate number ${i} with a fairly long name`,
      url: `https://crates.io/crates/c${i}`,
      detail: 'A description of the crate '.repeat(3),
    }));
    const message = renderReply({ ...base, sections: [{ label: 'Crates', items }] });
    const fields = message.embeds[0]?.fields ?? [];
    expect(fields.length).toBeGreaterThan(1);
    expect(fields[1]?.name).toBe('Crates (continued)');
    expect(fields.map((f) => f.value).join('\n')).toContain('Crate number 11');
    expect(messageErrors(message, 'message')).toEqual([]);
  });

  it('shows the warning, a TWIR colour, the title link and the CC-BY-SA attribution', () => {
    const message = renderReply({
      ...base,
      url: 'https://this-week-in-rust.org/x/',
      warning: 'Sync is failing',
      citations: [{ number: 571, date: '2024-10-30', title: 'This Week in Rust 571', url: 'https://x' }],
    });
    const embed = message.embeds[0];
    expect(embed?.description).toContain('⚠️ **Sync is failing**');
    expect(embed?.color).toBe(0xf74c00);
    expect(embed?.url).toBe('https://this-week-in-rust.org/x/');
    expect(embed?.footer?.text).toBe('This Week in Rust 571 · 2024-10-30 · CC-BY-SA 4.0');
  });

  it('makes answers public, and empty, usage-error, error and private replies ephemeral', () => {
    expect(renderReply(base).flags).toBeUndefined();
    for (const kind of ['empty', 'usage-error', 'error'] as const) expect(renderReply({ ...base, kind }).flags).toBe(64);
    expect(renderReply({ ...base, private: true }).flags).toBe(64);
    expect(renderReply(base).allowed_mentions).toEqual({ parse: [] });
  });

  it('puts the hint of a private reply in the message, and adds buttons only to multi-page answers', () => {
    const message = renderReply({ ...base, kind: 'usage-error', hint: 'Try /twir help' });
    expect(message.embeds[0]?.description).toContain('Try /twir help');
    expect(renderReply({ ...base, page: { page: 1, pages: 1, total: 3 } }, { prev: null, next: null }).components).toEqual([]);
  });

  it('escapes markdown in newsletter text so titles render literally', () => {
    const message = renderReply({
      ...base,
      title: 'a *b* _c_ `d` | e [f](g)',
      sections: [{ label: 'x', items: [{ label: '[evil](https://bad)', url: 'https://ok.example/a_(b)' }] }],
    });
    expect(message.embeds[0]?.title).toBe('a \\*b\\* \\_c\\_ \\`d\\` \\| e \\[f\\](g)');
    expect(message.embeds[0]?.fields?.[0]?.value).toBe('• [\\[evil\\](https://bad)](https://ok.example/a_%28b%29)');
  });
});

describe('escape helpers', () => {
  it('escapes quotes, lists, headings and masked links at line starts', () => {
    expect(escapeDiscordMarkdown('> quote\n- item\n# head\n1. one')).toBe('\\> quote\n\\- item\n\\# head\n1\\. one');
    expect(escapeDiscordMarkdown('plain words stay plain')).toBe('plain words stay plain');
  });

  it('links only http(s) URLs', () => {
    expect(safeLinkUrl('javascript:alert(1)')).toBeNull();
    expect(safeLinkUrl('not a url')).toBeNull();
    expect(safeLinkUrl('https://a.example/x y')).toBe('https://a.example/x%20y');
  });

  it('truncates without splitting a surrogate pair', () => {
    expect(truncate('ab🦀cd', 4)).toBe('ab…');
    expect(truncate('short', 10)).toBe('short');
  });
});
