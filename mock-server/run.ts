/**
 * The run engine: plays a scenario script on its own clock, independent of any connection.
 * Every event is kept (seq from 1, gapless) for replay; the snapshot comes from the shared
 * reducer in src/store, so client and server agree by construction. The reducer runs lazily
 * (only when a snapshot or a state is asked for), which keeps streaming cheap.
 */
import { performance } from 'node:perf_hooks';
import type { RunSnapshot, RunState, SequencedEvent } from '../src/protocol/index.ts';
import { initialState, reduce, toSnapshot, type RunStoreState } from '../src/store/index.ts';
import { RunCommandError } from './errors.ts';
import type { FaultKind } from './faults.ts';
import { MAX_REPLY_RECORDS, MIN_TIMER_MS, RUN_BATCH_SIZE } from './limits.ts';
import { Random } from './random.ts';
import type { AskOutcome, AskRequest, EventBody, Script } from './script.ts';
import { StoredEvent } from './stored-event.ts';

/** Settings of one run. */
export interface RunOptions {
  readonly id: string;
  readonly scenario: string;
  readonly script: Script;
  /** Timing multiplier: 2 = twice as fast, 0 = as fast as possible (still yielding to the event loop). */
  readonly speed: number;
  /** Seed of the resume tokens (the script has its own seeded randomness). */
  readonly seed: number;
  /** A need_input expires this long after it was asked (wall-clock, not scaled by speed). */
  readonly approvalTimeoutMs?: number | undefined;
}

/** Outcome of a command on a run. */
export type CommandOutcome = { ok: true } | { ok: false; error: RunCommandError };

/** One `user_reply` the run received (over any channel), and what became of it. */
export interface ReplyRecord {
  readonly resumeToken: string;
  readonly text: string;
  /** True when this reply answered the pending request. */
  readonly accepted: boolean;
  /** Why it was refused, when it was. */
  readonly refusal: RunCommandError['code'] | undefined;
}

/** Called after each new event, and once more when the run stops. */
export type RunListener = () => void;

interface PendingInput {
  token: string;
  timer: NodeJS.Timeout | undefined;
}

const ACCEPTED: CommandOutcome = { ok: true };

/** One playing (or finished) run. */
export class Run {
  /** The run's id. */
  readonly id: string;
  /** The scenario it plays. */
  readonly scenario: string;
  /** Every event so far, in seq order: `events[seq - 1]`. */
  readonly events: StoredEvent[] = [];
  /** Per-run counters of fault-carrying connections (see faults.ts). */
  readonly faultUses = new Map<string, number>();
  /** How many times each kind of fault fired on this run's connections. */
  readonly faultCounts = new Map<FaultKind, number>();
  /** Seqs at which a `fault_kill_at` is armed. */
  readonly killsArmed = new Set<number>();
  /** The replies received, in order (the first MAX_REPLY_RECORDS): the server-side record that no answer arrived twice. */
  readonly replies: ReplyRecord[] = [];
  /** Every reply received, counted (also past MAX_REPLY_RECORDS). */
  repliesReceived = 0;

  private readonly script: Script;
  private readonly speed: number;
  private readonly tokenRng: Random;
  private readonly approvalTimeoutMs: number | undefined;
  private readonly listeners = new Set<RunListener>();
  private readonly usedTokens = new Set<string>();
  private readonly expiredTokens = new Set<string>();
  private store: RunStoreState;
  private reduced = 0;
  private pending: PendingInput | null = null;
  private timeout: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private due = 0;
  private advancing = false;
  private ended = false;
  private stopped = false;

  constructor(options: RunOptions) {
    this.id = options.id;
    this.scenario = options.scenario;
    this.script = options.script;
    this.speed = options.speed;
    this.approvalTimeoutMs = options.approvalTimeoutMs;
    this.tokenRng = Random.derive(options.seed, 0x70c3e5);
    this.store = initialState(options.id);
  }

  /** Start playing on the next turn of the event loop. */
  start(): void {
    this.due = performance.now();
    this.schedule(0);
  }

