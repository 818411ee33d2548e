/**
 * "Find in TWIR" on a chat message, against the whole archive: the message's
 * links (in every way chat writes them) looked up once each, found or not,
 * and a message without links searched by its words.
 */
import { describe, expect, it } from 'vitest';
import { executeCommand } from '../../../src/core/commands/execute.js';
import { findInTwir } from '../../../src/core/commands/find-in-twir.js';
import type { Reply } from '../../../src/core/reply/reply.js';
import { MAX_MESSAGE_LINKS, readMessage } from '../../../src/core/search/message-links.js';
import { archiveStore } from '../../support/archive-store.js';

const PR = 'https://github.com/rust-lang/rust/pull/132706';
const R180 = 'https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html';
const NEVER = 'https://example.com/never-in-twir-xyz';
const ISSUE_574 = 'https://this-week-in-rust.org/blog/2024/11/20/this-week-in-rust-574/';
const ISSUE_578 = 'https://this-week-in-rust.org/blog/2024/12/18/this-week-in-rust-578/';

function find(text: string, asOf = '2024-12-31'): Promise<Reply> {
  return executeCommand(
    findInTwir,
    { text },
    { asOf },
    {
      archive: archiveStore(),
      today: () => asOf,
      onError: (err) => {
        throw err;
      },
    },
  );
}

const queries = (text: string) => readMessage(text).links.map((l) => l.query);

describe('reading a message', () => {
  it('finds Markdown, Slack and Discord links and bare URLs, in order, without the sentence punctuation', () => {
    expect(
      queries(`See [the PR](${PR}), <${R180}|the post> and <https://example.org/a>; also https://example.org/b. (www.example.org/c)`),
    ).toEqual([PR, R180, 'https://example.org/a', 'https://example.org/b', 'www.example.org/c']);
  });

  it('reads pull request and RFC references, but not channel mentions or HTML entities', () => {
    expect(queries('fixed by #132706 and rust-lang/cargo#14000, see rfc 3668 <#123456789012345678> &#1234;')).toEqual([
      'rust-lang/rust#132706',
      'rust-lang/cargo#14000',
      'RFC 3668',
    ]);
  });

  it('looks a link up once however it is spelt: scheme, www., tracking, the PR tab, or as #N', () => {
    const message = readMessage(
      `${PR} http://www.github.com/rust-lang/rust/pull/132706/files?utm_source=x rust-lang/rust#132706 #132706 ${R180} ${R180}/`,
    );
    expect(message.links.map((l) => l.query)).toEqual([PR, R180]);
  });

  it(`looks up at most ${MAX_MESSAGE_LINKS} links and counts the rest`, async () => {
    const text = Array.from({ length: 13 }, (_, i) => `https://example.org/page-${i}`).join(' ');
    const message = readMessage(text);
    expect(message.links).toHaveLength(MAX_MESSAGE_LINKS);
    expect(message.more).toBe(3);
    expect((await find(text)).description).toMatch(/has 13 links; I looked up the first 10/);
  });

  it('takes the words of a message without links, without mentions or emoji codes', async () => {
    expect(readMessage('<@U123> @everyone :tada: async   closures are <!here> stable').words).toBe('async closures are stable');
    expect(readMessage('x'.repeat(50_000)).cut).toBe(true);
    expect(readMessage('word '.repeat(500)).words.length).toBeLessThanOrEqual(200);
  });
});

describe('Find in TWIR', () => {
  it('says which of two links was in TWIR, first and last issue with links to them, and which was not', async () => {
    const reply = await find(`look at ${PR} and ${NEVER}`);
    expect(reply.kind).toBe('answer');
    expect(reply.title).toBe('Find in TWIR: 1 of the 2 links was in This Week in Rust.');
    const [linked, never] = reply.sections;
    expect(linked?.label).toBe(PR);
    expect(linked?.items).toEqual([
      {
        label: 'This Week in Rust 578 · 2024-12-18',
        url: ISSUE_578,
        detail: 'Last linked (in 2 issues): "stabilize async closures" in Updates from the Rust Project',
      },
      { label: 'This Week in Rust 574 · 2024-11-20', url: ISSUE_574, detail: 'First linked' },
    ]);
    expect(never).toEqual({ label: 'Never in This Week in Rust', items: [{ label: NEVER, url: NEVER }] });
    expect(reply.citations.map((c) => c.url)).toContain(ISSUE_578);
  });

  it('answers as of a date: before the PR was linked, it was never in TWIR', async () => {
    const reply = await find(PR, '2024-11-01');
    expect(reply.title).toBe('Find in TWIR: That link was never in This Week in Rust.');
    expect(reply.sections).toEqual([{ label: 'Never in This Week in Rust', items: [{ label: PR, url: PR }] }]);
  });

  it('answers an RFC and a pull request named in words, once linked', async () => {
    const reply = await find(`Is RFC 3668 related to #132706? ${R180}`);
    expect(reply.sections.map((s) => s.label)).toEqual(['RFC 3668', 'rust-lang/rust#132706', R180]);
    expect(reply.sections[2]?.items).toEqual([
      {
        label: 'This Week in Rust 558 · 2024-07-31',
        url: 'https://this-week-in-rust.org/blog/2024/07/31/this-week-in-rust-558/',
        detail: 'Linked once: "Announcing Rust 1.80.0" in Updates from Rust Community › Official',
      },
    ]);
  });

  it('searches the words of a message without links, and says so', async () => {
    const reply = await find('has anyone tried async closures yet');
    expect(reply.kind).toBe('answer');
    expect(reply.title).toBe("Find in TWIR: searched the message's words");
    expect(reply.description).toMatch(/^The message has no links, so I searched its words: "has anyone tried async closures yet"/);
    const items = reply.sections[0]?.items ?? [];
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(5);
    expect(items.map((i) => i.label.toLowerCase()).join('\n')).toContain('async closures');
  });

  it('says clearly when a message has nothing to look up (only attachments or emoji)', async () => {
    for (const text of ['', '   ', ':tada: <@123>']) {
      const reply = await find(text);
      expect(reply.kind, text).toBe('empty');
      expect(reply.title).toMatch(/no text to look up/);
    }
  });

  it('never lets a hostile message ping: mentions it echoes are broken, however big the message', async () => {
    const hostile = `@everyone <@123> <@&456> @here ${'@everyone '.repeat(5000)}`;
    for (const reply of [await find(hostile), await find(`@everyone ${NEVER}?x=@here <@123>`)]) {
      const text = JSON.stringify(reply);
      expect(text).not.toMatch(/@(everyone|here)/);
      expect(text).not.toMatch(/<[@#!]/);
    }
  });
});
