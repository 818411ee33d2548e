import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonClick, messageError, slashCommand } from '../../support/fake-slack.js';
import { type Harness, startHarness } from './harness.js';

describe('Slack over Socket Mode (real Bolt SocketModeReceiver against a loopback WebSocket)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ SLACK_APP_TOKEN: 'xapp-test-token', SLACK_SIGNING_SECRET: '' });
  });
  afterAll(() => h.close());

  it('opens the connection with apps.connections.open (app token) and opens no HTTP port', () => {
    expect(h.adapter.description).toContain('socket mode');
    const open = h.slack.calls.find((c) => c.method === 'apps.connections.open');
    expect(open?.token).toBe('xapp-test-token');
    expect(h.http.hasRoutes).toBe(false);
  });

  it('acks a slash_commands envelope by its envelope_id and answers through response_url', async () => {
    const url = h.slack.responseUrl();
    const ack = await h.slack.sendEnvelope('slash_commands', slashCommand('events berlin', url));
    expect(typeof ack.envelope_id).toBe('string');
    const post = await h.slack.nextResponse();
    expect(post.id).toBe(url.split('/').at(-1));
    expect(messageError(post.body)).toBeNull();
    expect(JSON.stringify(post.body)).toMatch(/Berlin|berlin/);
  });

  it('answers an unknown command privately over the socket too', async () => {
    await h.slack.sendEnvelope('slash_commands', slashCommand('lates', h.slack.responseUrl()));
    const post = await h.slack.nextResponse();
    expect(post.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(post.body)).toContain('Did you mean');
  });

  it('serves a paging click (an interactive envelope) over the socket, replacing the message', async () => {
    await h.slack.sendEnvelope('slash_commands', slashCommand('search rust', h.slack.responseUrl()));
    const first = (await h.slack.nextResponse()).body;
    const actions = (first.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find(
      (b) => b.type === 'actions',
    );
    const next = actions?.elements?.find((e) => e.action_id === 'twir_page_next');
    expect(next).toBeDefined();
    const ack = await h.slack.sendEnvelope('interactive', buttonClick(next ?? { action_id: '', value: '' }, h.slack.responseUrl()));
    expect(typeof ack.envelope_id).toBe('string');
    const page = (await h.slack.nextResponse()).body;
    expect(page.replace_original).toBe(true);
    expect(JSON.stringify(page)).toMatch(/Page 2 of/);
  });

  it('disconnects on stop', async () => {
    await h.adapter.stop();
    // The fake sees the client close its socket.
    await new Promise((r) => setTimeout(r, 100));
    await expect(
      Promise.race([h.slack.connectedSocket().then(() => 'connected'), new Promise((r) => setTimeout(() => r('none'), 200))]),
    ).resolves.toBe('none');
  });
});
