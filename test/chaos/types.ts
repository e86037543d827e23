/** What a chaos run in the page reports back to the runner. */
import type { ChaosPlan } from './plan.ts';

/** One `reply()` the page made, and how it settled. */
export interface ReplyAttempt {
  readonly token: string;
  /** `accepted` when the promise resolved; otherwise the TransportError code it rejected with. */
  readonly outcome: 'accepted' | 'rejected' | 'not_delivered' | 'other';
  /** The store's reply status right after it settled. */
  readonly status: string | null;
}

/** The page's account of one run. */
export interface ChaosRunResult {
  readonly plan: ChaosPlan;
  readonly baseUrl: string;
  /** Empty when created through the API failed. */
  readonly runId: string;
  /** Every invariant that did not hold, in words. */
  readonly failures: string[];
  readonly durationMs: number;
  /** Events of the run on the server. */
  readonly events: number;
  /** Token events of the run on the server. */
  readonly tokens: number;
  /** Server tokens neither applied from an event nor covered by an applied snapshot. */
  readonly lost: number;
  /** Token seqs applied more than once (or applied and also covered by a snapshot). */
  readonly duplicated: number;
  /** Log entries compared with the server's. */
  readonly logEntries: number;
  /** The store's counters. */
  readonly stats: { applied: number; duplicates: number; gaps: number; clientErrors: number };
  /** Snapshots the store was rebuilt from. */
  readonly snapshots: number;
  /** Times the connection went to `reconnecting`. */
  readonly reconnects: number;
  /** The transport the connection ended on (auto: the candidate that won). */
  readonly transportUsed: string | null;
  readonly replies: ReplyAttempt[];
  /** Questions the run asked (need_input events on the server). */
  readonly questions: string[];
  /** True when this run's plan cut every connection of the server. */
  readonly droppedAll: boolean;
}
