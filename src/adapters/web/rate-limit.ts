/**
 * A per-address request limit for the public page: a token bucket per
 * client address, refilled continuously, so a burst of a few pages is fine
 * and a scraper gets `429` with `Retry-After`. Memory stays bounded: past
 * `maxAddresses`, the least recently seen address is forgotten (it starts
 * again with a full bucket, which only errs on the generous side).
 */

export interface RateLimiter {
  /** 0 when the request may go ahead, else the whole seconds to wait before the next one will. */
  take(address: string): number;
}

export function createRateLimiter(perMinute: number, now: () => number = Date.now, maxAddresses = 10_000): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  return {
    take(address) {
      const t = now();
      const b = buckets.get(address) ?? { tokens: perMinute, at: t };
      b.tokens = Math.min(perMinute, b.tokens + (t - b.at) * perMs);
      b.at = t;
      buckets.delete(address); // re-inserted below: the Map stays in least-recently-used order
      if (b.tokens < 1) {
        buckets.set(address, b);
        return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
      }
      b.tokens -= 1;
      buckets.set(address, b);
      if (buckets.size > maxAddresses) buckets.delete(buckets.keys().next().value as string);
      return 0;
    },
  };
}
