/**
 * Counts refused requests (bad signatures, stale or future timestamps,
 * replays) instead of logging each one: an attacker sending ten thousand
 * forged requests should cost one line a minute, not ten thousand. The first
 * refusal is logged at once; later ones are summed by reason and logged
 * when a minute has passed since the last line (on the next refusal), and
 * by `flush()` on shutdown. No timer: the injected clock decides.
 */
import type { Logger } from '../../logger.js';

export interface RefusalLog {
  /** Counts one refusal for `reason` ("bad signature", "replayed"…). */
  count(reason: string): void;
  /** Logs what was counted since the last line, if anything. */
  flush(): void;
}

export const REFUSAL_SUMMARY_MS = 60_000;

export function createRefusalLog(what: string, log: Logger, now: () => number = Date.now): RefusalLog {
  const counts = new Map<string, number>();
  let lastLine = Number.NEGATIVE_INFINITY;
  const flush = () => {
    if (counts.size === 0) return;
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).join(', ');
    log.warn(`${what}: refused ${total} request${total === 1 ? '' : 's'} (${parts})`);
    counts.clear();
    lastLine = now();
  };
  return {
    count(reason) {
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
      if (now() - lastLine >= REFUSAL_SUMMARY_MS) flush();
    },
    flush,
  };
}
