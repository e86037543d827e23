/**
 * The producer's handle on a run: what an agent author writes to. Emitting is synchronous and
 * never blocks: events queue in order and go to the log in batches (one per turn, one in flight
 * at a time, retried with the same batch number when the log is unreachable, so a retry never
 * duplicates). `ask()` resolves with the first accepted answer, whichever instance received it;
 * `signal` aborts when the run is cancelled or ended from outside.
 */
import {
  LOG_LEVELS,
  RUN_STATES,
  STEP_STATES,
  type LogLevel,
  type RunState,
  type StepState,
  type UserReplyCommand,
} from '../protocol/index.ts';
import { AskError, RunAbortedError, RunKitError } from './errors.ts';
import { normalizeEvent, type EventInput } from './event-input.ts';
import type { ProducerCommand, ProducerLease, RunInfo, RunLog } from './log.ts';
import type { EventBody } from './stored-event.ts';

/** Options of `ProducerRun.ask()`. The object may grow as the protocol's `need_input` does. */
export interface AskOptions {
  /** The question shown to the user. */
  readonly prompt: string;
  /** Answers offered as buttons. */
  readonly choices?: readonly string[];
  /** JSON Schema of the answer's `value` (sent as `need_input.response_schema`). */
  readonly schema?: unknown;
  /** When the request stops being answerable: a Date, an ISO 8601 string or epoch ms. */
  readonly expiresAt?: Date | string | number;
  /** Or: answerable for this many ms from now. */
  readonly timeoutMs?: number;
  /** The resume token to use (default: 128 random bits). Must be unique within the run. */
  readonly resumeToken?: string;
  /** The tool call this request approves (sent as `need_input.tool_call_id`). */
  readonly toolCallId?: string;
  /** More `need_input` fields, sent as they are (new protocol fields need no kit change). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** Options of `ProducerRun.decide()`: an approval decided by policy, never asked. */
export interface DecideOptions {
  /** What was decided, as people read it (e.g. "Read the file README.md?"). */
  readonly prompt: string;
  /** The decision: approved (true) or denied (false). */
  readonly approved: boolean;
  /** Why (e.g. "read-only tools are allowed"), shown with the decision. */
  readonly reason?: string;
  /** The tool call the decision is about (sent as `need_input.tool_call_id`). */
  readonly toolCallId?: string;
  /** The resume token to use (default: 128 random bits). Must be unique within the run. */
  readonly resumeToken?: string;
  /** More `need_input` fields, sent as they are. */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** The accepted answer to an `ask()`. */
export interface Answer {
  /** The user's text. */
  readonly text: string;
  /** The structured answer, when the client sent one (`user_reply.value`). */
  readonly value: unknown;
  /** The request it answers. */
  readonly resumeToken: string;
  /** The reply as the client sent it (future fields included). */
  readonly reply: UserReplyCommand;
}

/** A tool call as `toolCall()` takes it. */
export interface ToolCallInput {
  readonly name: string;
  readonly args?: unknown;
  /** Pairs the call with its result (default: `call_<n>`). */
  readonly callId?: string;
}

/** A tool result as `toolResult()` takes it. */
export interface ToolResultInput {
  readonly callId: string;
  readonly summary: string;
  readonly ok?: boolean;
}

/** Options of `done()`. */
export interface DoneOptions {
  /** The run's result (any JSON). */
  readonly result?: unknown;
  /** Why it ended, e.g. `stop`, `length`. */
  readonly finishReason?: string;
}

/** Options of `fail()`. */
export interface FailOptions {
  /** Machine-readable code of the error event (default: the error's own `code`, else `producer_failed`). */
  readonly code?: string;
}

/** Events per append at most (the rest go in the next one). */
const MAX_BATCH_EVENTS = 1000;
/** First retry delay when the log is unreachable, ms (doubles up to MAX_RETRY_MS, with jitter). */
const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 2000;

interface Queued {
  readonly body: EventBody;
  readonly opens?: string;
}

interface OpenAsk {
  readonly resolve: (answer: Answer) => void;
  readonly reject: (error: AskError) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

function hex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  let out = '';
  for (const byte of buffer) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** A fresh resume token: 128 random bits. */
export function randomResumeToken(): string {
  return `rt_${hex(16)}`;
}

function invalid(message: string): RunKitError {
  return new RunKitError('invalid_event', message);
}

function expiryOf(options: AskOptions): number | undefined {
  if (options.timeoutMs !== undefined) {
    if (!Number.isFinite(options.timeoutMs) || options.timeoutMs < 0)
      throw new RunKitError('invalid_option', 'ask: timeoutMs must be a non-negative number');
    return Date.now() + options.timeoutMs;
  }
  const at = options.expiresAt;
  if (at === undefined) return undefined;
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) throw new RunKitError('invalid_option', 'ask: expiresAt is not a valid date');
  return ms;
}

/** The producer's side of one run. */
export class ProducerRun {
  /** The run's id. */
  readonly id: string;
  /** The conversation it belongs to, when one was given. */
  readonly threadId: string | undefined;
  private readonly controller = new AbortController();
  private readonly asks = new Map<string, OpenAsk>();
  /** Resume tokens of the approvals decided by policy (`decide`), so none is used twice. */
  private readonly decided = new Set<string>();
  private readonly lease: ProducerLease;
  private queue: Queued[] = [];
  private scheduled = false;
  private inFlight = false;
  private batchNo = 0;
  private retryMs = FIRST_RETRY_MS;
  private calls = 0;
  private isEnded = false;
  private isClosed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly finishListeners: (() => void)[] = [];

