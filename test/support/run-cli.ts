/** Runs the built `twir` executable as a user would, with a controlled environment. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/twir.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/src/adapters/console/cli.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string>, input?: string): CliResult {
  if (!existsSync(BUILT)) throw new Error('dist/ is missing: `npm install` (prepare) or `npm run build` builds it.');
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    input: input ?? '',
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A `twir` process running in the background (for tests that run several at once). */
export interface RunningCli {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves when it exits. */
  done: Promise<CliResult>;
}

/** Starts the built `twir` without waiting for it. */
export function spawnCli(args: string[], env: Record<string, string>): RunningCli {
  if (!existsSync(BUILT)) throw new Error('dist/ is missing: `npm install` (prepare) or `npm run build` builds it.');
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += String(d);
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += String(d);
  });
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr }));
  });
  return { child, stderr: () => stderr, done };
}
