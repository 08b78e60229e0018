/**
 * Per-key rate limit as a token bucket: a client may burst up to a minute's allowance, then is held to the
 * steady rate. In memory, per process: a scale-out deployment limits at its load balancer instead.
 */
export interface RateDecision {
  allowed: boolean;
  /** Seconds until one more request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
  remaining: number;
}

export interface RateLimiter {
  /** Takes `count` requests (default 1) from the bucket: all of them, or none when fewer are left. */
  take(bucket: string, count?: number): RateDecision;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const MAX_BUCKETS = 10_000;

export function createRateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const perMs = perMinute / 60_000;
  return {
    take(name, count = 1) {
      if (count <= 0) return { allowed: true, retryAfterSeconds: 0, remaining: Number.POSITIVE_INFINITY };
      if (perMinute <= 0) return { allowed: true, retryAfterSeconds: 0, remaining: Number.POSITIVE_INFINITY };
      const t = now();
      let b = buckets.get(name);
      if (!b) {
        // Full buckets carry no information, so forgetting them when the map grows is harmless.
        if (buckets.size >= MAX_BUCKETS) {
          for (const [k, v] of buckets)
            if (v.tokens + (t - v.updatedAt) * perMs >= perMinute) buckets.delete(k);
        }
        b = { tokens: perMinute, updatedAt: t };
        buckets.set(name, b);
      }
      b.tokens = Math.min(perMinute, b.tokens + (t - b.updatedAt) * perMs);
      b.updatedAt = t;
      if (b.tokens >= count) {
        b.tokens -= count;
        return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(b.tokens) };
      }
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((Math.min(count, perMinute) - b.tokens) / perMs / 1000)),
        remaining: 0,
      };
    },
  };
}
