/**
 * Runs a command and guarantees a Reply: a bug in one handler becomes an
 * apology the user can report, never a crashed bot or a silent channel. Every
 * Reply leaves here through `sanitizeReply` (see safe-text.ts), and every
 * command reads one snapshot of the store, so a sync committing in another
 * process is seen entirely or not at all.
 */
import type { DigestStore } from '../../digest/digest-store.js';
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
  /** The digest's shared state for the commands that write it (see `CommandContext.digest`). */
  digest?: DigestStore;
}

/** Runs one parsed command on one snapshot of the store; the Reply is already sanitized. */
export async function executeCommand(
  command: CommandDefinition,
  args: CommandArgs,
  global: GlobalOptions,
  options: ExecuteOptions,
  caller?: Caller,
): Promise<Reply> {
  return execute(command, args, global, options, caller);
}

/**
 * `executeCommand` without the promise when the command answers at once: every read-only command
 * does (they read the local SQLite archive); a command that writes awaits the shared state.
 */
function execute(
  command: CommandDefinition,
  args: CommandArgs,
  global: GlobalOptions,
  options: ExecuteOptions,
  caller?: Caller,
): Reply | Promise<Reply> {
  const today = options.today();
  const asOf = global.asOf ?? today;
  const failed = (err: unknown): Reply => {
    options.onError?.(err, command.name);
    return {
      kind: 'error',
      title: `Sorry, "${command.name}" failed unexpectedly.`,
      hint: 'This is a bug in twir-bot; please report it with the command you typed.',
      sections: [],
      citations: [],
    };
  };
  const finish = (reply: Reply): Reply => {
    // Pin what the pages were made from: the page a button asked for, or the newest issue now.
    if (reply.page) {
      const pin = global.pin ?? options.archive.latest(asOf)?.number ?? undefined;
      if (pin !== undefined && pin !== null) reply.page.pin = pin;
    }
    if (asOf < today) dropStaleWarning(reply);
    return sanitizeReply(reply);
  };
  try {
    const run = () => {
      // Another process (a sync) may have changed the store since the last command.
      options.archive.refreshIfChanged();
      return command.run(
        {
          archive: options.archive,
          asOf,
          page: global.page ?? 1,
          ...(global.pin !== undefined ? { pin: global.pin } : {}),
          ...(caller ? { caller } : {}),
          ...(options.now ? { now: options.now } : {}),
          ...(options.digest ? { digest: options.digest } : {}),
        },
        args,
      );
    };
    // A command that writes (digest subscriptions) runs outside the read snapshot, and may await its store:
    // upgrading a read snapshot to a write fails as soon as another process has committed since it began.
    if (command.writes) return Promise.resolve(run()).then(finish, failed);
    // One read transaction per command: in WAL mode it pins the store as it was when the command
    // started, so an answer drawing on several queries (search: catalog, index, vocabulary) never
    // mixes rows from before and after a sync's commit in another process. The snapshot ends when
    // `run` returns, so a read-only command must answer synchronously.
    const reply = options.archive.snapshot(run);
    if (reply instanceof Promise) throw new Error(`"${command.name}" answered asynchronously; only commands that write may`);
    return finish(reply);
  } catch (err) {
    return failed(err);
  }
}

export interface Executed {
  reply: Reply;
  global: GlobalOptions;
  /** The command that ran, or null when the line was not understood. */
  command: string | null;
}

/** Parses and runs one line of text. */
export async function executeLine(
  line: string,
  catalogue: readonly CommandDefinition[],
  options: ExecuteOptions,
  caller?: Caller,
): Promise<Executed> {
  return executeParsed(parseCommandLine(line, catalogue), options, caller);
}

/** Runs an already parsed line (see `parseCommandWords` for a shell's argv). */
export async function executeParsed(parsed: ParsedLine, options: ExecuteOptions, caller?: Caller): Promise<Executed> {
  // Every reply leaves the core with mass mentions neutralized (see safe-text.ts); executeCommand does its own.
  if (!parsed.ok) return { reply: sanitizeReply(parsed.reply), global: parsed.global, command: null };
  const reply = await execute(parsed.command, parsed.args, parsed.global, options, caller);
  return { reply, global: parsed.global, command: parsed.command.name };
}

/**
 * `executeParsed` for a line known to be a read-only question, answered without a promise: the web page
 * (read-only by design), and the benchmarks and test helpers that ask hundreds of them. A command that
 * writes is refused.
 */
export function executeReadOnly(parsed: ParsedLine, options: ExecuteOptions, caller?: Caller): Executed {
  if (!parsed.ok) return { reply: sanitizeReply(parsed.reply), global: parsed.global, command: null };
  if (parsed.command.writes) throw new Error(`"${parsed.command.name}" writes: run it with executeParsed`);
  const reply = execute(parsed.command, parsed.args, parsed.global, options, caller);
  if (reply instanceof Promise) throw new Error(`"${parsed.command.name}" answered asynchronously`);
  return { reply, global: parsed.global, command: parsed.command.name };
}

/** `executeReadOnly` of one line of text. */
export function executeReadOnlyLine(
  line: string,
  catalogue: readonly CommandDefinition[],
  options: ExecuteOptions,
  caller?: Caller,
): Executed {
  return executeReadOnly(parseCommandLine(line, catalogue), options, caller);
}
