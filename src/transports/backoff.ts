/**
 * Reconnect delays: capped exponential backoff with full jitter (AWS Architecture Blog,
 * "Exponential Backoff And Jitter"), so clients cut off together do not come back together.
 */
import type { RetryPolicy } from './types.ts';

/** The default policy: 0.5 s doubling up to 30 s, retrying forever. */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = /* @__PURE__ */ Object.freeze({
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  maxAttempts: Number.POSITIVE_INFINITY,
});

/** A full policy from partial overrides. */
export function resolveRetry(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...DEFAULT_RETRY, ...overrides };
}

/**
 * Delay before retry number `attempt` (1-based): uniform in [0, min(max, initial × factor^(attempt−1))).
 * `base` replaces the initial delay (e.g. an SSE `retry:` field); `atLeast` is a server's Retry-After,
 * honoured up to the cap.
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  { base, atLeast }: { base?: number | undefined; atLeast?: number | undefined } = {},
): number {
  const initial = base ?? policy.initialDelayMs;
  const ceiling = Math.min(policy.maxDelayMs, initial * policy.factor ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, Math.min(atLeast ?? 0, policy.maxDelayMs));
}
