/**
 * Who asked, and where. Each chat adapter fills one in from its platform's
 * payload; commands that act on the channel itself (digest subscriptions)
 * read it, the read-only answers ignore it.
 */
export interface Caller {
  platform: 'discord' | 'slack' | 'console';
  /** Discord guild id or Slack team id; null in a DM or a user-installed context outside a server. */
  workspaceId: string | null;
  channelId: string | null;
  userId: string | null;
  /** Where the command was typed. */
  place: 'channel' | 'private-channel' | 'dm' | 'terminal';
  /**
   * Whether the caller may manage this channel (Discord: Manage Channels from the
   * interaction's member permissions; Slack: workspace admin or owner, or
   * anyone when configured so). Resolved by the adapter only for commands whose
   * definition asks for it (`permission: 'manage-channel'`); undefined = not checked.
   */
  canManageChannel?: boolean;
}
