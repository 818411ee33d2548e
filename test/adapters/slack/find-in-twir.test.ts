/**
 * "Find in TWIR", the message shortcut, through the real Bolt App against the
 * loopback Slack, in Socket Mode and in HTTP mode: a private answer through
 * the shortcut's response_url with a Share button; the asker's Share posts it
 * in the channel, anyone else's is refused; nothing it says can ping anyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindStateStore } from '../../../src/adapters/slack/answer.js';
import { openStore } from '../../../src/core/store/store.js';
import { sqlitePageStates } from '../../../src/shared-state/sqlite-shared-state.js';
import { buttonClick, messageError, messageShortcut, postSigned, type ResponsePost } from '../../support/fake-slack.js';
import { type Harness, SIGNING_SECRET, startHarness } from './harness.js';

const R180 = 'https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html';
// As Slack sends it: `&` escaped, and a mass mention hidden in the link.
const NEVER = 'https://example.com/never-in-twir?a=1&amp;cc=@everyone';

type Block = { type: string; text?: { text: string }; elements?: { action_id?: string; value?: string; text?: unknown }[] };

function memoryFinds(): FindStateStore {
  const map = new Map<string, string>();
  return { get: async (k) => map.get(k), set: async (k, v) => void map.set(k, v), prune: async () => undefined };
}

const blocksOf = (post: ResponsePost) => (post.body.blocks ?? []) as Block[];
const shareOf = (post: ResponsePost) =>
  blocksOf(post)
    .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
    .find((e) => e.action_id === 'twir_find_share');

for (const mode of ['socket', 'http'] as const) {
  describe(`Find in TWIR in Slack (${mode === 'socket' ? 'Socket Mode' : 'HTTP mode'})`, () => {
    let h: Harness;
    beforeAll(async () => {
      const env: Record<string, string> = mode === 'socket' ? { SLACK_APP_TOKEN: 'xapp-test-token', SLACK_SIGNING_SECRET: '' } : {};
      h = await startHarness(env, undefined, '2024-10-30', { finds: memoryFinds() });
    });
    afterAll(() => h.close());

    /** Delivers an interactive payload the way this transport does; resolves once Slack has its ack. */
    async function deliver(payload: Record<string, unknown>): Promise<void> {
      if (mode === 'socket') {
        await h.slack.sendEnvelope('interactive', payload);
        return;
      }
      const res = await postSigned(`${h.base}/slack/events`, { payload: JSON.stringify(payload) }, SIGNING_SECRET);
      expect(res.status).toBe(200);
    }

    /** Uses the shortcut on a message with `text`; resolves with the private answer. */
    async function find(text: string, user = 'U1', message: Record<string, unknown> = {}): Promise<ResponsePost> {
      const url = h.slack.responseUrl();
      await deliver(messageShortcut('twir_find', text, url, user, message));
      const post = await h.slack.nextResponse();
      expect(post.id).toBe(url.split('/').at(-1));
      return post;
    }

    it('answers privately which of two links was in TWIR and when, with a Share button', async () => {
      const post = await find(`the release post <${R180}> and <${NEVER}|this one>`);
      expect(post.body.response_type).toBe('ephemeral');
      expect(messageError(post.body)).toBeNull();
      const blocks = blocksOf(post);
      expect(blocks[0]?.text?.text).toBe('Find in TWIR: 1 of the 2 links was in This Week in Rust.');
      const text = blocks.map((b) => b.text?.text ?? '').join('\n');
      expect(text).toContain('<https://this-week-in-rust.org/blog/2024/07/31/this-week-in-rust-558/|This Week in Rust 558 · 2024-07-31>');
      expect(text).toContain('Announcing Rust 1.80.0');
      expect(text).toContain('*Never in This Week in Rust*');
      expect(shareOf(post)).toMatchObject({ action_id: 'twir_find_share', text: { text: 'Share' } });
    });

    it('searches the words of a message without links, and says so', async () => {
      const post = await find('has anyone written about async closures');
      expect(post.body.response_type).toBe('ephemeral');
      const text = JSON.stringify(post.body);
      expect(text).toContain('searched its words');
      expect(text).toMatch(/async closures/i);
    });

    it("reads a feed app's post that is an attachment alone: its link", async () => {
      const attachment = { fallback: 'Announcing Rust 1.80.0', title: 'Announcing Rust 1.80.0', title_link: R180, text: 'The Rust team…' };
      const post = await find('', 'U1', { attachments: [attachment] });
      expect(blocksOf(post)[0]?.text?.text).toBe('Find in TWIR: That link was in This Week in Rust.');
      expect(JSON.stringify(post.body)).toContain('This Week in Rust 558');
    });

    it('says privately that a message without text has nothing to look up, with nothing to share', async () => {
      const post = await find('');
      expect(post.body.response_type).toBe('ephemeral');
      expect(JSON.stringify(post.body)).toContain('no text to look up');
      expect(shareOf(post)).toBeUndefined();
    });

    it("posts the asker's Share in the channel, re-answered from the saved message, and marks the private answer shared", async () => {
      const answer = await find(`<${R180}> <${NEVER}>`);
      const share = shareOf(answer);
      await deliver(buttonClick({ action_id: 'twir_find_share', value: String(share?.value) }, h.slack.responseUrl()));
      const shared = await h.slack.nextResponse();
      expect(shared.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
      expect(messageError(shared.body)).toBeNull();
      expect(blocksOf(shared)).toEqual(blocksOf(answer).filter((b) => b.type !== 'actions'));
      const marked = await h.slack.nextResponse();
      expect(marked.body).toMatchObject({ response_type: 'ephemeral', replace_original: true, text: 'Shared in the channel.' });
    });

    it("refuses someone else's Share privately and posts nothing in the channel", async () => {
      const answer = await find(`<${R180}>`);
      await deliver(buttonClick({ action_id: 'twir_find_share', value: String(shareOf(answer)?.value) }, h.slack.responseUrl(), 'U2'));
      const refused = await h.slack.nextResponse();
      expect(refused.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(String(refused.body.text)).toMatch(/Only the person who used Find in TWIR can share/);
      // The next response is the next test's: nothing in_channel came between.
      const later = await find('');
      expect(later.body.response_type).toBe('ephemeral');
    });

    it('never pings: <!everyone>, <!here> and <@U123> in the message reach nobody, privately or shared', async () => {
      const answer = await find(`<!everyone> <!here> <@U123> @everyone look <${NEVER}> ${'<!channel> '.repeat(500)}`);
      await deliver(buttonClick({ action_id: 'twir_find_share', value: String(shareOf(answer)?.value) }, h.slack.responseUrl()));
      const shared = await h.slack.nextResponse();
      await h.slack.nextResponse();
      expect(shared.body.response_type).toBe('in_channel');
      for (const post of [answer, shared]) {
        const text = JSON.stringify(post.body);
        expect(text).not.toMatch(/<[!@#]/);
        expect(text).not.toMatch(/@everyone|@here/);
      }
    });
  });
}

describe('the Share states in the store', () => {
  it('keeps them in the state table and forgets only old Find in TWIR states when pruned', async () => {
    const store = openStore({ path: ':memory:' });
    try {
      const finds = sqlitePageStates(store);
      await finds.set(
        'slack:find:old',
        JSON.stringify({ text: 'a', asOf: '2024-01-01', user: 'U1', at: '2024-01-01T00:00:00.000Z' }),
        '2024-01-01T00:00:00.000Z',
      );
      await finds.set(
        'slack:find:new',
        JSON.stringify({ text: 'b', asOf: '2024-10-30', user: 'U1', at: '2024-10-30T00:00:00.000Z' }),
        '2024-10-30T00:00:00.000Z',
      );
      store.setState('other:key', JSON.stringify({ at: '2000-01-01T00:00:00.000Z' }));
      await finds.prune('2024-06-01T00:00:00.000Z');
      expect(await finds.get('slack:find:old')).toBeUndefined();
      expect(JSON.parse(String(await finds.get('slack:find:new'))).text).toBe('b');
      expect(store.getState('other:key')).toBeDefined();
    } finally {
      store.close();
    }
  });
});
