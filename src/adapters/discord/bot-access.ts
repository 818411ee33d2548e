/**
 * Whether the bot itself can post a digest in the channel a Discord command
 * came from, read from the interaction alone: its `app_permissions` (the
 * bot's permissions in that channel) and `authorizing_integration_owners`
 * (a user install alone means the bot user is not in the server).
 * https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { Caller } from '../../core/commands/caller.js';

/** The interaction fields read here. */
export interface BotAccessPayload {
  guild_id?: string;
  application_id?: string;
  app_permissions?: string;
  authorizing_integration_owners?: Record<string, string>;
}

/** What posting a digest needs in a channel, by the names Discord shows in its permission settings. */
const POST_PERMISSIONS = [
  ['View Channel', PermissionFlagsBits.ViewChannel],
  ['Send Messages', PermissionFlagsBits.SendMessages],
  ['Embed Links', PermissionFlagsBits.EmbedLinks],
] as const;
/** Not needed to post, but lets a restarted bot find a post in doubt instead of repeating it. */
const HELPFUL_PERMISSIONS = [['Read Message History', PermissionFlagsBits.ReadMessageHistory]] as const;

/** The permissions the invite link asks for: exactly those above. */
export const INVITE_PERMISSIONS = [...POST_PERMISSIONS, ...HELPFUL_PERMISSIONS].reduce((bits, [, bit]) => bits | bit, 0n);

/** The link that adds the bot user to a server with the digest's permissions. */
export function inviteUrl(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot+applications.commands&permissions=${INVITE_PERMISSIONS}`;
}

/**
 * The bot's access from the interaction itself: `authorizing_integration_owners` without "0" means only
 * a user install authorised it (the bot user is not in the server); `app_permissions` are its
 * permissions in this channel. Undefined when the payload carries neither (nothing to check).
 */
export function botAccessOf(interaction: BotAccessPayload): Caller['botAccess'] {
  if (!interaction.guild_id) return undefined;
  const owners = interaction.authorizing_integration_owners;
  const bits = interaction.app_permissions;
  const known = bits !== undefined && /^\d{1,30}$/.test(bits);
  if (!owners && !known) return undefined;
  const link = interaction.application_id ? { inviteUrl: inviteUrl(interaction.application_id) } : {};
  if (owners && !('0' in owners)) return { present: false, missing: [], recommended: [], ...link };
  const flags = known ? BigInt(bits as string) : null;
  const admin = flags !== null && (flags & PermissionFlagsBits.Administrator) !== 0n;
  const lacks = (list: readonly (readonly [string, bigint])[]) =>
    flags === null || admin ? [] : list.filter(([, bit]) => (flags & bit) === 0n).map(([name]) => name);
  return { present: true, missing: lacks(POST_PERMISSIONS), recommended: lacks(HELPFUL_PERMISSIONS), ...link };
}
