import type { RespondArguments } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { commandList } from '../../../commands/index.js';
import { createInFlight } from '../../../src/adapters/in-flight.js';
import type { UsersInfoClient } from '../../../src/adapters/slack/caller.js';
import { createCommandListener, type SlashCommandPayload, STOPPING_TEXT } from '../../../src/adapters/slack/handle-command.js';
import type { CommandDefinition } from '../../../src/core/commands/definition.js';
import { archiveStore } from '../../support/archive-store.js';
import { memoryLogger } from './harness.js';

/** A test-only command that needs the manage-channel permission and reports what the adapter resolved. */
const guarded: CommandDefinition = {
  name: 'guarded',
  description: 'Test: needs manage-channel',
  options: [],
  examples: ['guarded'],
  permission: 'manage-channel',
  run: (ctx) => ({ kind: 'answer', title: `can manage: ${ctx.caller?.canManageChannel}`, sections: [], citations: [] }),
};
/** Reports where the adapter says the command was typed. */
const where: CommandDefinition = {
  name: 'where',
  description: 'Test: echoes the caller',
  options: [],
  examples: ['where'],
  run: (ctx) => ({
    kind: 'answer',
    title: `${ctx.caller?.platform} ${ctx.caller?.place} ${ctx.caller?.workspaceId} ${ctx.caller?.channelId} ${ctx.caller?.userId} ${ctx.caller?.canManageChannel}`,
    sections: [],
    citations: [],
  }),
};
const secret: CommandDefinition = {
  name: 'secret',
  description: 'Test: a private answer with a hint',
  options: [],
  examples: ['secret'],
  run: () => ({ kind: 'answer', private: true, title: 'Only you', sections: [], citations: [] }),
};
const hinted: CommandDefinition = {
  name: 'hinted',
  description: 'Test: a public answer with a hint',
  options: [],
  examples: ['hinted'],
  run: () => ({ kind: 'answer', title: 'Everyone', hint: 'Psst, only for you', sections: [], citations: [] }),
};
/** Echoes its words, to see the text as the core received it. */
const echo: CommandDefinition = {
  name: 'echo',
  description: 'Test: echoes its words',
  options: [{ name: 'words', description: 'Words', type: 'string', positional: true, rest: true }],
  examples: ['echo hi'],
  run: (_ctx, args) => ({ kind: 'answer', title: `echo[${String(args.words)}]`, sections: [], citations: [] }),
};
const broken: CommandDefinition = {
  name: 'broken',
  description: 'Test: throws',
  options: [],
  examples: ['broken'],
  run: () => {
    throw new Error('kaboom');
  },
};

function setup(
  role: 'admin' | 'member' = 'admin',
  users: Record<string, { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean }> = {},
) {
  const log = memoryLogger();
  const lookups: string[] = [];
  const client: UsersInfoClient = {
    users: {
      info: async ({ user }) => {
        lookups.push(user);
        if (!users[user]) throw new Error('An API error occurred: user_not_found');
        return { user: users[user] };
      },
    },
  };
  const inFlight = createInFlight();
  const deps = {
    archive: archiveStore(),
    catalogue: [...commandList, guarded, where, secret, hinted, echo, broken],
    log,
    now: () => new Date('2024-10-30T12:00:00Z'),
    subscribeRole: role,
  };
  const listener = createCommandListener(deps, inFlight);
  const run = async (text: string, payload: Partial<SlashCommandPayload> = {}) => {
    const events: string[] = [];
    const acks: Array<RespondArguments | undefined> = [];
    const responses: RespondArguments[] = [];
    await listener({
      command: { text, team_id: 'T1', channel_id: 'C1', channel_name: 'general', user_id: 'U1', ...payload },
      ack: async (r) => {
        events.push('ack');
        acks.push(r);
      },
      respond: async (m) => {
        events.push('respond');
        responses.push(m);
      },
      client,
    });
    return { events, acks, responses, title: JSON.stringify(responses[0] ?? {}) };
  };
  return { run, log, lookups, inFlight, listener, client };
}

