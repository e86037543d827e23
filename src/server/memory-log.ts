/**
 * The in-memory RunLog, the kit's default: one process, nothing to install. Every operation
 * runs to completion synchronously inside its call (the promises it returns are already
 * settled), so a tail or a long-poll hears of an event in the same turn it was appended.
 */
import type { UserReplyCommand } from '../protocol/index.ts';
import { Checkpointer, checkMaxEvents } from './checkpoint.ts';
import { RunCommandError, RunKitError } from './errors.ts';
import type {
  AppendBatch,
  AppendResult,
  CommandOutcome,
  CreateLogOptions,
  LogTail,
  ProducerCommand,
  ProducerLease,
  RunCheckpoint,
  RunInfo,
  RunLog,
} from './log.ts';
import { StoredEvent, type EventBody } from './stored-event.ts';

/** Options of `MemoryRunLog`. */
export interface MemoryRunLogOptions {
  /** Finished runs kept before the oldest are forgotten (default 10,000). */
  maxFinishedRuns?: number;
  /** Forget a finished run this long after it finished, ms (default: never; `maxFinishedRuns` still applies). */
  finishedTtlMs?: number;
  /**
   * Events kept per run (default: all). Past it, a checkpoint (the reducer's state) is taken and
   * the oldest events are dropped: between `maxEvents` and `1.5 × maxEvents` stay. Reading after a
   * dropped seq is refused with `events_trimmed`; snapshots still answer the whole run.
   */
  maxEvents?: number;
}

/** Finished runs a MemoryRunLog keeps by default. */
export const DEFAULT_MAX_FINISHED_RUNS = 10_000;

type TokenState = 'open' | 'answered' | 'expired';

function trimmedError(runId: string, after: number, trimmedThrough: number): RunKitError {
  return new RunKitError(
    'events_trimmed',
    `events of run ${runId} after ${after} are no longer kept (kept from ${trimmedThrough + 1}): fetch the snapshot`,
  );
}

class MemoryRun {
  /** The events kept: `events[i]` has seq `base + i + 1`. */
  events: StoredEvent[] = [];
  /** Seq of the last event trimmed (0: none). */
  base = 0;
  checkpointer: Checkpointer | undefined;
  checkpoint: RunCheckpoint | undefined;
  readonly tokens = new Map<string, TokenState>();
  readonly waiters = new Set<() => void>();
  finished = false;
  finishedAt = 0;
  tails = 0;
  lastBatch = 0;
  lastBatchResult: AppendResult | undefined;
  owner: ((command: ProducerCommand) => void) | undefined;

  constructor(
    readonly runId: string,
    readonly threadId: string | undefined,
    readonly createdAt: number,
    readonly clientKey: string | undefined,
  ) {}

  info(): RunInfo {
    return {
      runId: this.runId,
      lastSeq: this.lastSeq,
      finished: this.finished,
      threadId: this.threadId,
      createdAt: this.createdAt,
      trimmedThrough: this.base,
    };
  }

  get lastSeq(): number {
    return this.base + this.events.length;
  }

  notify(): void {
    if (this.waiters.size === 0) return;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }
}

class MemoryTail implements LogTail {
  private position: number;
  private closed = false;
  private waiter: (() => void) | undefined;

  constructor(
    private readonly log: MemoryRunLog,
    private readonly run: MemoryRun,
    after: number,
  ) {
    this.position = Math.max(0, after);
    run.tails++;
  }

  get cursor(): number {
    return this.position;
  }

  get finished(): boolean {
    return this.run.finished && this.position >= this.run.lastSeq;
  }

  get error(): Error | undefined {
    if (this.closed || this.log.isClosed) return new RunKitError('closed', 'the run log was closed');
    if (this.position < this.run.base) return trimmedError(this.run.runId, this.position, this.run.base);
    return undefined;
  }

  peek(max: number): readonly StoredEvent[] {
    const run = this.run;
    if (this.closed || this.position >= run.lastSeq || this.position < run.base) return [];
    return run.events.slice(this.position - run.base, this.position - run.base + max);
  }

  seek(seq: number): void {
    this.position = Math.max(0, seq);
  }

  onReady(listener: () => void): void {
    if (this.closed) return;
    if (this.position < this.run.lastSeq || this.finished || this.error) {
      queueMicrotask(listener);
      return;
    }
    if (this.waiter) this.run.waiters.delete(this.waiter);
    const waiter = (): void => {
      if (this.waiter === waiter) this.waiter = undefined;
      if (!this.closed) listener();
    };
    this.waiter = waiter;
    this.run.waiters.add(waiter);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.waiter) this.run.waiters.delete(this.waiter);
    this.waiter = undefined;
    this.run.tails--;
  }
}

const OK: CommandOutcome = { ok: true };

