/**
 * Where chat commands wait their turn. Commands are synchronous and run on
 * the main thread, so a burst of expensive ones (200 unique searches) used
 * to run back to back while nothing else could happen: not an ack, not a
 * deferral, not /healthz. Here each expensive command runs in its own turn
 * of the event loop, so requests that arrive meanwhile are read and
 * acknowledged between two commands; commands that have been cheap lately
 * (help, latest) skip the line. Past a bound the queue refuses, so the
 * caller can say "busy" at once instead of answering minutes late.
 */

/** Thrown by `run` when the queue is past its bound. */
export class QueueFullError extends Error {
  constructor() {
    super('command queue full');
  }
}

export interface CommandQueueOptions {
  /** A command whose recent runs took less than this (ms; the median, none over ten times it) runs at once, ahead of the queue (default 5). */
  cheapMs?: number;
  /** Run queued commands for up to this long (ms) before letting the event loop turn (default 10). */
  sliceMs?: number;
  /** Refuse when the queued work is expected to take longer than this (ms; default 20 s). */
  maxBacklogMs?: number;
  /** Refuse past this many queued commands (default 1000). */
  maxLength?: number;
}

export interface CommandQueue {
  /** What a command of this kind took lately: the slowest of its last few runs (0 when never seen). */
  expected(key: string): number;
  /** The queued work's expected duration (ms): how long a command queued now would wait. */
  readonly backlogMs: number;
  /** Whether `run` would refuse a command of this kind now. */
  isFull(key: string): boolean;
  /** Runs `fn` (a command of kind `key`) in its turn, or at once if it is cheap; rejects with QueueFullError past the bound. */
  run<T>(key: string, fn: () => T): Promise<T>;
}

const UNSEEN_COST_MS = 20;

interface Job {
  expected: number;
  start: () => void;
}

export function createCommandQueue(options: CommandQueueOptions = {}): CommandQueue {
  const cheapMs = options.cheapMs ?? 5;
  const maxBacklogMs = options.maxBacklogMs ?? 20_000;
  const maxLength = options.maxLength ?? 1000;
  const sliceMs = options.sliceMs ?? 10;
  const recent = new Map<string, number[]>();
  // CPU time of the same runs: what the command itself costs, whatever else the machine is doing.
  const recentCpu = new Map<string, number[]>();
  const jobs: Job[] = [];
  let backlogMs = 0;
  let pumping = false;

  const expected = (key: string): number => Math.max(0, ...(recent.get(key) ?? []));
  // For the backlog, what it usually takes: one cold run (an index built on first use) must not make every
  // later one count as slow and fill the queue's bound with imagined work.
  const typical = (key: string): number => {
    const runs = [...(recent.get(key) ?? [])].sort((a, b) => a - b);
    return runs.length === 0 ? UNSEEN_COST_MS : (runs[Math.floor(runs.length / 2)] as number);
  };
  const record = (into: Map<string, number[]>, key: string, ms: number): void => {
    const runs = into.get(key) ?? [];
    runs.push(ms);
    if (runs.length > 8) runs.shift();
    into.set(key, runs);
  };
  const timed = <T>(key: string, fn: () => T): T => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    try {
      return fn();
    } finally {
      record(recent, key, performance.now() - started);
      const used = process.cpuUsage(cpu);
      record(recentCpu, key, (used.user + used.system) / 1000);
    }
  };
  // Jobs for up to `sliceMs` per turn of the event loop (at least one), then I/O callbacks (new requests,
  // deferrals) run before the next turn: quick commands go through in batches, a long one alone.
  const pump = (): void => {
    const turn = performance.now();
    do {
      const job = jobs.shift();
      if (!job) {
        pumping = false;
        return;
      }
      backlogMs -= job.expected;
      job.start();
    } while (performance.now() - turn < sliceMs);
    setImmediate(pump);
  };
  // Cheap: its CPU time usually under cheapMs and never far over it lately. CPU time and the median, not the
  // slowest wall-clock run, so a run preempted on a busy machine does not send `help` to the back of a queue
  // of searches. Never seen: assume it may be expensive, so a cold burst still takes turns.
  const isCheap = (key: string): boolean => {
    const cpu = [...(recentCpu.get(key) ?? [])].sort((a, b) => a - b);
    if (cpu.length === 0) return false;
    return (cpu[Math.floor(cpu.length / 2)] as number) < cheapMs && (cpu.at(-1) as number) < cheapMs * 10;
  };

  return {
    expected,
    get backlogMs() {
      return Math.max(0, backlogMs);
    },
    isFull(key) {
      // An empty queue always takes the command, however long it runs.
      return !isCheap(key) && jobs.length > 0 && (jobs.length >= maxLength || backlogMs + typical(key) > maxBacklogMs);
    },
    run(key, fn) {
      if (isCheap(key)) {
        try {
          return Promise.resolve(timed(key, fn));
        } catch (err) {
          return Promise.reject(err);
        }
      }
      if (this.isFull(key)) return Promise.reject(new QueueFullError());
      return new Promise((resolve, reject) => {
        // A kind never run yet counts as a typical search, so a cold burst still adds up to a backlog.
        const cost = typical(key);
        backlogMs += cost;
        jobs.push({
          expected: cost,
          start: () => {
            try {
              resolve(timed(key, fn));
            } catch (err) {
              reject(err);
            }
          },
        });
        if (!pumping) {
          pumping = true;
          setImmediate(pump);
        }
      });
    },
  };
}
