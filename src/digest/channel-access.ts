/**
 * Who may change a channel's digest, decided from the Caller the adapter
 * filled in. All wording of the refusals lives here so Discord, Slack and the
 * console say the same thing.
 */
import type { Caller } from '../core/commands/caller.js';
import type { Reply } from '../core/reply/reply.js';
import type { ChannelKey } from './types.js';

export type ChannelAccess = { ok: true; channel: ChannelKey; caller: Caller } | { ok: false; reply: Reply };

/** The channel a command was typed in, if digests can go there; `manage` also requires the permission. */
export function channelAccess(caller: Caller | undefined, manage: boolean): ChannelAccess {
  if (!caller || caller.platform === 'console') {
    return refuse(
      'Digests are posted to Discord and Slack channels.',
      'Run /twir subscribe in the channel that should get them; `twir digest status` lists every subscription.',
    );
  }
  if (caller.place === 'dm' || caller.workspaceId === null || caller.channelId === null) {
    return refuse(
      'Digests can only be set up in a server or workspace channel, not in a direct message.',
      'Run this command in the channel that should get the digest.',
    );
  }
  if (manage && caller.canManageChannel !== true) {
    return refuse(
      'Only people who can manage this channel can change its digest.',
      caller.platform === 'discord'
        ? 'It needs the Manage Channels permission here; ask someone who has it.'
        : 'It needs a workspace admin or owner (the bot operator can allow everyone with SLACK_SUBSCRIBE_ROLE=member).',
    );
  }
  return { ok: true, channel: { platform: caller.platform, workspaceId: caller.workspaceId, channelId: caller.channelId }, caller };
}

function refuse(title: string, hint: string): { ok: false; reply: Reply } {
  // usage-error replies are shown only to the asker on every platform, and nothing has changed.
  return { ok: false, reply: { kind: 'usage-error', title, hint, sections: [], citations: [], private: true } };
}
