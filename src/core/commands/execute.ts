/**
 * Runs a command and guarantees a Reply: a bug in one handler becomes an
 * apology the user can report, never a crashed bot or a silent channel. Every
 * Reply leaves here through `sanitizeReply` (see safe-text.ts), and every
 * command reads one snapshot of the store, so a sync committing in another
 * process is seen entirely or not at all.
 */
import type { Archive } from '../archive/archive.js';
import type { Reply } from '../reply/reply.js';
import { sanitizeReply } from '../reply/safe-text.js';
import { dropStaleWarning } from './answers.js';
import type { Caller } from './caller.js';
import type { CommandArgs, CommandDefinition } from './definition.js';
import { type GlobalOptions, type ParsedLine, parseCommandLine } from './parse-command-line.js';

export interface ExecuteOptions {
  archive: Archive;
  /** Today's date (ISO) from the injected clock, asked for each command; the default "as of". */
  today: () => string;
  /** The clock behind `today`, for commands that record times (digest subscriptions); optional. */
  now?: () => Date;
  /** Called with unexpected errors (for the adapter's logger). */
  onError?: (err: unknown, command: string) => void;
}

/** Runs one parsed command on one snapshot of the store; the Reply is already sanitized. */
export function executeCommand(
  command: CommandDefinition,
  args: CommandArgs,
  global: GlobalOptions,
  options: ExecuteOptions,
  caller?: Caller,
): Reply {
  const today = options.today();
  const asOf = global.asOf ?? today;
  try {
    const run = () => {
      // Another process (a sync) may have changed the store since the last command.
      options.archive.refreshIfChanged();
      const reply = command.run(
        {
          archive: options.archive,
          asOf,
          page: global.page ?? 1,
          ...(global.pin !== undefined ? { pin: global.pin } : {}),
          ...(caller ? { caller } : {}),
          ...(options.now ? { now: options.now } : {}),
        },
        args,
      );
      // Pin what the pages were made from: the page a button asked for, or the newest issue now.
      if (reply.page) {
        const pin = global.pin ?? options.archive.latest(asOf)?.number ?? undefined;
        if (pin !== undefined && pin !== null) reply.page.pin = pin;
      }
      return reply;
    };
    // One read transaction per command: in WAL mode it pins the store as it was when the command
    // started, so an answer drawing on several queries (search: catalog, index, vocabulary) never
    // mixes rows from before and after a sync's commit in another process. A command that writes
    // (digest subscriptions) runs outside it: upgrading a read snapshot to a write fails as soon as
    // another process has committed since it began.
    const reply = command.writes ? run() : options.archive.snapshot(run);
    if (asOf < today) dropStaleWarning(reply);
    return sanitizeReply(reply);
  } catch (err) {
    options.onError?.(err, command.name);
    return {
      kind: 'error',
      title: `Sorry, "${command.name}" failed unexpectedly.`,
      hint: 'This is a bug in twir-bot; please report it with the command you typed.',
      sections: [],
      citations: [],
    };
  }
}

export interface Executed {
  reply: Reply;
  global: GlobalOptions;
  /** The command that ran, or null when the line was not understood. */
  command: string | null;
}

/** Parses and runs one line of text. */
export function executeLine(line: string, catalogue: readonly CommandDefinition[], options: ExecuteOptions, caller?: Caller): Executed {
  return executeParsed(parseCommandLine(line, catalogue), options, caller);
}

/** Runs an already parsed line (see `parseCommandWords` for a shell's argv). */
export function executeParsed(parsed: ParsedLine, options: ExecuteOptions, caller?: Caller): Executed {
  // Every reply leaves the core with mass mentions neutralized (see safe-text.ts); executeCommand does its own.
  if (!parsed.ok) return { reply: sanitizeReply(parsed.reply), global: parsed.global, command: null };
  const reply = executeCommand(parsed.command, parsed.args, parsed.global, options, caller);
  return { reply, global: parsed.global, command: parsed.command.name };
}
