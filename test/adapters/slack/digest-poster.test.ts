import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackDigestPoster, DIGEST_EVENT_TYPE } from '../../../src/adapters/slack/digest-poster.js';
import type { PostRequest } from '../../../src/digest/poster.js';
import { sampleDigest } from '../../support/digest-fixtures.js';
import { FakeSlack, slackOptions } from '../../support/fake-digest-platforms.js';

function request(channelId: string, inDoubtSince: Date | null = null): PostRequest {
  return {
    channel: { platform: 'slack', workspaceId: 'T1', channelId },
    digest: sampleDigest(),
    deliveryKey: `twir-digest:7:571:${channelId}`,
    inDoubtSince,
  };
}

describe('Slack digest poster (real WebClient against a loopback Slack)', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await new FakeSlack().start();
  });
  afterEach(async () => {
    await slack.close();
  });

  it('posts blocks with twir_digest metadata carrying the issue and the delivery key', async () => {
    const poster = createSlackDigestPoster(slackOptions(slack.apiUrl));
    const outcome = await poster.post(request('C1'));
    expect(outcome).toMatchObject({ kind: 'sent', messageId: expect.stringMatching(/^\d+\.\d+$/) });
    const [m] = slack.messages;
    expect(m?.metadata).toEqual({
      event_type: DIGEST_EVENT_TYPE,
      event_payload: { issue: 571, delivery: 'twir-digest:7:571:C1', test: false },
    });
    expect(m?.blocks.length).toBeGreaterThan(2);
    expect(m?.text).toMatch(/This Week in Rust 571/);
  });

  it('an in-doubt delivery already in the channel is found with conversations.history and not posted again', async () => {
    const poster = createSlackDigestPoster(slackOptions(slack.apiUrl));
    const started = new Date();
    const first = await poster.post(request('C2'));
    const again = await poster.post(request('C2', started));
    expect(again).toMatchObject({ kind: 'sent', found: true, messageId: first.kind === 'sent' ? first.messageId : 'x' });
    expect(slack.messages).toHaveLength(1);
    expect(slack.historyCalls).toBe(1);
  });

  it('an in-doubt delivery that never arrived is posted after the lookup', async () => {
    const poster = createSlackDigestPoster(slackOptions(slack.apiUrl));
    expect(await poster.post(request('C3', new Date()))).toMatchObject({ kind: 'sent' });
    expect(slack.historyCalls).toBe(1);
    expect(slack.messages).toHaveLength(1);
  });

  it('classifies channel_not_found/not_in_channel/is_archived as channel errors, 503 as transient, 429 with its Retry-After', async () => {
    slack.gone.set('C4', 'channel_not_found');
    slack.gone.set('C5', 'not_in_channel');
    slack.gone.set('C6', 'is_archived');
    slack.failures.set('C7', 1);
    const poster = createSlackDigestPoster(slackOptions(slack.apiUrl));
    for (const c of ['C4', 'C5', 'C6'])
      expect(await poster.post(request(c))).toMatchObject({ kind: 'channel-error', reason: `Slack ${slack.gone.get(c)}` });
    expect(await poster.post(request('C7'))).toMatchObject({ kind: 'transient', maybePosted: true });
    await slack.close();
    slack = await new FakeSlack({ channelBurst: 1 }).start();
    const limited = createSlackDigestPoster(slackOptions(slack.apiUrl));
    await limited.post(request('C8'));
    expect(await limited.post({ ...request('C8'), deliveryKey: 'other' })).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 1000,
      global: true,
    });
    // Rejected at once, not retried inside the client: the fan-out waits.
    expect(slack.requests).toBe(2);
  });
});