  /** @internal Made by `RunKit.create()`. */
  constructor(
    private readonly runLog: RunLog,
    info: RunInfo,
  ) {
    this.id = info.runId;
    this.threadId = info.threadId;
    this.lease = runLog.own(this.id, (command) => this.onCommand(command));
  }

  /** Aborted when the run is cancelled or ended from outside (its reason is a RunAbortedError). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once the run ended (`done`, `fail`, a cancel): further events are ignored. */
  get ended(): boolean {
    return this.isEnded;
  }

  /** Number of `ask()`s waiting for an answer. */
  get openAsks(): number {
    return this.asks.size;
  }

  /** The run's lifecycle state changed. */
  status(state: RunState): void {
    if (!(RUN_STATES as readonly string[]).includes(state))
      throw invalid(`status: state must be one of ${RUN_STATES.join(', ')}`);
    this.push({ type: 'status', state });
  }

  /** Progress in percent (`null`: indeterminate), with an optional message. */
  progress(pct: number | null, message?: string): void {
    if (pct !== null && (typeof pct !== 'number' || !Number.isFinite(pct) || pct < 0 || pct > 100))
      throw invalid('progress: pct must be a number from 0 to 100, or null');
    if (message !== undefined && typeof message !== 'string') throw invalid('progress: message must be a string');
    this.push({ type: 'progress', pct, ...(message !== undefined && { message }) });
  }

  /** A piece of streamed text (of message `messageId`). */
  token(text: string, messageId?: string): void {
    if (typeof text !== 'string') throw invalid('token: text must be a string');
    if (messageId !== undefined && typeof messageId !== 'string') throw invalid('token: messageId must be a string');
    this.push(
      messageId === undefined
        ? { type: 'token', content: text }
        : { type: 'token', content: text, message_id: messageId },
    );
  }

  /** A log line. */
  log(message: string, level: LogLevel = 'info'): void {
    if (typeof message !== 'string') throw invalid('log: message must be a string');
    if (!(LOG_LEVELS as readonly string[]).includes(level))
      throw invalid(`log: level must be one of ${LOG_LEVELS.join(', ')}`);
    this.push({ type: 'log', level, message });
  }

