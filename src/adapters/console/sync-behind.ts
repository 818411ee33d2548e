/**
 * A sync that runs behind `twir serve`'s adapters: they start as soon as the
 * store has one issue (the newest: the sync stores newest first), and the rest
 * of the archive streams in while they answer. On shutdown the sync is stopped
 * after the issue it is storing and awaited, so the store closes cleanly.
 */
import type { IssueStore } from '../../core/store/store.js';
import type { SyncProgress, SyncReport } from '../../core/sync/sync.js';

/** Runs one sync with a stop signal and an extra `stored` hook (see `runSync` in operator.ts). */
/** Resolves null when another process holds the sync lease (this one then did not sync). */
export type RunSync = (signal: AbortSignal, stored: NonNullable<SyncProgress['stored']>) => Promise<SyncReport | null>;

export interface SyncBehind {
  /**
   * Resolves once there is something to answer from: at once when the store
   * already has issues, else after the first issue of this sync is stored.
   * Rejects with the sync's error when it failed before storing anything.
   */
  ready: Promise<void>;
  /** The sync's outcome (null if it threw after the adapters started; `onFailure` has been told). */
  done: Promise<SyncReport | null>;
  /** Stops the sync after the issue being stored and resolves when it has ended. */
  stop(): Promise<void>;
}

/** Starts `run` in the background; see `SyncBehind`. */
export function syncBehind(store: IssueStore, run: RunSync, onFailure: (err: unknown) => void): SyncBehind {
  const controller = new AbortController();
  let markReady: () => void = () => undefined;
  let failReady: (err: unknown) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  let isReady = store.stats().issues > 0;
  if (isReady) markReady();
  const done = run(controller.signal, () => {
    if (isReady) return;
    isReady = true;
    markReady();
  }).then(
    (report) => {
      // Done, even with nothing stored (every file failed): the adapters say so when asked.
      markReady();
      return report;
    },
    (err: unknown) => {
      if (isReady) onFailure(err);
      else failReady(err);
      return null;
    },
  );
  // `ready` may be rejected with nobody left to listen (serve already gave up); that is not a crash.
  ready.catch(() => undefined);
  return {
    ready,
    done,
    async stop() {
      controller.abort();
      await done;
    },
  };
}
