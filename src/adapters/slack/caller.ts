/**
 * Who asked, and where, from a Slack payload; and whether they may manage
 * the channel, for the commands that ask (`permission: 'manage-channel'`).
 */
import type { Caller } from '../../core/commands/caller.js';
import type { Logger } from '../../logger.js';

/** The ids a slash command or a block action carries. */
export interface SlackIds {
  teamId: string | undefined;
  channelId: string | undefined;
  /** `channel_name` of a slash command: "directmessage", "privategroup", "mpdm-…" or the channel's name. */
  channelName: string | undefined;
  userId: string | undefined;
}

/** A Caller for a Slack command or click. */
export function slackCaller(ids: SlackIds): Caller {
  return {
    platform: 'slack',
    workspaceId: ids.teamId || null,
    channelId: ids.channelId || null,
    userId: ids.userId || null,
    place: slackPlace(ids.channelId, ids.channelName),
  };
}

/**
 * D… ids are direct messages with the app; G… ids (and Slack's
 * "privategroup" name) are private channels, and so are group DMs ("mpdm-…"):
 * several people, no public membership.
 */
function slackPlace(channelId = '', channelName = ''): Caller['place'] {
  if (channelName === 'directmessage' || channelId.startsWith('D')) return 'dm';
  if (channelName === 'privategroup' || channelName.startsWith('mpdm-') || channelId.startsWith('G')) return 'private-channel';
  return 'channel';
}

/** The part of the Web API the permission check uses (a fake in tests). */
export interface UsersInfoClient {
  users: { info(args: { user: string }): Promise<{ user?: { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean } }> };
}

/**
 * Workspace admins and owners may manage channel settings such as the
 * digest; with `SLACK_SUBSCRIBE_ROLE=member` anyone may, and Slack is not
 * asked. A failed lookup (missing `users:read` scope, Slack down) denies and
 * is logged: refusing is the safe answer for a permission.
 */
export async function resolveCanManageChannel(
  client: UsersInfoClient,
  userId: string | null,
  role: 'admin' | 'member',
  log: Logger,
): Promise<boolean> {
  if (role === 'member') return true;
  if (!userId) return false;
  try {
    const { user } = await client.users.info({ user: userId });
    return Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
  } catch (err) {
    log.warn(`slack: users.info for ${userId} failed, treating as not an admin: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
}