  /** A step of the plan started or finished. */
  step(name: string, state?: StepState): void {
    if (typeof name !== 'string' || name === '') throw invalid('step: name must be a non-empty string');
    if (state !== undefined && !(STEP_STATES as readonly string[]).includes(state))
      throw invalid(`step: state must be one of ${STEP_STATES.join(', ')}`);
    this.push({ type: 'step', name, ...(state !== undefined && { state }) });
  }

  /** The agent calls a tool; returns the call id its result must carry. */
  toolCall(call: ToolCallInput): string {
    if (typeof call.name !== 'string' || call.name === '') throw invalid('toolCall: name must be a non-empty string');
    const callId = call.callId ?? `call_${++this.calls}`;
    this.push({ type: 'tool_call', call_id: callId, name: call.name, args: call.args ?? {} });
    return callId;
  }

  /** The result of a tool call. */
  toolResult(result: ToolResultInput): void {
    if (typeof result.callId !== 'string' || result.callId === '') throw invalid('toolResult: callId is required');
    if (typeof result.summary !== 'string') throw invalid('toolResult: summary must be a string');
    this.push({
      type: 'tool_result',
      call_id: result.callId,
      summary: result.summary,
      ...(result.ok !== undefined && { ok: result.ok }),
    });
  }

  /** An error the run reports and goes on after (see `fail()` to end the run). */
  error(message: string, options: { code?: string; retryable?: boolean } = {}): void {
    if (typeof message !== 'string') throw invalid('error: message must be a string');
    this.push({
      type: 'error',
      message,
      ...(options.code !== undefined && { code: options.code }),
      ...(options.retryable !== undefined && { retryable: options.retryable }),
    });
  }

  /**
   * Any protocol event, e.g. one of a type this version does not know: checked by src/protocol,
   * stored and forwarded as it is. `need_input` goes through `ask()`, `input_accepted` is the
   * log's; a `done` ends the run like `done()`.
   */
  emit(event: EventInput): void {
    const body = normalizeEvent(event);
    if (body.type === 'need_input') throw invalid('emit: ask with ask(), which tracks the answer');
    if (body.type === 'input_accepted')
      throw invalid('emit: input_accepted is emitted by the log when it accepts a reply');
    if (body.type === 'done') {
      if (this.isEnded) return;
      this.enqueue({ body });
      this.isEnded = true;
      void this.flush().then(() => this.finish());
      return;
    }
    this.push(body);
  }

  /**
   * Ask the user and wait: emits `need_input` (and `status waiting` when no other request is
   * open) and resolves with the first accepted answer. Rejects with AskError `input_expired` when
   * it expires unanswered (after emitting `error input_expired`), `run_cancelled` or `run_ended`.
   */
  ask(options: AskOptions): Promise<Answer> {
    if (this.isEnded) return Promise.reject(new AskError('run_ended', options.resumeToken ?? '', 'the run has ended'));
    const expiresAt = expiryOf(options);
    const token = options.resumeToken ?? randomResumeToken();
    if (typeof token !== 'string' || token === '')
      throw new RunKitError('invalid_option', 'ask: resumeToken must be a non-empty string');
    if (this.asks.has(token) || this.decided.has(token))
      throw new RunKitError('invalid_option', `ask: resume token ${token} is already open`);
    const body = normalizeEvent({
      // When it was asked, on the clock `expires_at` is on: the client reads that clock from it.
      at: new Date().toISOString(),
      ...options.fields,
      type: 'need_input',
      prompt: options.prompt,
      resume_token: token,
      ...(options.choices !== undefined && { choices: [...options.choices] }),
      ...(expiresAt !== undefined && { expires_at: new Date(expiresAt).toISOString() }),
      ...(options.schema !== undefined && { response_schema: options.schema }),
      ...(options.toolCallId !== undefined && { tool_call_id: options.toolCallId }),
    });
    return new Promise<Answer>((resolve, reject) => {
      const open: OpenAsk = { resolve, reject, timer: undefined };
      this.asks.set(token, open);
      this.enqueue({ body, opens: token });
      if (this.asks.size === 1) this.enqueue({ body: { type: 'status', state: 'waiting' } });
      if (expiresAt !== undefined)
        open.timer = setTimeout(() => void this.expire(token), Math.max(0, expiresAt - Date.now()));
    });
  }

