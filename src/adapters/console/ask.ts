/**
 * The console adapter proper: /twir commands answered in the terminal, one
 * shot from argv, interactively on a TTY, or one per line from a pipe (how
 * scripts and benchmarks ask many questions of one process).
 */
import { createInterface } from 'node:readline';
import { commandList } from '../../../commands/index.js';
import { Archive } from '../../core/archive/archive.js';
import { type Executed, executeLine, executeParsed } from '../../core/commands/execute.js';
import { parseCommandWords } from '../../core/commands/parse-command-line.js';
import { localIsoDate } from '../../core/dates.js';
import { openStore } from '../../core/store/store.js';
import { createLogger } from '../../logger.js';
import type { ConsoleIO } from './main.js';
import { renderJson, renderText } from './render.js';

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
export function oneShot(argv: string[], io: ConsoleIO): number {
  const { store, options } = open(io);
  try {
    const executed = executeParsed(parseCommandWords(argv, commandList), options);
    print(io, executed, options.today());
    return exitCode(executed);
  } finally {
    store.close();
  }
}

/** `twir` alone: a prompt on a TTY, or one command per line from a pipe until end of input. */
export async function interactive(io: ConsoleIO): Promise<number> {
  const { store, options } = open(io);
  const tty = Boolean(io.stdin.isTTY && io.stdout.isTTY);
  const rl = createInterface({ input: io.stdin, ...(tty ? { output: io.stdout, prompt: 'twir> ' } : {}), terminal: tty });
  let worst = 0;
  if (tty) {
    io.stdout.write('Ask about This Week in Rust, e.g. `/twir events berlin` or `latest`. `help` lists commands; `exit` quits.\n');
    rl.prompt();
  }
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === 'exit' || line === 'quit') break;
      if (line !== '' && !line.startsWith('#')) {
        const executed = executeLine(line, commandList, options);
        print(io, executed, options.today());
        worst = Math.max(worst, exitCode(executed));
        if (!tty) io.stdout.write('\n');
      }
      if (tty) rl.prompt();
    }
  } finally {
    rl.close();
    store.close();
  }
  return tty ? 0 : worst;
}
