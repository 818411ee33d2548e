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
  /** `team_domain` of a slash command, when it has one. */
  teamDomain?: string | undefined;
}

/** A Caller for a Slack command or click. */
export function slackCaller(ids: SlackIds): Caller {
  return {
    platform: 'slack',
    workspaceId: ids.teamId || null,
    channelId: ids.channelId || null,
    userId: ids.userId || null,
    place: slackPlace(ids.channelId, ids.channelName),
    // Slack's stand-ins for private conversations are no names.
    ...(ids.channelName && !['directmessage', 'privategroup'].includes(ids.channelName) ? { channelName: ids.channelName } : {}),
    ...(ids.teamDomain ? { workspaceName: ids.teamDomain } : {}),
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

/** The part of the Web API the permission checks use (a fake in tests). */
export interface UsersInfoClient {
  users: { info(args: { user: string }): Promise<{ user?: { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean } }> };
  /** conversations.info (scopes channels:read, groups:read): is the app a member? Absent = not checked. */
  conversations?: { info(args: { channel: string }): Promise<{ channel?: { is_member?: boolean } }> };
}

/**
 * Whether the app can post in the channel: Slack answers `not_in_channel` to a digest post in a
 * channel the app was not invited to, so subscribing there is refused first. A DM with the app needs no
 * invitation. Undefined when it cannot be told (no client support, lookup failed: logged, not refused).
 */
export async function resolveBotAccess(
  client: UsersInfoClient,
  caller: Caller,
  botName: string | undefined,
  log: Logger,
): Promise<Caller['botAccess']> {
  if (!client.conversations || !caller.channelId || caller.place === 'dm') return undefined;
  try {
    const { channel } = await client.conversations.info({ channel: caller.channelId });
    if (channel?.is_member === undefined) return undefined;
    return { present: channel.is_member, missing: [], recommended: [], ...(botName ? { appName: botName } : {}) };
  } catch (err) {
    // channel_not_found for a private channel the app is not in: it is not a member there either.
    if ((err as { data?: { error?: string } }).data?.error === 'channel_not_found')
      return { present: false, missing: [], recommended: [], ...(botName ? { appName: botName } : {}) };
    log.warn(`slack: conversations.info for ${caller.channelId} failed: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
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
