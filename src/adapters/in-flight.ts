/**
 * Tracks the commands and interactions being answered (Slack and Discord), so
 * stopping can refuse new ones and wait for those already acknowledged: an
 * acked command whose answer never arrives looks like a broken bot.
 */

export interface InFlight {
  /** False once `close()` was called: handlers then decline new work. */
  readonly open: boolean;
  /** Runs `work`, counting it until it settles. Never rejects (failures are the handler's to log). */
  track(work: () => Promise<void>): Promise<void>;
  /** Stops accepting and resolves when everything tracked has settled. */
  close(): Promise<void>;
}

export function createInFlight(): InFlight {
  const running = new Set<Promise<void>>();
  let open = true;
  return {
    get open() {
      return open;
    },
    track(work) {
      const p = work()
        .catch(() => undefined)
        .finally(() => running.delete(p));
      running.add(p);
      return p;
    },
    async close() {
      open = false;
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
