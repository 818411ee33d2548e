/**
 * Who may change a channel's digest, decided from the Caller the adapter
 * filled in. All wording of the refusals lives here so Discord, Slack and the
 * console say the same thing.
 */
import type { Caller } from '../core/commands/caller.js';
import type { Reply } from '../core/reply/reply.js';
import type { ChannelKey } from './types.js';

export type ChannelAccess = { ok: true; channel: ChannelKey; caller: Caller } | { ok: false; reply: Reply };

/**
 * The channel a command was typed in, if digests can go there; `manage` also requires the permission;
 * `posts` (subscribe, test) also requires that the bot can post there, when the adapter knows.
 */
export function channelAccess(caller: Caller | undefined, manage: boolean, posts = false): ChannelAccess {
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
  const bot = posts ? caller.botAccess : undefined;
  if (bot && !bot.present) {
    return refuse(
      caller.platform === 'discord'
        ? 'The twir bot is not in this server: /twir is only installed to your account here, and an app on your account cannot post digests.'
        : 'The app is not a member of this channel, so it cannot post the digest here.',
      caller.platform === 'discord'
        ? `Add the bot to the server first${bot.inviteUrl ? `: ${bot.inviteUrl}` : ''} (a server admin opens the link), then run /twir subscribe again.`
        : `Invite @${bot.appName ?? 'twir'} first (/invite @${bot.appName ?? 'twir'} in this channel), then run /twir subscribe again.`,
    );
  }
  if (bot && bot.missing.length > 0) {
    const helps = bot.recommended.length
      ? ` ${bot.recommended.join(' and ')} helps too: after a crash the bot reads its recent posts so it never posts a digest twice.`
      : '';
    return refuse(
      `The bot cannot post the digest in this channel: it lacks ${bot.missing.join(', ')}.`,
      `Give the twir bot's role ${bot.missing.join(', ')} in this channel's permissions, then run /twir subscribe again.${helps}`,
    );
  }
  return { ok: true, channel: { platform: caller.platform, workspaceId: caller.workspaceId, channelId: caller.channelId }, caller };
}

function refuse(title: string, hint: string): { ok: false; reply: Reply } {
  // usage-error replies are shown only to the asker on every platform, and nothing has changed.
  return { ok: false, reply: { kind: 'usage-error', title, hint, sections: [], citations: [], private: true } };
}
