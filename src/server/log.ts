/**
 * The RunLog: where a run's events live, in seq order, and the one place that decides what a
 * command does to a run. Two implementations: MemoryRunLog (one process) and RedisRunLog
 * (agentwire/server/redis: any number of instances on one Redis). Every operation that changes a
 * run is atomic, so "the first accepted answer wins" and "nothing after done" hold across
 * instances.
 */
import type { RunSnapshot, UserReplyCommand } from '../protocol/index.ts';
import type { RunCommandError } from './errors.ts';
import type { EventBody, StoredEvent } from './stored-event.ts';

/** What is known about a run without reading its events. */
export interface RunInfo {
  readonly runId: string;
  /** Seq of the last event (0 before any). */
  readonly lastSeq: number;
  /** True once a `done` event was appended: nothing more will come. */
  readonly finished: boolean;
  /** The conversation the run belongs to, when its creator said. */
  readonly threadId: string | undefined;
  /** When the run was created, ms since the epoch. */
  readonly createdAt: number;
  /**
   * Seq of the last event no longer kept (0 while nothing was trimmed): reading after a seq below
   * it is refused with `events_trimmed`; the run's checkpoint covers what was trimmed.
   */
  readonly trimmedThrough: number;
}

/** The shared reducer's state of a run at one seq, kept with the run so that trimmed events are not needed to rebuild it. */
export interface RunCheckpoint {
  /** The seq the snapshot is taken at (its `last_seq`). */
  readonly seq: number;
  /** `toSnapshot(reduce(events 1..seq))`. */
  readonly snapshot: RunSnapshot;
}

/** Options of `RunLog.create`. */
export interface CreateLogOptions {
  readonly threadId?: string | undefined;
  /** Count the run against this client's active runs, refusing it (`too_many_runs`) over `limit`. */
  readonly client?: { readonly key: string; readonly limit: number } | undefined;
}

/** Events to append, in order, atomically. */
export interface AppendBatch {
  readonly events: readonly EventBody[];
  /** Resume tokens this batch opens (its `need_input` events): answerable from the moment the batch is visible. */
  readonly opens?: readonly string[];
  /**
   * The producer's own counter of batches (1, 2, …). A batch whose number is not above the last
   * applied one is not applied again: a retried append after a lost reply never duplicates.
   */
  readonly batch?: number;
}

/** What an append did: the seqs it got, or nothing because the run had already ended. */
export type AppendResult =
  | { readonly ok: true; readonly firstSeq: number; readonly lastSeq: number; readonly finished: boolean }
  | { readonly ok: false; readonly reason: 'run_finished' | 'run_not_found' };

/** Outcome of a command on a run (reply, cancel). */
export type CommandOutcome = { readonly ok: true } | { readonly ok: false; readonly error: RunCommandError };

/** A command for the run's producer, delivered to the instance that produces it. */
export type ProducerCommand =
  | { readonly type: 'reply'; readonly reply: UserReplyCommand }
  | { readonly type: 'cancel' }
  /** The run ended without the producer (lease lost, another instance failed it): stop. */
  | { readonly type: 'ended'; readonly reason: 'producer_lost' | 'run_ended' };

/** The producer side of a run on this instance: commands arrive, the lease is renewed. */
export interface ProducerLease {
  /** Stop receiving commands and renewing the lease (the run finished, or the producer is gone). */
  release(): void;
}

/** A cursor that follows a run live. */
export interface LogTail {
  /** Seq of the last record taken (the resume cursor). */
  readonly cursor: number;
  /** Records after the cursor available right now (at most `max`); empty when none are buffered yet. */
  peek(max: number): readonly StoredEvent[];
  /** Move the cursor to `seq` (forward past what was consumed, or back to send again). */
  seek(seq: number): void;
  /** True when the run ended and the cursor is at its last event. */
  readonly finished: boolean;
  /** Set when the log failed (e.g. Redis went away): the connection should end so the client retries. */
  readonly error: Error | undefined;
  /** Call `listener` once, as soon as `peek` may return more, `finished` or `error` changed (at once if already so). */
  onReady(listener: () => void): void;
  /** Stop following. */
  close(): void;
}

/** A run's events and commands. */
export interface RunLog {
  /** Make a new, empty run. Rejects with RunKitError `run_exists` or `too_many_runs`. */
  create(runId: string, options?: CreateLogOptions): Promise<RunInfo>;
  /** The run's header, or undefined when there is no such run. */
  info(runId: string): Promise<RunInfo | undefined>;
  /** The runs of a conversation still kept, in creation order (empty for an unknown thread). */
  threadRuns(threadId: string): Promise<RunInfo[]>;
  /** Append events in order, atomically; nothing is appended after a `done`. */
  append(runId: string, batch: AppendBatch): Promise<AppendResult>;
  /**
   * Up to `limit` records after `after`, in seq order (empty past the end). Rejects with
   * RunKitError `events_trimmed` when the event after `after` is no longer kept.
   */
  read(runId: string, after: number, limit: number): Promise<StoredEvent[]>;
  /** The run's latest checkpoint (undefined while none was taken: nothing was trimmed). */
  checkpoint(runId: string): Promise<RunCheckpoint | undefined>;
  /** Follow the run from `after`: catch up, then live (the tail's `error` is `events_trimmed` when its cursor falls behind a trim). */
  tail(runId: string, after: number): LogTail;
  /**
   * Answer an open request: if `reply.resume_token` is open, mark it answered, append
   * `input_accepted` and deliver the reply to the producer, all at once; otherwise refuse
   * (already answered or expired → `stale_resume_token`, run ended → `run_finished`).
   */
  answer(runId: string, reply: UserReplyCommand): Promise<CommandOutcome>;
  /** Cancel: expire the open requests, append `status cancelled` + `done cancelled`, tell the producer. */
  cancel(runId: string): Promise<CommandOutcome>;
  /** Close an open request unanswered, appending `events` (e.g. `error input_expired`); false when it was no longer open. */
  expire(runId: string, resumeToken: string, events: readonly EventBody[]): Promise<boolean>;
  /** Take the producer's side of a run on this instance: its commands go to `onCommand` until released. */
  own(runId: string, onCommand: (command: ProducerCommand) => void): ProducerLease;
  /** Number of tails and waiters following the run on this instance (0 once nothing follows it). */
  followerCount(runId: string): number;
  /** Stop background work and close connections; pending tails end with an error. */
  close(): Promise<void>;
}