function refuse(code: RunCommandError['code'], message: string): CommandOutcome {
  return { ok: false, error: new RunCommandError(code, message) };
}

/** A RunLog in this process's memory. */
export class MemoryRunLog implements RunLog {
  private readonly runs = new Map<string, MemoryRun>();
  private readonly activeByClient = new Map<string, Set<string>>();
  /** Run ids per thread, in creation order (ids of evicted runs are dropped when read). */
  private readonly threads = new Map<string, string[]>();
  private readonly maxFinished: number;
  private readonly finishedTtlMs: number | undefined;
  private readonly maxEvents: number | undefined;
  private finishedCount = 0;
  private closed = false;

  constructor(options: MemoryRunLogOptions = {}) {
    this.maxFinished = options.maxFinishedRuns ?? DEFAULT_MAX_FINISHED_RUNS;
    this.finishedTtlMs = options.finishedTtlMs;
    this.maxEvents = options.maxEvents;
    checkMaxEvents(this.maxEvents);
    if (!Number.isSafeInteger(this.maxFinished) || this.maxFinished < 0)
      throw new RunKitError('invalid_option', 'maxFinishedRuns must be a non-negative integer');
  }

  /** True once `close()` was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Number of runs kept. */
  get size(): number {
    return this.runs.size;
  }

  create(runId: string, options: CreateLogOptions = {}): Promise<RunInfo> {
    this.checkOpen();
    if (this.runs.has(runId)) return Promise.reject(new RunKitError('run_exists', `a run with id ${runId} exists`));
    const client = options.client;
    if (client) {
      const active = this.activeByClient.get(client.key);
      if (active && active.size >= client.limit)
        return Promise.reject(
          new RunKitError(
            'too_many_runs',
            `this client already has ${active.size} active runs (limit ${client.limit})`,
          ),
        );
      if (active) active.add(runId);
      else this.activeByClient.set(client.key, new Set([runId]));
    }
    const run = new MemoryRun(runId, options.threadId, Date.now(), client?.key);
    if (this.maxEvents !== undefined) run.checkpointer = new Checkpointer(runId, this.maxEvents);
    this.runs.set(runId, run);
    if (options.threadId !== undefined) {
      const list = this.threads.get(options.threadId);
      if (list) list.push(runId);
      else this.threads.set(options.threadId, [runId]);
    }
    return Promise.resolve(run.info());
  }

  info(runId: string): Promise<RunInfo | undefined> {
    this.checkOpen();
    return Promise.resolve(this.runs.get(runId)?.info());
  }

  threadRuns(threadId: string): Promise<RunInfo[]> {
    this.checkOpen();
    const ids = this.threads.get(threadId) ?? [];
    const kept = ids.filter((id) => this.runs.get(id)?.threadId === threadId);
    if (kept.length === 0) this.threads.delete(threadId);
    else if (kept.length !== ids.length) this.threads.set(threadId, kept);
    return Promise.resolve(kept.map((id) => this.runs.get(id)!.info()));
  }

  append(runId: string, batch: AppendBatch): Promise<AppendResult> {
    this.checkOpen();
    const run = this.runs.get(runId);
    if (!run) return Promise.resolve({ ok: false, reason: 'run_not_found' });
    if (batch.batch !== undefined && batch.batch <= run.lastBatch && run.lastBatchResult)
      return Promise.resolve(run.lastBatchResult);
    const result = this.appendEvents(run, batch.events, batch.opens);
    if (batch.batch !== undefined) {
      run.lastBatch = batch.batch;
      run.lastBatchResult = result;
    }
    return Promise.resolve(result);
  }

  read(runId: string, after: number, limit: number): Promise<StoredEvent[]> {
    this.checkOpen();
    const run = this.runs.get(runId);
    if (!run) return Promise.resolve([]);
    const start = Math.max(0, after);
    if (start < run.base) return Promise.reject(trimmedError(runId, start, run.base));
    return Promise.resolve(run.events.slice(start - run.base, start - run.base + Math.max(0, limit)));
  }

  checkpoint(runId: string): Promise<RunCheckpoint | undefined> {
    this.checkOpen();
    return Promise.resolve(this.runs.get(runId)?.checkpoint);
  }

  tail(runId: string, after: number): LogTail {
    const run = this.runs.get(runId) ?? new MemoryRun(runId, undefined, 0, undefined);
    return new MemoryTail(this, run, after);
  }

