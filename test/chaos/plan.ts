/**
 * Seeded chaos plans: what one chaos run does — transport, scenario, pace, and the faults it asks
 * the mock server for — as a pure function of a 32-bit seed and a transport, so a failing run can
 * be replayed exactly from the seed it prints.
 */
import { Random } from '../../mock-server/random.ts';
import type { TransportName } from '../../src/transports/types.ts';

/** The transports a chaos batch cycles through. */
export const CHAOS_TRANSPORTS: readonly TransportName[] = ['poll', 'sse', 'websocket', 'hybrid', 'auto'];

/** Scenarios chaos plays (the `long` one is left out: it is a benchmark, not a fault target). */
export const CHAOS_SCENARIOS = ['quick', 'agent', 'approvals', 'unknown-events', 'failing'] as const;
/** A scenario chaos plays. */
export type ChaosScenario = (typeof CHAOS_SCENARIOS)[number];

/** Faults a plan can ask for; all but `drop-all` are mock-server switches (`drop-all` cuts every connection of the server). */
export const PLANNED_FAULTS = [
  'cut',
  'duplicate',
  'reorder',
  'gap',
  'delay',
  '503',
  'buffer',
  'malformed',
  'kill',
  'drop-all',
] as const;
/** A fault a plan asks for. */
export type PlannedFault = (typeof PLANNED_FAULTS)[number];

/** One chaos run, fully determined by `seed` and `transport`. */
export interface ChaosPlan {
  readonly seed: number;
  readonly transport: TransportName;
  readonly scenario: ChaosScenario;
  /** Mock-server speed (0 = as fast as possible, so faults hit the replay). */
  readonly speed: number;
  /** Scenario seed (events, tokens and resume tokens). */
  readonly scenarioSeed: number;
  /** The `fault_*` query parameters every connection of the run carries. */
  readonly query: Readonly<Record<string, string>>;
  /** The faults asked for. */
  readonly faults: readonly PlannedFault[];
  /** When the client has applied this seq, every connection of the server is cut at once (null: never). */
  readonly dropAllAt: number | null;
  /** Milliseconds before answering each question (replies go out while faults fire). */
  readonly replyDelayMs: number;
}

/** Transports that read an SSE stream at some point (buffering only affects those). */
const SSE_READERS: readonly TransportName[] = ['sse', 'hybrid', 'auto'];

/** The plan of one run. */
export function chaosPlan(seed: number, transport: TransportName): ChaosPlan {
  const rng = new Random(seed);
  const scenario = rng.pick(CHAOS_SCENARIOS);
  const speed = rng.next() < 0.3 ? 0 : rng.int(8, 30);
  const faults: PlannedFault[] = [];
  const query: Record<string, string> = {};
  const chance = (p: number): boolean => rng.next() < p;

  if (chance(0.5)) {
    faults.push('cut');
    query['fault_close_after'] = String(rng.int(1, 12));
  }
  if (chance(0.35)) {
    faults.push('duplicate');
    query['fault_duplicate'] = String(rng.int(1, 6));
  }
  if (chance(0.35)) {
    faults.push('reorder');
    query['fault_reorder'] = String(rng.int(2, 5));
  }
  if (chance(0.3)) {
    faults.push('gap');
    query['fault_gap'] = String(rng.int(0, 10));
  }
  if (chance(0.3)) {
    faults.push('delay');
    query['fault_delay'] = String(rng.int(5, 40));
    query['fault_burst'] = String(rng.int(1, 8));
  }
  if (chance(0.3)) {
    faults.push('503');
    query['fault_503'] = String(rng.next() < 0.7 ? 2 : 1);
  }
  const buffered = SSE_READERS.includes(transport) && chance(0.15);
  if (buffered) {
    faults.push('buffer');
    query['fault_buffer'] = '1';
  }
  if (chance(0.15)) {
    faults.push('malformed');
    query['fault_malformed'] = String(rng.int(0, 8));
  }
  if (chance(0.2)) {
    faults.push('kill');
    query['fault_kill_at'] = String(rng.int(2, 24));
  }
  const dropAllAt = chance(0.05) ? rng.int(1, 20) : null;
  if (dropAllAt !== null) faults.push('drop-all');
  // A buffered stream costs a heartbeat timeout per connection: never more than one.
  const times = buffered ? 1 : rng.int(1, 3);
  if (times > 1 && Object.keys(query).length > 0) query['fault_times'] = String(times);
  return {
    seed,
    transport,
    scenario,
    speed,
    scenarioSeed: rng.int(1, 1_000_000),
    query,
    faults,
    dropAllAt,
    replyDelayMs: rng.int(0, 30),
  };
}

/** The seed of run `index` of a batch seeded with `batchSeed`. */
export function runSeed(batchSeed: number, index: number): number {
  return Random.derive(batchSeed, index + 1).int(0, 0xffff_ffff) >>> 0;
}

/** The transport of run `index` when the batch is not restricted to one: an even share each. */
export function batchTransport(index: number, only?: TransportName): TransportName {
  return only ?? CHAOS_TRANSPORTS[index % CHAOS_TRANSPORTS.length]!;
}

/** `0x…` form of a run seed, as printed and as `--replay` takes it. */
export function formatSeed(seed: number): string {
  return `0x${(seed >>> 0).toString(16).padStart(8, '0')}`;
}
