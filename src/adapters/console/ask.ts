/**
 * The console adapter proper: /twir commands answered in the terminal, one
 * shot from argv, interactively on a TTY, or one per line from a pipe (how
 * scripts and benchmarks ask many questions of one process).
 */
import { createInterface } from 'node:readline';
import { commandList } from '../../../commands/index.js';
import { Archive } from '../../core/archive/archive.js';
import { type Executed, executeLine, executeParsed } from '../../core/commands/execute.js';
import { findInTwir } from '../../core/commands/find-in-twir.js';
import { MAX_LINE_LENGTH, parseCommandWords } from '../../core/commands/parse-command-line.js';
import { localIsoDate } from '../../core/dates.js';
import { openStore } from '../../core/store/store.js';
import { createLogger } from '../../logger.js';
import { boundedLines } from './bounded-lines.js';
import type { ConsoleIO } from './console-io.js';
import { renderJson, renderText } from './render.js';

/**
 * The chat commands, and `find <message text>`: what Discord's and Slack's "Find in TWIR" answer on a
 * message, asked of pasted text (not a /twir subcommand, so help and the chat pickers do not list it).
 */
const CATALOGUE = [...commandList, findInTwir];

/** Exit code for a reply: 0 for answers (also "nothing found"), 2 for usage errors, 1 when the bot failed. */
function exitCode(executed: Executed): number {
  return executed.reply.kind === 'usage-error' ? 2 : executed.reply.kind === 'error' ? 1 : 0;
}

function open(io: ConsoleIO) {
  // Read-only: queries never write, so a read-only store still answers, and a mistyped TWIR_DB is
  // reported instead of being created as a new, empty store.
  const store = openStore({ path: io.loadConfig().dbPath, readonly: true });
  const log = createLogger(io.stderr);
  const archive = new Archive(store.db);
  const options = {
    archive,
    today: () => localIsoDate(io.now()),
    now: io.now,
    onError: (err: unknown, command: string) => log.error(`${command}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  };
  return { store, options };
}

function print(io: ConsoleIO, executed: Executed, today: string): void {
  const asOf = executed.global.asOf ?? today;
  const text = executed.global.json ? renderJson(executed.reply, { command: executed.command, asOf }) : renderText(executed.reply);
  (executed.reply.kind !== 'answer' && executed.reply.kind !== 'empty' && !executed.global.json ? io.stderr : io.stdout).write(text);
}

/** `twir crate bacon --as-of 2024-10-30`: one answer, then exit. */
export async function oneShot(argv: string[], io: ConsoleIO): Promise<number> {
  const { store, options } = open(io);
  try {
    const executed = await executeParsed(parseCommandWords(argv, CATALOGUE), options);
    print(io, executed, options.today());
    // After answering: the next one-shot search reads what this one built (src/core/search/snapshot.ts),
    // through a writable connection opened only when there is something to save.
    options.archive.persistSearch(() => {
      const writable = openStore({ path: io.loadConfig().dbPath });
      return { db: writable.db, close: () => writable.close() };
    });
    return exitCode(executed);
  } finally {
    store.close();
  }
}

/**
 * Longest stdin line read from a pipe, in bytes: room for the longest command line the parser
 * accepts in any UTF-8 (up to 4 bytes a character); longer lines are refused unread.
 */
export const MAX_INPUT_LINE_BYTES = MAX_LINE_LENGTH * 4;

/** `twir` alone: a prompt on a TTY, or one command per line from a pipe until end of input. */
export async function interactive(io: ConsoleIO, maxLineBytes = MAX_INPUT_LINE_BYTES): Promise<number> {
  const tty = Boolean(io.stdin.isTTY && io.stdout.isTTY);
  if (!tty) return piped(io, maxLineBytes);
  const { store, options } = open(io);
  const rl = createInterface({ input: io.stdin, output: io.stdout, prompt: 'twir> ', terminal: true });
  io.stdout.write('Ask about This Week in Rust, e.g. `/twir events berlin` or `latest`. `help` lists commands; `exit` quits.\n');
  rl.prompt();
  try {
    for await (const raw of rl) {
      if ((await answerLine(raw.trim(), io, options)) === 'exit') break;
      rl.prompt();
    }
  } finally {
    rl.close();
    store.close();
  }
  return 0;
}

/** One command per line from a pipe; the exit code is the worst of its answers. */
async function piped(io: ConsoleIO, maxLineBytes: number): Promise<number> {
  const { store, options } = open(io);
  let worst = 0;
  let n = 0;
  try {
    for await (const read of boundedLines(io.stdin as AsyncIterable<Uint8Array | string>, maxLineBytes)) {
      n++;
      if ('tooLong' in read) {
        io.stderr.write(`error: line ${n} is ${read.tooLong} bytes long, over the ${maxLineBytes}-byte limit; skipped.\n\n`);
        worst = Math.max(worst, 2);
        continue;
      }
      const outcome = await answerLine(read.line.trim(), io, options);
      if (outcome === 'exit') break;
      if (outcome !== null) {
        worst = Math.max(worst, outcome);
        io.stdout.write('\n');
      }
    }
  } finally {
    store.close();
  }
  return worst;
}

/** Answers one line: 'exit' for exit/quit, null for blank lines and comments, else the exit code. */
async function answerLine(line: string, io: ConsoleIO, options: ReturnType<typeof open>['options']): Promise<number | 'exit' | null> {
  if (line === 'exit' || line === 'quit') return 'exit';
  if (line === '' || line.startsWith('#')) return null;
  const executed = await executeLine(line, CATALOGUE, options);
  print(io, executed, options.today());
  return exitCode(executed);
}