  answer(runId: string, reply: UserReplyCommand): Promise<CommandOutcome> {
    this.checkOpen();
    const run = this.runs.get(runId);
    if (!run) return Promise.reject(new RunKitError('run_not_found', `no run with id ${runId}`));
    const state = run.tokens.get(reply.resume_token);
    if (state === 'answered')
      return Promise.resolve(refuse('stale_resume_token', 'this resume_token was already answered'));
    if (state === 'expired') return Promise.resolve(refuse('stale_resume_token', 'this resume_token has expired'));
    if (run.finished) return Promise.resolve(refuse('run_finished', `run ${runId} has already finished`));
    if (state !== 'open')
      return Promise.resolve(refuse('stale_resume_token', 'no pending request has this resume_token'));
    run.tokens.set(reply.resume_token, 'answered');
    this.appendEvents(run, [{ type: 'input_accepted', resume_token: reply.resume_token }]);
    run.owner?.({ type: 'reply', reply });
    return Promise.resolve(OK);
  }

  cancel(runId: string): Promise<CommandOutcome> {
    this.checkOpen();
    const run = this.runs.get(runId);
    if (!run) return Promise.reject(new RunKitError('run_not_found', `no run with id ${runId}`));
    if (run.finished) return Promise.resolve(refuse('run_finished', `run ${runId} has already finished`));
    for (const [token, state] of run.tokens) if (state === 'open') run.tokens.set(token, 'expired');
    const owner = run.owner;
    this.appendEvents(run, [
      { type: 'status', state: 'cancelled' },
      { type: 'done', state: 'cancelled', finish_reason: 'cancelled' },
    ]);
    owner?.({ type: 'cancel' });
    return Promise.resolve(OK);
  }

  expire(runId: string, resumeToken: string, events: readonly EventBody[]): Promise<boolean> {
    this.checkOpen();
    const run = this.runs.get(runId);
    if (!run || run.finished || run.tokens.get(resumeToken) !== 'open') return Promise.resolve(false);
    run.tokens.set(resumeToken, 'expired');
    this.appendEvents(run, events);
    return Promise.resolve(true);
  }

  own(runId: string, onCommand: (command: ProducerCommand) => void): ProducerLease {
    const run = this.runs.get(runId);
    if (run) run.owner = onCommand;
    return {
      release: () => {
        if (run?.owner === onCommand) run.owner = undefined;
      },
    };
  }

  followerCount(runId: string): number {
    const run = this.runs.get(runId);
    return run ? run.tails : 0;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    for (const run of this.runs.values()) run.notify();
    return Promise.resolve();
  }

  private checkOpen(): void {
    if (this.closed) throw new RunKitError('closed', 'the run log was closed');
  }

  private appendEvents(run: MemoryRun, events: readonly EventBody[], opens?: readonly string[]): AppendResult {
    if (run.finished) return { ok: false, reason: 'run_finished' };
    const firstSeq = run.lastSeq + 1;
    if (opens) for (const token of opens) if (!run.tokens.has(token)) run.tokens.set(token, 'open');
    for (const body of events) {
      run.events.push(StoredEvent.fromBody(run.runId, run.lastSeq + 1, body));
      if (body.type === 'done') {
        this.finish(run);
        break;
      }
    }
    if (run.checkpointer) this.trim(run, run.checkpointer, run.events.length - (run.lastSeq - firstSeq + 1));
    run.notify();
    return { ok: true, firstSeq, lastSeq: run.lastSeq, finished: run.finished };
  }

  /** Fold the events appended from index `from` into the run's state; take a checkpoint and drop the oldest events when due. */
  private trim(run: MemoryRun, checkpointer: Checkpointer, from: number): void {
    checkpointer.fold(from === 0 ? run.events : run.events.slice(from));
    if (!checkpointer.due) return;
    run.checkpoint = checkpointer.take();
    checkpointer.written = run.checkpoint.seq;
    const through = checkpointer.trimThrough;
    if (through <= run.base) return;
    // Tails behind `through` see `events_trimmed` (their error) on their next look.
    run.events = run.events.slice(through - run.base);
    run.base = through;
  }

  private finish(run: MemoryRun): void {
    run.finished = true;
    run.finishedAt = Date.now();
    run.owner = undefined;
    if (run.clientKey !== undefined) {
      const active = this.activeByClient.get(run.clientKey);
      active?.delete(run.runId);
      if (active?.size === 0) this.activeByClient.delete(run.clientKey);
    }
    this.finishedCount++;
    this.evict();
  }

  private evict(): void {
    const now = Date.now();
    if (this.finishedCount <= this.maxFinished && this.finishedTtlMs === undefined) return;
    for (const [id, run] of this.runs) {
      if (!run.finished) continue;
      const stale = this.finishedTtlMs !== undefined && now - run.finishedAt >= this.finishedTtlMs;
      if (this.finishedCount <= this.maxFinished && !stale) {
        if (this.finishedTtlMs === undefined) return;
        continue;
      }
      this.runs.delete(id);
      this.finishedCount--;
    }
  }
}