  /** Seq of the last event (0 before any). */
  get lastSeq(): number {
    return this.events.length;
  }

  /** True once the terminal `done` event was emitted (nothing more will come). */
  get finished(): boolean {
    return this.ended;
  }

  /** True when nothing more will come: finished, or stopped by a shutdown. */
  get closed(): boolean {
    return this.ended || this.stopped;
  }

  /** The run's lifecycle state, as the shared reducer sees it. */
  get state(): RunState {
    return statusOf(this.catchUp());
  }

  /** The run's state right after event `seq`, as the shared reducer sees it. */
  stateAfter(seq: number): RunState {
    this.catchUp();
    return this.events[seq - 1]?.reducedState ?? this.state;
  }

  /** The run's snapshot, computed by `toSnapshot` over the reducer state. */
  snapshot(): RunSnapshot {
    return toSnapshot(this.catchUp());
  }

  /** Fold the events the reducer has not seen yet. */
  private catchUp(): RunStoreState {
    let store = this.store;
    for (; this.reduced < this.events.length; this.reduced++) {
      const record = this.events[this.reduced]!;
      store = reduce(store, record.event);
      record.reducedState = statusOf(store);
    }
    this.store = store;
    return store;
  }

  /** Number of subscribed listeners (open feeds, parked long-polls, armed faults): 0 once nothing follows the run. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Be told about every new event (and about the run closing); returns the unsubscribe function. */
  subscribe(listener: RunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Count one fired fault of `kind`. */
  countFault(kind: FaultKind, n = 1): void {
    this.faultCounts.set(kind, (this.faultCounts.get(kind) ?? 0) + n);
  }

  /** Answer the pending need_input. Accepted → `input_accepted` is emitted before this returns and the script continues. */
  reply(text: string, resumeToken: string): CommandOutcome {
    const outcome = this.answer(text, resumeToken);
    this.repliesReceived++;
    if (this.replies.length < MAX_REPLY_RECORDS)
      this.replies.push({
        resumeToken,
        text,
        accepted: outcome.ok,
        refusal: outcome.ok ? undefined : outcome.error.code,
      });
    return outcome;
  }

  private answer(text: string, resumeToken: string): CommandOutcome {
    if (this.usedTokens.has(resumeToken)) return refuse('stale_resume_token', 'this resume_token was already answered');
    if (this.expiredTokens.has(resumeToken)) return refuse('stale_resume_token', 'this resume_token has expired');
    if (this.closed) return refuse('run_finished', `run ${this.id} has already finished`);
    if (this.pending?.token !== resumeToken) {
      return refuse('stale_resume_token', 'no pending request has this resume_token');
    }
    this.usedTokens.add(resumeToken);
    this.clearPending();
    this.append({ type: 'input_accepted', resume_token: resumeToken });
    this.due = performance.now();
    this.advance({ kind: 'answer', text });
    return ACCEPTED;
  }

  /** Stop the run: status cancelled + done cancelled. Refused when it already ended. */
  cancel(): CommandOutcome {
    if (this.closed) return refuse('run_finished', `run ${this.id} has already finished`);
    this.clearTimer();
    if (this.pending) this.expiredTokens.add(this.pending.token);
    this.clearPending();
    this.append({ type: 'status', state: 'cancelled' });
    this.append({ type: 'done', state: 'cancelled', finish_reason: 'cancelled' });
    this.script.return();
    return ACCEPTED;
  }

  /** Stop timers without emitting anything (server shutdown); listeners are told the run closed. */
  stop(): void {
    if (this.closed) return;
    this.stopped = true;
    this.clearTimer();
    this.clearPending();
    this.script.return();
    this.notify();
  }

  private append(body: EventBody): void {
    if (this.ended) return;
    const event = sequence(body, this.id, this.events.length + 1);
    this.events.push(new StoredEvent(event));
    if (event.type === 'done') {
      this.ended = true;
      this.clearTimer();
      this.clearPending();
    }
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Play instructions until the script pauses on a real timer, asks a question, or ends. */
  private advance(input?: AskOutcome): void {
    if (this.advancing || this.closed) return;
    this.advancing = true;
    try {
      let next: AskOutcome | undefined = input;
      for (let budget = RUN_BATCH_SIZE; budget > 0; budget--) {
        const step = this.script.next(next);
        next = undefined;
        if (step.done) {
          if (!this.ended) this.append({ type: 'done', state: 'completed' });
          return;
        }
        const instruction = step.value;
        if (instruction.kind === 'emit') {
          this.append(instruction.event);
          if (this.ended) {
            this.script.return();
            return;
          }
        } else if (instruction.kind === 'ask') {
          this.askHuman(instruction.request);
          return;
        } else if (this.speed > 0) {
          this.due += instruction.ms / this.speed;
          const wait = this.due - performance.now();
          if (wait >= MIN_TIMER_MS) {
            // Whole milliseconds let Node share timer lists; the `due` clock keeps the error from piling up.
            this.schedule(Math.round(wait));
            return;
          }
        }
      }
      this.schedule(0);
    } catch (err) {
      this.crash(err);
    } finally {
      this.advancing = false;
    }
  }

  private askHuman(request: AskRequest): void {
    const token = `rt-${this.id}-${this.tokenRng.hex()}${this.tokenRng.hex()}`;
    const timeout = this.approvalTimeoutMs;
    this.append({
      type: 'need_input',
      prompt: request.prompt,
      resume_token: token,
      ...(request.choices && { choices: [...request.choices] }),
      ...(timeout !== undefined && { expires_at: new Date(Date.now() + timeout).toISOString() }),
    });
    this.append({ type: 'status', state: 'waiting' });
    const timer = timeout === undefined ? undefined : setTimeout(() => this.expire(token), timeout);
    this.pending = { token, timer };
  }

  private expire(token: string): void {
    if (this.pending?.token !== token || this.closed) return;
    this.expiredTokens.add(token);
    this.clearPending();
    this.append({
      type: 'error',
      message: 'The request for input expired unanswered',
      code: 'input_expired',
      retryable: false,
    });
    this.due = performance.now();
    this.advance({ kind: 'expired' });
  }

  private crash(err: unknown): void {
    this.clearTimer();
    this.clearPending();
    const message = err instanceof Error ? err.message : String(err);
    this.append({ type: 'error', message: `scenario crashed: ${message}`, code: 'scenario_crashed', retryable: false });
    this.append({ type: 'status', state: 'failed' });
    this.append({ type: 'done', state: 'failed', finish_reason: 'error' });
  }

  private schedule(ms: number): void {
    this.clearTimer();
    if (ms < MIN_TIMER_MS) {
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        this.advance();
      });
    } else {
      this.timeout = setTimeout(() => {
        this.timeout = undefined;
        this.advance();
      }, ms);
    }
  }

  private clearTimer(): void {
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    if (this.timeout !== undefined) clearTimeout(this.timeout);
    this.immediate = undefined;
    this.timeout = undefined;
  }

  private clearPending(): void {
    if (this.pending?.timer !== undefined) clearTimeout(this.pending.timer);
    this.pending = null;
  }
}

/**
 * Complete a scenario's event body into a sequenced event. A fresh body (the normal case) is
 * completed in place, which saves a megamorphic object copy per token; a body that is frozen or
 * was already sequenced (a scenario reusing one object) is copied instead.
 */
function sequence(body: EventBody, runId: string, seq: number): SequencedEvent {
  if (Object.isFrozen(body) || 'seq' in body) return { ...body, run_id: runId, seq };
  return Object.assign(body, { run_id: runId, seq });
}

function statusOf(store: RunStoreState): RunState {
  return store.status === 'idle' ? 'queued' : store.status;
}

function refuse(code: RunCommandError['code'], message: string): CommandOutcome {
  return { ok: false, error: new RunCommandError(code, message) };
}
