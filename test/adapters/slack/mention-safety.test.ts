import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RespondArguments } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandList } from '../../../commands/index.js';
import { createInFlight } from '../../../src/adapters/in-flight.js';
import { createCommandListener } from '../../../src/adapters/slack/handle-command.js';
import { Archive } from '../../../src/core/archive/archive.js';
import { openStore } from '../../../src/core/store/store.js';
import { createLocalSource } from '../../../src/core/sync/local-source.js';
import { createParser } from '../../../src/core/sync/parse-pool.js';
import { syncIssues } from '../../../src/core/sync/sync.js';
import { messageError } from '../../support/fake-slack.js';
import { miniIssueFile, miniIssueMarkdown } from '../../support/issue-markdown.js';
import { memoryLogger } from './harness.js';

const HOSTILE = ['<!channel> ship it', '@here look', '<@U123> review this', '<!subteam^S1|@rustaceans> ping', 'Pipes | and > arrows'];

describe('mention safety end to end (fixture issues with mentions in their text)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twir-slack-mentions-'));
  let archive: Archive;
  let close: () => void;
  beforeAll(async () => {
    const issue = { number: 900, date: '2024-10-30', crate: 'here', links: HOSTILE };
    writeFileSync(join(dir, miniIssueFile(issue)), miniIssueMarkdown(issue));
    const store = openStore({ path: join(dir, 'twir.db') });
    await syncIssues({ source: createLocalSource(dir), store, parser: createParser(0), now: () => new Date('2024-10-31T00:00:00Z') });
    archive = new Archive(store.db);
    close = () => store.close();
  });
  afterAll(() => {
    close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (text: string): Promise<RespondArguments[]> => {
    const deps = {
      archive,
      catalogue: commandList,
      log: memoryLogger(),
      now: () => new Date('2024-10-31T12:00:00Z'),
      subscribeRole: 'admin' as const,
    };
    const responses: RespondArguments[] = [];
    await createCommandListener(
      deps,
      createInFlight(),
    )({
      command: { text },
      ack: async () => undefined,
      respond: async (m) => {
        responses.push(m);
      },
      client: { users: { info: async () => ({}) } },
    });
    return responses;
  };

  it.each(['issue 900', 'search ship', 'search review', 'search "<!channel>"', 'crate <@U123>', 'search @here'])(
    '"%s" notifies no one and keeps links intact',
    async (text) => {
      for (const r of await run(text)) {
        const json = JSON.stringify(r);
        expect(messageError(r as Record<string, unknown>)).toBeNull();
        // Slack reads <!…>, <@…> and <#…> as mentions and broadcasts; none may reach it.
        expect(json).not.toMatch(/<[!@#]/);
        // Every remaining <…> is one of our links with a clean label, or broken by a zero-width space (plain-text header).
        for (const seq of json.match(/<[^>]*>/g) ?? []) expect(seq).toMatch(/^(<https?:\/\/[^|<>\s]+\|[^|<>]*>|<\u200b[!@#].*)$/);
      }
    },
  );

  it('shows the hostile titles as text (escaped), not dropped', async () => {
    const [answer] = await run('issue 900');
    const json = JSON.stringify(answer);
    expect(json).toContain('&lt;');
    expect(json).toContain('ship it');
    expect(json).toContain('review this');
  });
});
