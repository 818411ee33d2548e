/**
 * Parses issues on worker threads, or inline when workers are off or the
 * compiled worker file is not there (tests run the TypeScript sources).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseIssueBytes } from '../issue/parse-file.js';
import type { Issue } from '../issue/types.js';

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

/** A pool of `threads` workers, falling back to inline parsing when it cannot start one. */
export function createParser(threads: number): IssueParser {
  if (threads <= 0 || !existsSync(fileURLToPath(WORKER_URL))) return inlineParser();
  return workerPool(threads);
}

/** Parses on the calling thread: best for a handful of files, where starting workers costs more than it saves. */
export function inlineParser(): IssueParser {
  return {
    threads: 0,
    parse: async (file, bytes) => parseIssueBytes(bytes, file),
    close: async () => {},
  };
}

interface Pending {
  resolve: (issue: Issue) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: number;
}

function workerPool(threads: number): IssueParser {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  const slots: Slot[] = [];
  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(WORKER_URL, { resourceLimits: WORKER_LIMITS }), busy: 0 };
    slot.worker.on('message', (msg: { id: number; issue?: Issue; error?: string }) => {
      slot.busy--;
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.issue) p?.resolve(msg.issue);
      else p?.reject(new Error(msg.error ?? 'worker failed'));
    });
    // A worker that dies (out of memory on a hostile file) fails its jobs; the pool replaces it.
    slot.worker.on('error', (err) => failSlot(slot, err));
    return slot;
  };
  const owner = new Map<number, Slot>();
  const failSlot = (slot: Slot, err: Error): void => {
    for (const [id, s] of owner) {
      if (s !== slot) continue;
      pending.get(id)?.reject(err);
      pending.delete(id);
      owner.delete(id);
    }
    const i = slots.indexOf(slot);
    if (i >= 0) slots[i] = spawn();
  };
  return {
    threads,
    parse(file, bytes) {
      // Workers start on first use, so a sync with nothing to parse never pays for them.
      while (slots.length < threads) slots.push(spawn());
      const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
      const id = nextId++;
      slot.busy++;
      owner.set(id, slot);
      return new Promise<Issue>((resolve, reject) => {
        pending.set(id, {
          resolve: (issue) => {
            owner.delete(id);
            resolve(issue);
          },
          reject: (err) => {
            owner.delete(id);
            reject(err);
          },
        });
        slot.worker.postMessage({ id, file, bytes });
      });
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
