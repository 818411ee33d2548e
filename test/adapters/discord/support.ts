/** Shared pieces of the Discord adapter tests: interaction payloads, test-only commands, deps. */
import { Writable } from 'node:stream';
import { commandList } from '../../../commands/index.js';
import type { InteractionDeps } from '../../../src/adapters/discord/handle-interaction.js';
import type { PageStateStore } from '../../../src/adapters/discord/page-state.js';
import type { CommandDefinition } from '../../../src/core/commands/definition.js';
import { createLogger } from '../../../src/logger.js';
import { archiveStore } from '../../support/archive-store.js';
import { GUILD_ID } from '../../support/fake-discord.js';

export const ASKER = '323456789012345678';
export const OTHER_USER = '423456789012345678';
export const CHANNEL = '523456789012345678';

/** A test-only command that fails. */
export const boom: CommandDefinition = {
  name: 'boom',
  description: 'Always fails (test only)',
  options: [],
  examples: ['boom'],
  run() {
    throw new Error('kaboom');
  },
};

/** A test-only command that says what the adapter resolved for it. */
export const guarded: CommandDefinition = {
  name: 'guarded',
  description: 'Reports the caller (test only)',
  options: [],
  examples: ['guarded'],
  permission: 'manage-channel',
  run(ctx) {
    const c = ctx.caller;
    return {
      kind: 'answer',
      title: `manage=${String(c?.canManageChannel)} place=${c?.place} guild=${c?.workspaceId} user=${c?.userId}`,
      sections: [],
      citations: [],
    };
  },
};

/** A test-only command whose text tries every kind of ping. */
export const pinger: CommandDefinition = {
  name: 'pinger',
  description: 'Echoes mentions (test only)',
  options: [],
  examples: ['pinger'],
  run() {
    return {
      kind: 'answer',
      title: 'Hello @everyone and @here',
      description: 'cc <@123> and <@&456> and <#789>',
      sections: [{ label: 'Ping @everyone', items: [{ label: '<@123> wrote this', detail: 'thanks <@&456> @here' }] }],
      citations: [],
      hint: 'psst @everyone',
    };
  },
};

/** A test-only command that takes `ms` of CPU (the answer's own cost, for deferral). */
export function slow(ms: number): CommandDefinition {
  return {
    name: 'slow',
    description: 'Busy for a while (test only)',
    options: [],
    examples: ['slow'],
    run() {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        // Busy on purpose: commands are synchronous, so a slow one blocks the event loop like this.
      }
      return { kind: 'answer', title: 'Slow answer', sections: [], citations: [] };
    },
  };
}

/** A Map-backed page store (what the `state` table does in production). */
export function memoryPages(): PageStateStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: async (k) => map.get(k),
    set: async (k, v) => void map.set(k, v),
    prune: async () => undefined,
  };
}

/** Collects log lines. */
export function captureLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger(stream), lines };
}

/** Deps over the whole archive, as of 2024-10-30 noon, with the test-only commands. */
export function testDeps(
  extra: CommandDefinition[] = [],
  now = () => new Date('2024-10-30T12:00:00Z'),
): InteractionDeps & { lines: string[] } {
  const { log, lines } = captureLog();
  return { catalogue: [...commandList, boom, guarded, pinger, ...extra], archive: archiveStore(), pages: memoryPages(), now, log, lines };
}

type Opt = { name: string; type: number; value: unknown; focused?: boolean };

/** `/twir <sub> …` typed by ASKER in a server channel. */
export function slash(sub: string, options: Record<string, string | number> = {}, extra: Record<string, unknown> = {}) {
  const opts: Opt[] = Object.entries(options).map(([name, value]) => ({ name, type: typeof value === 'number' ? 4 : 3, value }));
  return {
    type: 2,
    guild_id: GUILD_ID,
    channel_id: CHANNEL,
    channel: { id: CHANNEL, type: 0 },
    context: 0,
    member: { user: { id: ASKER, username: 'ferris' }, permissions: '0', roles: [] },
    data: { id: '1', name: 'twir', type: 1, options: [{ type: 1, name: sub, options: opts }] },
    ...extra,
  };
}

/** An autocomplete request while typing `value` into option `name`. */
export function typing(sub: string, name: string, value: string, others: Record<string, string> = {}) {
  const base = slash(sub);
  const opts: Opt[] = [
    ...Object.entries(others).map(([n, v]) => ({ name: n, type: 3, value: v })),
    { name, type: 3, value, focused: true },
  ];
  return { ...base, type: 4, data: { ...base.data, options: [{ type: 1, name: sub, options: opts }] } };
}

/** A click on a button of a message that ASKER's /twir created. */
export function click(customId: string, clicker = ASKER) {
  return {
    type: 3,
    guild_id: GUILD_ID,
    channel_id: CHANNEL,
    context: 0,
    member: { user: { id: clicker }, permissions: '0' },
    data: { custom_id: customId, component_type: 2 },
    message: {
      id: '9',
      channel_id: CHANNEL,
      type: 20,
      author: { id: '123456789012345678', username: 'twir', discriminator: '0', bot: true, avatar: null },
      content: '',
      embeds: [],
      components: [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      pinned: false,
      tts: false,
      timestamp: '2024-10-30T12:00:00.000Z',
      edited_timestamp: null,
      flags: 0,
      interaction_metadata: {
        id: '8',
        type: 2,
        user: { id: ASKER, username: 'ferris', discriminator: '0', avatar: null },
        authorizing_integration_owners: { '0': GUILD_ID },
      },
    },
  };
}