  /**
   * Record an approval decided by policy (AI SDK `isAutomatic`): `need_input` with `kind:
   * approval` and `automatic: true`, then its `input_accepted` carrying the decision (`text`, and
   * `value: {approved, reason?}`), in the same batch. Clients show it as decided automatically and
   * never ask it; no answer is awaited and none is taken (the request is never open). Returns its
   * resume token.
   */
  decide(options: DecideOptions): string {
    const token = options.resumeToken ?? randomResumeToken();
    if (typeof token !== 'string' || token === '')
      throw new RunKitError('invalid_option', 'decide: resumeToken must be a non-empty string');
    if (typeof options.approved !== 'boolean')
      throw new RunKitError('invalid_option', 'decide: approved must be a boolean');
    if (this.asks.has(token) || this.decided.has(token))
      throw new RunKitError('invalid_option', `decide: resume token ${token} is already used`);
    const reason = options.reason?.trim();
    const verdict = options.approved ? 'Approved' : 'Denied';
    const request = normalizeEvent({
      ...options.fields,
      type: 'need_input',
      prompt: options.prompt,
      resume_token: token,
      kind: 'approval',
      automatic: true,
      ...(options.toolCallId !== undefined && { tool_call_id: options.toolCallId }),
    });
    const accepted = normalizeEvent({
      type: 'input_accepted',
      resume_token: token,
      text: reason ? `${verdict}: ${reason}` : verdict,
      value: reason ? { approved: options.approved, reason } : { approved: options.approved },
    });
    if (this.isEnded) return token;
    this.decided.add(token);
    this.enqueue({ body: request });
    this.enqueue({ body: accepted });
    return token;
  }

  /** End the run as completed (`status done` + `done completed`); resolves once it is in the log. */
  async done(options: DoneOptions = {}): Promise<void> {
    if (this.isEnded) return this.flush();
    this.enqueue({ body: { type: 'status', state: 'done' } });
    this.enqueue({
      body: {
        type: 'done',
        state: 'completed',
        ...(options.result !== undefined && { result: options.result }),
        ...(options.finishReason !== undefined && { finish_reason: options.finishReason }),
      },
    });
    this.isEnded = true;
    await this.flush();
    this.finish();
  }

  /** End the run as failed: `error` (not retryable), `status failed`, `done failed`; resolves once it is in the log. */
  async fail(error: unknown, options: FailOptions = {}): Promise<void> {
    if (this.isEnded) return this.flush();
    const message = error instanceof Error ? error.message : String(error);
    const own = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    const code = options.code ?? (typeof own === 'string' ? own : 'producer_failed');
    this.enqueue({ body: { type: 'error', message, code, retryable: false } });
    this.enqueue({ body: { type: 'status', state: 'failed' } });
    this.enqueue({ body: { type: 'done', state: 'failed', finish_reason: 'error' } });
    this.isEnded = true;
    await this.flush();
    this.finish();
  }

  /** Resolves once every event emitted so far is in the log (or the run ended without them). */
  flush(): Promise<void> {
    if (this.isClosed || (!this.inFlight && this.queue.length === 0)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** @internal The kit is told when the run is over for this producer. */
  onFinish(listener: () => void): void {
    if (this.isClosed) listener();
    else this.finishListeners.push(listener);
  }

  /** @internal Stop: the kit is closing. */
  abort(code: RunAbortedError['code'], message: string): void {
    if (this.isClosed) return;
    this.isEnded = true;
    this.queue = [];
    this.controller.abort(new RunAbortedError(code, message));
    this.close(code === 'run_cancelled' ? 'run_cancelled' : 'run_ended', message);
  }

  private push(body: EventBody): void {
    if (this.isEnded) return;
    this.enqueue({ body });
  }

  private enqueue(item: Queued): void {
    if (this.isClosed) return;
    this.queue.push(item);
    if (!this.scheduled && !this.inFlight) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        void this.pump();
      });
    }
  }

