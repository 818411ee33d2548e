/**
 * Parses issues on worker threads, or inline when workers are off or the
 * compiled worker file is not there (tests run the TypeScript sources).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseIssueBytes } from '../issue/parse-file.js';
import type { Issue } from '../issue/types.js';
import { MAX_ISSUE_BYTES, oversize } from './issue-file-limits.js';

export interface IssueParser {
  /** How many threads parse (0 = inline on the calling thread). */
  readonly threads: number;
  parse(file: string, bytes: Uint8Array): Promise<Issue>;
  close(): Promise<void>;
}

const WORKER_URL = new URL('./parse-worker.js', import.meta.url);

/**
 * Heap settings per worker. Parsing allocates many short-lived objects; a
 * 32 MB young generation (above the default) spends less time collecting
 * garbage, and the old-generation cap keeps a full ingest's peak RSS near
 * 300 MB (measured: 300 MB with these caps, ~390 MB with 64/128). Real issues
 * need a few MB each; a hostile file that needs more kills only its worker:
 * that file is reported, the pool starts a new worker, and the sync goes on.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: 96 };

export interface ParserOptions {
  /** A file that takes longer than this to parse is abandoned (its worker is replaced). */
  timeoutMs?: number;
  /**
   * Larger inputs are refused, not parsed (default `MAX_ISSUE_BYTES`). This is
   * what makes the timeout work: `terminate()` stops a worker only between
   * JavaScript steps, and one native step over unbounded input (a regex
   * replace over 60 MB of NULs) runs on for minutes at gigabytes, holding the
   * process open after the sync. Over 1 MB every such step takes milliseconds.
   */
  maxBytes?: number;
}

/**
 * A pool of `threads` workers, or inline parsing when `threads` is 0 or the
 * compiled worker is not there (tests run the TypeScript sources). Only the
 * pool can stop a file that parses forever: inline parsing has no timeout.
 */
export function createParser(threads: number, options: ParserOptions = {}): IssueParser {
  const maxBytes = options.maxBytes ?? MAX_ISSUE_BYTES;
  const parser = threads <= 0 || !existsSync(fileURLToPath(WORKER_URL)) ? inlineParser() : workerPool(threads, options.timeoutMs ?? 30_000);
  return {
    threads: parser.threads,
    parse(file, bytes) {
      const refusal = oversize(bytes.byteLength, maxBytes);
      return refusal ? Promise.reject(refusal) : parser.parse(file, bytes);
    },
    close: () => parser.close(),
  };
}

/** Parses on the calling thread. */
function inlineParser(): IssueParser {
  return {
    threads: 0,
    parse: async (file, bytes) => parseIssueBytes(bytes, file),
    close: async () => {},
  };
}

interface Job {
  file: string;
  bytes: Uint8Array;
  resolve: (issue: Issue) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

/**
 * One job per worker at a time, from a shared queue: a file that hangs or
 * exhausts its worker's heap then fails alone, and the pool replaces that
 * worker without disturbing the others' work.
 */
function workerPool(threads: number, timeoutMs: number): IssueParser {
  const queue: Job[] = [];
  const slots: Slot[] = [];
  let closed = false;

  const finish = (slot: Slot): Job | null => {
    const job = slot.job;
    slot.job = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    return job;
  };
  const replace = (slot: Slot, err: Error): void => {
    finish(slot)?.reject(err);
    void slot.worker.terminate();
    const i = slots.indexOf(slot);
    if (i >= 0 && !closed) {
      slots[i] = spawn();
      next(slots[i] as Slot);
    }
  };
  const next = (slot: Slot): void => {
    const job = queue.shift();
    if (!job || closed) return;
    slot.job = job;
    // micromark is quadratic on some inputs (long runs of unmatched `*`/`_`); a file that takes
    // this long is hostile, not an issue, and must not stall the sync.
    slot.timer = setTimeout(() => replace(slot, new Error(`parsing took longer than ${timeoutMs / 1000} s; skipped`)), timeoutMs);
    slot.worker.postMessage({ id: 0, file: job.file, bytes: job.bytes });
  };
  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(WORKER_URL, { resourceLimits: WORKER_LIMITS }), job: null, timer: null };
    slot.worker.on('message', (msg: { issue?: Issue; error?: string }) => {
      const job = finish(slot);
      if (msg.issue) job?.resolve(msg.issue);
      else job?.reject(new Error(msg.error ?? 'worker failed'));
      next(slot);
    });
    // A worker that dies (out of memory on a hostile file) fails its job; the pool replaces it.
    slot.worker.on('error', (err) => replace(slot, describeWorkerError(err)));
    return slot;
  };

  return {
    threads,
    parse(file, bytes) {
      if (closed) return Promise.reject(new Error('parser closed'));
      // Workers start on first use, so a sync with nothing to parse never pays for them.
      while (slots.length < threads) slots.push(spawn());
      return new Promise<Issue>((resolve, reject) => {
        queue.push({ file, bytes, resolve, reject });
        const idle = slots.find((s) => s.job === null);
        if (idle) next(idle);
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('parser closed'));
      await Promise.all(
        slots.map((s) => {
          finish(s)?.reject(new Error('parser closed'));
          return s.worker.terminate();
        }),
      );
    },
  };
}

/** Says what happened in words ("ran out of memory") rather than Node's error code. */
function describeWorkerError(err: Error): Error {
  if ((err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new Error(`parsing needed more than the ${WORKER_LIMITS.maxOldGenerationSizeMb} MB a parse may use; skipped`);
  }
  return err;
}
