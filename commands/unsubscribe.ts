import type { CommandDefinition } from '../src/core/commands/definition.js';
import { channelAccess } from '../src/digest/channel-access.js';
import { digestStoreOf } from '../src/digest/digest-commands.js';

/** `/twir unsubscribe` — this channel stops getting the digest. */
export const unsubscribe = {
  name: 'unsubscribe',
  description: 'Stop posting the digest in this channel (Manage Channels / workspace admins)',
  options: [],
  examples: ['unsubscribe'],
  permission: 'manage-channel',
  writes: true,
  async run(ctx) {
    const access = channelAccess(ctx.caller, true);
    if (!access.ok) return access.reply;
    const removed = await digestStoreOf(ctx).unsubscribe(access.channel);
    return removed
      ? {
          kind: 'answer',
          title: 'Unsubscribed: this channel no longer gets the digest.',
          hint: '/twir subscribe starts it again.',
          sections: [],
          citations: [],
        }
      : { kind: 'empty', title: 'This channel has no digest subscription; nothing changed.', sections: [], citations: [], private: true };
  },
} as const satisfies CommandDefinition;
