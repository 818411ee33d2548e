/**
 * The shape of a platform-neutral /twir command. Each file in `commands/`
 * exports one `CommandDefinition`; adapters turn `options` into Discord slash
 * options, Slack text parsing and CLI flags, and call `run`.
 */
import type { DigestStore } from '../../digest/digest-store.js';
import type { Archive } from '../archive/archive.js';
import type { Reply } from '../reply/reply.js';
import type { Caller } from './caller.js';

/** `role`: a Discord role (a role picker there; the id, or a `<@&id>` mention, in text). */
export type OptionType = 'string' | 'integer' | 'date' | 'role';

/** Where an option's autocomplete suggestions come from (answered by the core). */
export type AutocompleteSource = 'crates' | 'places' | 'fcp-groups' | 'sections' | 'commands' | 'issues';

export interface OptionDefinition {
  readonly name: string;
  readonly description: string;
  readonly type: OptionType;
  readonly required?: boolean;
  /**
   * Positional options are filled from bare words in order; a `rest` option
   * takes all remaining bare words ("async closures" is one query).
   */
  readonly positional?: boolean;
  readonly rest?: boolean;
  readonly autocomplete?: AutocompleteSource;
  readonly choices?: readonly string[];
  /** Longest accepted value (characters); longer input is a usage error, not a crash. */
  readonly maxLength?: number;
  /** How usage hints write a positional option when its name is not a word users know (`number | YYYY-MM-DD | latest`). */
  readonly placeholder?: string;
}

/** The parsed arguments of a command: option name → value. */
export type CommandArgs = Record<string, string | number | undefined>;

export interface CommandContext {
  archive: Archive;
  /** ISO date: only issues published on or before it count; "upcoming" is relative to it. */
  asOf: string;
  /** 1-based page of a long list. */
  page: number;
  /** Only issues numbered up to this count (see `GlobalOptions.pin`); absent for a first page. */
  pin?: number;
  /** Who asked and where (absent in contexts that have no channel, e.g. a bench). */
  caller?: Caller;
  /** The injected clock, for commands that record when something happened (digest subscriptions). */
  now?: () => Date;
  /**
   * The digest's shared state (SQLite or PostgreSQL, see src/shared-state); absent, the digest commands
   * use the SQLite tables on the archive's own connection (the console, tests).
   */
  digest?: DigestStore;
}

export interface CommandDefinition {
  readonly name: string;
  /** One line, under Discord's 100-character limit. */
  readonly description: string;
  readonly options: readonly OptionDefinition[];
  /** Example invocations without the `/twir` prefix, for help. */
  readonly examples: readonly string[];
  /**
   * A permission the adapter must resolve into `caller.canManageChannel` before
   * running (Slack's check is an API call, so adapters make it only when asked).
   */
  readonly permission?: 'manage-channel';
  /** The command writes to the store (digest subscriptions): it runs outside the per-command read snapshot. */
  readonly writes?: boolean;
  /** Read-only commands answer at once; the digest commands await their store (PostgreSQL is async). */
  run(ctx: CommandContext, args: CommandArgs): Reply | Promise<Reply>;
}

/**
 * Whether a page button may re-run this command: only read-only commands
 * that need no permission. A button's state comes back from the client, so a
 * forged one must never subscribe, unsubscribe or post a digest.
 */
export function isPageable(command: CommandDefinition): boolean {
  return !command.writes && !command.permission;
}
