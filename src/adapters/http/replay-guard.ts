/**
 * Remembers the signatures of requests accepted within the platforms'
 * five-minute window, so the same signed body sent again (captured and
 * replayed) is refused instead of answered twice. Per process: several
 * processes behind one load balancer each remember their own.
 */

export interface ReplayGuard {
  /** True when `signature` was already accepted within the window; otherwise remembers it and returns false. */
  replayed(signature: string, timestampSeconds: number, nowSeconds: number): boolean;
}

export function createReplayGuard(windowSeconds: number, maxRemembered = 50_000): ReplayGuard {
  // Signature → when it stops being valid (seconds); insertion order is roughly expiry order.
  const seen = new Map<string, number>();
  return {
    replayed(signature, timestampSeconds, nowSeconds) {
      for (const [old, until] of seen) {
        if (until > nowSeconds && seen.size < maxRemembered) break;
        seen.delete(old);
      }
      if (seen.has(signature)) return true;
      seen.set(signature, timestampSeconds + windowSeconds);
      return false;
    },
  };
}
