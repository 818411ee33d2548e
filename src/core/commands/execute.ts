/**
 * Runs a command and guarantees a Reply: a bug in one handler becomes an
 * apology the user can report, never a crashed bot or a silent channel.
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
    // Another process (a sync) may have changed the store since the last command.
    options.archive.refreshIfChanged();
    const reply = command.run(
      {
        archive: options.archive,
        asOf,
        page: global.page ?? 1,
        ...(caller ? { caller } : {}),
        ...(options.now ? { now: options.now } : {}),
      },
      args,
    );
    if (asOf < today) dropStaleWarning(reply);
    return reply;
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
  // Every reply leaves the core with mass mentions neutralized (see safe-text.ts).
  if (!parsed.ok) return { reply: sanitizeReply(parsed.reply), global: parsed.global, command: null };
  const reply = executeCommand(parsed.command, parsed.args, parsed.global, options, caller);
  return { reply: sanitizeReply(reply), global: parsed.global, command: parsed.command.name };
}
