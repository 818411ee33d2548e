import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackWebClient, verifyBotToken } from '../../../src/adapters/slack/web-client.js';
import type { SlackConfig } from '../../../src/config.js';
import { FakeSlack } from '../../support/fake-slack.js';
import { memoryLogger } from './harness.js';

describe('the shared WebClient factory against the fake Web API', () => {
  let fake: FakeSlack;
  let slack: SlackConfig;
  beforeAll(async () => {
    fake = await new FakeSlack().start();
    slack = {
      botToken: fake.botToken,
      signingSecret: 's',
      appToken: null,
      apiUrl: fake.apiUrl,
      subscribeRole: 'admin',
      postsPerMinute: 300,
    };
  });
  afterAll(() => fake.close());

  it('reads the bot identity with auth.test at SLACK_API_URL', async () => {
    const log = memoryLogger();
    expect(await verifyBotToken(createSlackWebClient(slack, log), slack)).toEqual({
      botId: 'B1',
      botUserId: 'UBOT',
      teamId: 'T1',
      team: 'Fake Team',
      name: 'twir',
    });
  });

  it('leaves 429 + Retry-After to @slack/web-api, which waits and retries', async () => {
    const log = memoryLogger();
    fake.rateLimit('chat.postMessage', 1);
    const started = Date.now();
    const before = fake.calls.length;
    const r = await createSlackWebClient(slack, log).chat.postMessage({ channel: 'C1', text: 'hello' });
    expect(r.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.calls.slice(before).map((c) => c.method)).toEqual(['chat.postMessage', 'chat.postMessage']);
    expect(log.lines.join('\n')).toMatch(/rate limit/i);
  });

  it('gets invalid_blocks for an over-limit message, as from Slack', async () => {
    const client = createSlackWebClient(slack, memoryLogger());
    const blocks = Array.from({ length: 51 }, () => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'x' } }));
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x', blocks })).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    const header = [{ type: 'header' as const, text: { type: 'plain_text' as const, text: 'h'.repeat(151) } }];
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x', blocks: header })).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
  });

  it('reports an unreachable Slack as an error with the URL, not as a bad token', async () => {
    const gone = { ...slack, apiUrl: 'http://127.0.0.1:1/api/' };
    const err = await verifyBotToken(createSlackWebClient(gone, memoryLogger(), { retryConfig: { retries: 0 } }), gone).catch(
      (e: unknown) => e,
    );
    expect((err as Error).name).toBe('Error');
    expect((err as Error).message).toContain('http://127.0.0.1:1/api/auth.test');
  });
});
