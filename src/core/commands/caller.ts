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
  /**
   * Whether the bot itself can post here, when the platform says (Discord: the interaction's
   * `app_permissions` and installation; Slack: channel membership). Filled by the adapter for
   * commands that ask for `manage-channel`; undefined = not known, not checked.
   */
  botAccess?: BotAccess;
  /** Names as the platform showed them (Slack: team domain and channel; Discord: the channel), for operators. */
  workspaceName?: string;
  channelName?: string;
  /** Discord: the channel is an announcement channel (its posts can be published to following servers). */
  announcementChannel?: boolean;
}

/** What the bot can do in the caller's channel (see Caller.botAccess). */
export interface BotAccess {
  /** False when the bot is not there: a Discord user install or a server without the bot user; a Slack channel the app is not in. */
  present: boolean;
  /** Permissions the bot lacks that posting needs, by their platform names ("Send Messages"). */
  missing: readonly string[];
  /** Permissions that help but are not needed ("Read Message History"). */
  recommended: readonly string[];
  /** Discord: the invite link (bot scope with the needed permissions). */
  inviteUrl?: string;
  /** Slack: the app's name, for "/invite @name". */
  appName?: string;
}
