import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config.js';
import { buttonClick, messageError, postSigned, slashCommand } from '../../support/fake-slack.js';
import { type Harness, SIGNING_SECRET, startHarness } from './harness.js';

type Block = {
  type: string;
  text?: { text: string };
  elements?: Array<{ text?: string | { text: string }; action_id?: string; value?: string }>;
};

/** Every text in a message, joined (to look for words and forbidden sequences). */
function allText(body: Record<string, unknown>): string {
  const blocks = (body.blocks ?? []) as Block[];
  const parts = [String(body.text ?? '')];
  for (const b of blocks) {
    if (b.text) parts.push(b.text.text);
    for (const e of b.elements ?? []) parts.push(typeof e.text === 'string' ? e.text : (e.text?.text ?? ''));
  }
  return parts.join('\n');
}

describe('Slack over HTTP (real Bolt HTTPReceiver on the shared listener)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.http.route('POST', '/interactions', (_req, res) => {
      res.writeHead(200).end('discord');
    });
  });
  afterAll(() => h.close());

  const events = () => `${h.base}/slack/events`;
  const ask = async (text: string, overrides: Record<string, string> = {}) => {
    const url = h.slack.responseUrl();
    const res = await postSigned(events(), slashCommand(text, url, overrides), SIGNING_SECRET);
    expect(res.status).toBe(200);
    const post = await h.slack.nextResponse();
    expect(post.id).toBe(url.split('/').at(-1));
    return post.body;
  };

  it('describes itself as HTTP mode and shares the port with /interactions and /healthz', async () => {
    expect(h.adapter.description).toContain('http');
    expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${h.base}/interactions`, { method: 'POST' })).text()).toBe('discord');
  });

  it('answers a signed /twir crate in the channel with valid blocks, a header and the CC-BY-SA footer', async () => {
    const body = await ask('crate');
    expect(body.response_type).toBe('in_channel');
    expect(messageError(body)).toBeNull();
    const blocks = body.blocks as Block[];
    expect(blocks[0]?.type).toBe('header');
    expect(allText(body)).toMatch(/Crate of the Week/i);
    expect(blocks.at(-1)?.type).toBe('context');
    expect(allText(body)).toContain('CC-BY-SA');
    expect(allText(body)).toMatch(/<https:\/\/this-week-in-rust\.org\/[^|>]+\|/);
  });

  it('refuses a bad signature and a timestamp 6 minutes old with 401, answering nothing', async () => {
    const before = h.slack.responses.length;
    const url = h.slack.responseUrl();
    const forged = await postSigned(events(), slashCommand('crate', url), SIGNING_SECRET, { signature: `v0=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);
    const wrongSecret = await postSigned(events(), slashCommand('crate', url), 'another-secret');
    expect(wrongSecret.status).toBe(401);
    const old = await postSigned(events(), slashCommand('crate', url), SIGNING_SECRET, {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(old.status).toBe(401);
    // Four minutes is inside Slack's window: accepted.
    const recent = await postSigned(events(), slashCommand('crate', url), SIGNING_SECRET, {
      timestamp: Math.floor(Date.now() / 1000) - 4 * 60,
    });
    expect(recent.status).toBe(200);
    await h.slack.nextResponse();
    expect(h.slack.responses.length).toBe(before + 1);
  });

  it('lists the commands for /twir alone and /twir help, privately', async () => {
    for (const text of ['', 'help', 'help events']) {
      const body = await ask(text);
      expect(body.response_type).toBe('ephemeral');
      if (text === 'help events') continue;
      const all = allText(body);
      for (const name of ['latest', 'crate', 'events', 'fcp', 'search']) expect(all).toContain(name);
    }
  });

  it('answers an unknown command privately with the core\'s "did you mean"', async () => {
    const body = await ask('craet bacon');
    expect(body.response_type).toBe('ephemeral');
    expect(allText(body)).toContain('Did you mean "crate"?');
    expect(messageError(body)).toBeNull();
  });

  it.each([
    'events berlin',
    'fcp cargo',
    'search "async closures"',
    'crate bacon --as-of 2021-01-01',
    'latest',
    'jobs',
    'search rust year:2024',
  ])('answers "%s" within Slack limits', async (text) => {
    const body = await ask(text);
    expect(messageError(body)).toBeNull();
    expect((body.blocks as Block[]).length).toBeLessThanOrEqual(50);
    expect(String(body.text).length).toBeGreaterThan(0);
  });

  it('answers a 10,000-character argument with a private usage error, not a crash', async () => {
    const body = await ask(`search ${'x'.repeat(10_000)}`);
    expect(body.response_type).toBe('ephemeral');
    expect(allText(body)).toMatch(/characters/);
    expect(messageError(body)).toBeNull();
  });

  it('answers in a DM and a private channel through response_url (no membership needed)', async () => {
    const dm = await ask('latest', { channel_id: 'D123', channel_name: 'directmessage' });
    const priv = await ask('latest', { channel_id: 'G123', channel_name: 'privategroup' });
    expect(dm.response_type).toBe('in_channel');
    expect(priv.response_type).toBe('in_channel');
    // Nothing was posted with chat.postMessage: the bot needs no seat in the channel.
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
  });

  it('refuses timestamps 10 minutes or a year in the future with 401, answering nothing', async () => {
    const before = h.slack.responses.length;
    for (const ahead of [10 * 60, 365 * 86_400]) {
      const res = await postSigned(events(), slashCommand('crate', h.slack.responseUrl()), SIGNING_SECRET, {
        timestamp: Math.floor(Date.now() / 1000) + ahead,
      });
      expect(res.status).toBe(401);
    }
    expect(h.slack.responses.length).toBe(before);
  });

  it('answers a signed slash command once: the same body and signature replayed is refused', async () => {
    const form = slashCommand('crate', h.slack.responseUrl());
    const timestamp = Math.floor(Date.now() / 1000);
    expect((await postSigned(events(), form, SIGNING_SECRET, { timestamp })).status).toBe(200);
    await h.slack.nextResponse();
    const before = h.slack.responses.length;
    const replayed = await postSigned(events(), form, SIGNING_SECRET, { timestamp });
    expect(replayed.status).toBe(409);
    expect(h.slack.responses.length).toBe(before);
  });

  it('never answers a signed but malformed payload with a 500', async () => {
    const forms: Record<string, string>[] = [
      { payload: 'null' },
      { payload: '[]' },
      { payload: '"x"' },
      { payload: '{' },
      { payload: JSON.stringify({ type: 'block_actions' }) },
      { payload: JSON.stringify({ type: 'block_actions', actions: 'x', user: 5 }) },
      { command: '/twir' },
      {},
    ];
    for (const form of forms) {
      const res = await postSigned(events(), form, SIGNING_SECRET);
      expect([JSON.stringify(form), res.status < 500]).toEqual([JSON.stringify(form), true]);
    }
    expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
  });

  it('refuses a body larger than a Slack payload before reading it, and an unsigned one by its headers', async () => {
    const { request } = await import('node:http');
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        // Headers only: the body is never sent, so an answer proves it was not awaited.
        const req = request(`${events()}`, { method: 'POST', headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.flushHeaders();
      });
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = `v0=${'2'.repeat(64)}`;
    expect(await status({ 'content-length': '5000000', 'x-slack-request-timestamp': ts, 'x-slack-signature': sig })).toBe(413);
    expect(await status({ 'content-length': '1000' })).toBe(401);
  });

  it('pages through /twir search rust with Next and Prev, replacing the message in place', async () => {
    const first = await ask('search rust');
    const buttons = () => (first.blocks as Block[]).find((b) => b.type === 'actions')?.elements ?? [];
    const next = buttons().find((e) => e.action_id === 'twir_page_next');
    expect(next?.value).toBeTruthy();
    expect(buttons().some((e) => e.action_id === 'twir_page_prev')).toBe(false);
    expect(allText(first)).toMatch(/Page 1 of \d+/);

    const click = async (button: { action_id?: string; value?: string }) => {
      const url = h.slack.responseUrl();
      const payload = JSON.stringify(buttonClick({ action_id: button.action_id ?? '', value: button.value ?? '' }, url));
      const res = await postSigned(events(), { payload }, SIGNING_SECRET);
      expect(res.status).toBe(200);
      return (await h.slack.nextResponse()).body;
    };
    const second = await click(next ?? {});
    expect(second.replace_original).toBe(true);
    expect(messageError(second)).toBeNull();
    expect(allText(second)).toMatch(/Page 2 of \d+/);
    const items = (b: Record<string, unknown>) => allText(b).match(/<https?:[^|]+\|/g) ?? [];
    expect(items(second)).not.toEqual(items(first));
    const prev = ((second.blocks as Block[]).find((b) => b.type === 'actions')?.elements ?? []).find(
      (e) => e.action_id === 'twir_page_prev',
    );
    const back = await click(prev ?? {});
    expect(allText(back)).toMatch(/Page 1 of \d+/);
    expect(items(back)).toEqual(items(first));
  });

  it("gives someone else's click a private copy to page, and never replaces the answer with an error", async () => {
    const first = await ask('search rust');
    const next = ((first.blocks as Block[]).find((b) => b.type === 'actions')?.elements ?? []).find(
      (e) => e.action_id === 'twir_page_next',
    );
    const click = async (value: string, user = 'U1') => {
      const url = h.slack.responseUrl();
      const payload = buttonClick({ action_id: 'twir_page_next', value }, url);
      payload.user = { id: user, username: 'other', team_id: 'T1' };
      expect((await postSigned(events(), { payload: JSON.stringify(payload) }, SIGNING_SECRET)).status).toBe(200);
      return (await h.slack.nextResponse()).body;
    };
    const theirs = await click(next?.value ?? '', 'U2');
    expect(theirs.response_type).toBe('ephemeral');
    expect(theirs.replace_original).toBe(false);
    expect(allText(theirs)).toMatch(/Page 2 of \d+/);
    const theirNext = ((theirs.blocks as Block[]).find((b) => b.type === 'actions')?.elements ?? []).find(
      (e) => e.action_id === 'twir_page_next',
    );
    expect(JSON.parse(theirNext?.value ?? '{}').u).toBe('U2');
    const failing = await click(JSON.stringify({ t: 'craet bacon', a: '2024-10-30', p: 2, u: 'U1' }));
    expect(failing.response_type).toBe('ephemeral');
    expect(failing.replace_original).toBe(false);
  });

  it('never runs subscribe, unsubscribe or digest test from a forged button value', async () => {
    for (const t of ['subscribe', 'unsubscribe', 'digest test']) {
      const url = h.slack.responseUrl();
      const payload = JSON.stringify(
        buttonClick({ action_id: 'twir_page_next', value: JSON.stringify({ t, a: '2024-10-30', p: 1 }) }, url),
      );
      expect((await postSigned(events(), { payload }, SIGNING_SECRET)).status).toBe(200);
      const body = (await h.slack.nextResponse()).body;
      expect(body.response_type).toBe('ephemeral');
      expect(String(body.text)).toMatch(/no longer works/);
    }
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
  });

  it('answers a forged or stale button value privately instead of failing', async () => {
    const url = h.slack.responseUrl();
    const payload = JSON.stringify(buttonClick({ action_id: 'twir_page_next', value: 'not json' }, url));
    expect((await postSigned(events(), { payload }, SIGNING_SECRET)).status).toBe(200);
    const body = (await h.slack.nextResponse()).body;
    expect(body.response_type).toBe('ephemeral');
    expect(body.replace_original).toBe(false);
  });
});

describe('Slack over HTTP under a forged-request flood', () => {
  it('summarizes 300 bad-signature requests in two lines instead of one line each', async () => {
    const h = await startHarness();
    try {
      await Promise.all(
        Array.from({ length: 300 }, () =>
          postSigned(`${h.base}/slack/events`, slashCommand('crate', h.slack.responseUrl()), SIGNING_SECRET, {
            signature: `v0=${'1'.repeat(64)}`,
          }).then((r) => expect(r.status).toBe(401)),
        ),
      );
    } finally {
      await h.close();
    }
    const lines = h.log.lines.filter((l) => l.includes('refused'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/refused 1 request \(1 bad signature\)/);
    expect(lines[1]).toMatch(/refused 299 requests \(299 bad signature\)/);
    expect(h.log.lines.filter((l) => /signature|verify|authenticity/i.test(l))).toHaveLength(2);
  });
});

describe('Slack start-up', () => {
  it('refuses a token Slack rejects (auth.test → invalid_auth) with a ConfigError naming SLACK_BOT_TOKEN', async () => {
    const err = await startHarness({ SLACK_BOT_TOKEN: 'xoxb-revoked' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe('SLACK_BOT_TOKEN');
    expect((err as Error).message).toContain('invalid_auth');
  });
});