  private async pump(): Promise<void> {
    if (this.inFlight) return;
    if (this.queue.length === 0 || this.isClosed) {
      this.settleIdle();
      return;
    }
    const items = this.queue.length > MAX_BATCH_EVENTS ? this.queue.splice(0, MAX_BATCH_EVENTS) : this.queue;
    if (items === this.queue) this.queue = [];
    this.inFlight = true;
    const batch = ++this.batchNo;
    const events = items.map((item) => item.body);
    const opens = items.flatMap((item) => (item.opens === undefined ? [] : [item.opens]));
    for (;;) {
      try {
        const result = await this.runLog.append(this.id, { events, opens, batch });
        this.retryMs = FIRST_RETRY_MS;
        if (!result.ok) this.abort(result.reason === 'run_finished' ? 'run_ended' : 'closed', 'the run has ended');
        break;
      } catch (error) {
        if (this.isOver() || (error instanceof RunKitError && error.code === 'closed')) {
          this.abort('closed', 'the run log was closed');
          break;
        }
        if (!(error instanceof RunKitError && error.code === 'log_unavailable')) {
          // Not a passing outage: stop producing (the lease, no longer renewed, fails the run).
          this.abort(
            'log_failed',
            `the run log refused the events: ${error instanceof Error ? error.message : String(error)}`,
          );
          break;
        }
        // The log is unreachable: try the same batch again (its number makes a retry idempotent).
        const wait = this.retryMs * (0.5 + Math.random() / 2);
        this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    this.inFlight = false;
    if (this.queue.length > 0 && !this.isOver()) void this.pump();
    else this.settleIdle();
  }

  /** Read through a call: the flag changes while an append is awaited. */
  private isOver(): boolean {
    return this.isClosed;
  }

  private settleIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  private async expire(token: string): Promise<void> {
    const open = this.asks.get(token);
    if (!open || this.isClosed) return;
    open.timer = undefined;
    await this.flush();
    let expired: boolean;
    try {
      expired = await this.runLog.expire(this.id, token, [
        { type: 'error', message: 'The request for input expired unanswered', code: 'input_expired', retryable: false },
      ]);
    } catch {
      // Unreachable log: try again shortly (an answer accepted meanwhile wins).
      open.timer = setTimeout(() => void this.expire(token), MAX_RETRY_MS);
      return;
    }
    // Not expired: an answer was accepted first; its reply reaches onCommand.
    if (!expired || this.asks.get(token) !== open) return;
    this.asks.delete(token);
    open.reject(new AskError('input_expired', token, 'the request for input expired unanswered'));
  }

  private onCommand(command: ProducerCommand): void {
    switch (command.type) {
      case 'reply': {
        const token = command.reply.resume_token;
        const open = this.asks.get(token);
        if (!open) return;
        this.asks.delete(token);
        if (open.timer !== undefined) clearTimeout(open.timer);
        const reply = command.reply;
        const value = 'value' in reply ? (reply as { value?: unknown }).value : undefined;
        open.resolve({ text: reply.text, value, resumeToken: token, reply });
        return;
      }
      case 'cancel':
        this.abort('run_cancelled', 'the run was cancelled');
        return;
      case 'ended':
        this.abort(
          command.reason,
          command.reason === 'producer_lost' ? 'the producer lost its lease on the run' : 'the run has ended',
        );
    }
  }

  /** The producer's own end reached the log. */
  private finish(): void {
    this.close('run_ended', 'the run has ended');
  }

  private close(code: 'run_cancelled' | 'run_ended', message: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.isEnded = true;
    this.queue = [];
    this.lease.release();
    for (const [token, open] of this.asks) {
      if (open.timer !== undefined) clearTimeout(open.timer);
      open.reject(new AskError(code, token, message));
    }
    this.asks.clear();
    this.settleIdle();
    for (const listener of this.finishListeners.splice(0)) listener();
  }
}