describe('the /twir listener, called directly', () => {
  it('acks before it answers, and answers in the channel', async () => {
    const { run } = setup();
    const r = await run('latest');
    expect(r.events).toEqual(['ack', 'respond']);
    expect(r.acks).toEqual([undefined]);
    expect(r.responses[0]?.response_type).toBe('in_channel');
  });

  it('reads the text as typed, undoing the &amp; &lt; &gt; escaping Slack sends', async () => {
    const { run } = setup();
    expect((await run('echo "R&amp;D" &lt;T&gt;')).title).toContain('echo[R&D <T>]');
  });

  it('asks users.info only for a manage-channel command, and lets admins and owners through', async () => {
    const { run, lookups } = setup('admin', { U1: { is_admin: true }, U2: {}, U3: { is_owner: true }, U4: { is_primary_owner: true } });
    await run('latest');
    expect(lookups).toEqual([]);
    expect((await run('guarded')).title).toContain('can manage: true');
    expect((await run('guarded', { user_id: 'U2' })).title).toContain('can manage: false');
    expect((await run('guarded', { user_id: 'U3' })).title).toContain('can manage: true');
    expect((await run('guarded', { user_id: 'U4' })).title).toContain('can manage: true');
    expect(lookups).toEqual(['U1', 'U2', 'U3', 'U4']);
    // Other commands leave the permission unresolved.
    expect((await run('where')).title).toContain('undefined');
  });

  it('denies (and logs) when users.info fails', async () => {
    const { run, log } = setup('admin', {});
    expect((await run('guarded', { user_id: 'U9' })).title).toContain('can manage: false');
    expect(log.lines.join('\n')).toMatch(/users\.info for U9 failed/);
  });

  it('lets every member through with SLACK_SUBSCRIBE_ROLE=member, without asking Slack', async () => {
    const { run, lookups } = setup('member', {});
    expect((await run('guarded', { user_id: 'U2' })).title).toContain('can manage: true');
    expect(lookups).toEqual([]);
  });

  it.each([
    [{ channel_id: 'C1', channel_name: 'general' }, 'slack channel T1 C1 U1'],
    [{ channel_id: 'G1', channel_name: 'privategroup' }, 'slack private-channel T1 G1 U1'],
    [{ channel_id: 'C2', channel_name: 'secret-plans' }, 'slack channel T1 C2 U1'],
    [{ channel_id: 'D1', channel_name: 'directmessage' }, 'slack dm T1 D1 U1'],
    [{ channel_id: 'C3', channel_name: 'mpdm-a--b-1' }, 'slack private-channel T1 C3 U1'],
  ])('builds the caller from %o', async (payload, expected) => {
    const { run } = setup();
    expect((await run('where', payload)).title).toContain(expected);
  });

  it("keeps a private answer ephemeral, and sends a public answer's hint privately after it", async () => {
    const { run } = setup();
    const s = await run('secret');
    expect(s.responses.map((m) => m.response_type)).toEqual(['ephemeral']);
    const h = await run('hinted');
    expect(h.responses.map((m) => m.response_type)).toEqual(['in_channel', 'ephemeral']);
    expect(JSON.stringify(h.responses[0])).not.toContain('Psst');
    expect(h.responses[1]?.text).toContain('Psst');
  });

  it('answers places as a person names them, quotes by person, and `events near` alone as a usage error (issue 15)', async () => {
    const { run } = setup();
    const virginia = await run('events virginia --as-of 2024-10-02');
    expect(virginia.title).toMatch(/Virginia \(state\), US/);
    expect(virginia.title).not.toMatch(/ZA/);
    expect((await run('events "Portland, OR" --as-of 2026-05-13')).title).toMatch(/Portland, OR, US/);
    expect((await run('quote sean baxtr')).title).toMatch(/Sean Baxter/);
    const near = await run('events near --as-of 2024-10-02');
    expect(near.title).toMatch(/Near which place\?/);
    expect(near.responses[0]).toMatchObject({ response_type: 'ephemeral' });
  });

  it('answers usage errors privately with their hint in the same message', async () => {
    const { run } = setup();
    const r = await run('crate --page zero');
    expect(r.responses).toHaveLength(1);
    expect(r.responses[0]?.response_type).toBe('ephemeral');
    expect(JSON.stringify(r.responses[0])).toContain('page');
  });

  it("logs a failing command and answers with the core's apology, then keeps serving", async () => {
    const { run, log } = setup();
    const r = await run('broken');
    expect(r.responses[0]?.response_type).toBe('ephemeral');
    expect(JSON.stringify(r.responses[0])).toContain('failed unexpectedly');
    expect(log.lines.join('\n')).toContain('kaboom');
    expect((await run('latest')).responses[0]?.response_type).toBe('in_channel');
  });

  it('logs a respond() that fails instead of throwing', async () => {
    const { listener, log, client } = setup();
    await expect(
      listener({
        command: { text: 'latest' },
        ack: async () => undefined,
        respond: async () => {
          throw new Error('expired_url');
        },
        client,
      }),
    ).resolves.toBeUndefined();
    expect(log.lines.join('\n')).toContain('expired_url');
  });

  it('on stop, waits for the answer in flight and then refuses new commands', async () => {
    const { listener, inFlight, client, run } = setup();
    let release: () => void = () => undefined;
    const delivered: string[] = [];
    const slow = listener({
      command: { text: 'latest' },
      ack: async () => undefined,
      respond: async () => {
        await new Promise<void>((r) => {
          release = r;
        });
        delivered.push('answer');
      },
      client,
    });
    await new Promise((r) => setTimeout(r, 20));
    let stopped = false;
    const stopping = inFlight.close().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    await slow;
    expect(delivered).toEqual(['answer']);
    const late = await run('latest');
    expect(late.acks[0]?.text).toBe(STOPPING_TEXT);
    expect(late.responses).toEqual([]);
  });
});
