import { describe, expect, it } from 'vitest';
import { commandList } from '../../../commands/index.js';
import { answerText } from '../../../src/adapters/slack/answer.js';
import type { UsersInfoClient } from '../../../src/adapters/slack/caller.js';
import type { Caller } from '../../../src/core/commands/caller.js';
import { archiveStore } from '../../support/archive-store.js';
import { memoryLogger } from './harness.js';

const caller: Caller = { platform: 'slack', workspaceId: 'T1', channelId: 'C1', userId: 'U1', place: 'channel' };
const client = {} as UsersInfoClient;
const deps = (chartBaseUrl: string | null) => ({
  archive: archiveStore(),
  catalogue: commandList,
  log: memoryLogger(),
  now: () => new Date('2024-10-30T12:00:00Z'),
  subscribeRole: 'admin' as const,
  chartBaseUrl,
});

describe('chart images in Slack answers', () => {
  it('links /twir perf to its chart on the public web page, with the text alternative as alt text', async () => {
    const { messages } = await answerText(deps('https://twir.example'), client, 'perf', caller);
    const image = messages[0]?.blocks.find((b) => b.type === 'image') as { image_url: string; alt_text: string } | undefined;
    expect(image?.image_url).toBe('https://twir.example/chart/perf.png?as-of=2024-10-30');
    expect(image?.alt_text).toMatch(/^52 weekly triages from #515/);
  });

  it('leaves the image out with chart:off, without PUBLIC_URL, and for commands without a chart', async () => {
    const blocks = async (text: string, base: string | null) =>
      (await answerText(deps(base), client, text, caller)).messages[0]?.blocks.filter((b) => b.type === 'image');
    expect(await blocks('events chart:off', 'https://twir.example')).toEqual([]);
    expect(await blocks('events', null)).toEqual([]);
    expect(await blocks('crate', 'https://twir.example')).toEqual([]);
    expect(await blocks('events berlin', 'https://twir.example')).toHaveLength(1);
  });
});
