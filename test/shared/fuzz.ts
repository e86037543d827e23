/**
 * fast-check settings shared by the fuzz tests: a fixed seed and run count so CI time is bounded
 * and every run is the same. `FUZZ_SEED` / `FUZZ_RUNS` override them for a deeper search on demand
 * (fast-check prints the seed and path of any counterexample, so a failure can be replayed).
 */
import type { Parameters } from 'fast-check';

/** The seed every property uses unless `FUZZ_SEED` says otherwise. */
export const FUZZ_SEED = 0x5eed_a11;

function envInt(name: string): number | undefined {
  const raw = typeof process === 'undefined' ? undefined : process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Parameters of one property: fixed seed, `numRuns` (scaled by `FUZZ_RUNS` / 100 when set). */
export function fuzzParams<T>(numRuns: number): Parameters<T> {
  const runs = envInt('FUZZ_RUNS');
  return {
    seed: envInt('FUZZ_SEED') ?? FUZZ_SEED,
    numRuns: runs === undefined ? numRuns : Math.max(1, Math.round((numRuns * runs) / 100)),
  };
}
