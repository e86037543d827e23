/**
 * The scenario player: plays a scenario script on its own clock as the producer of a run of the
 * server kit. `emit` instructions go out through the producer (the kit adds seq and run_id),
 * `ask` through `run.ask()` (the kit emits need_input, tracks the answer, expires it), `sleep`
 * through a clock that never drifts (`due`). Independent of any connection.
 */
import { performance } from 'node:perf_hooks';
import { AskError, type ProducerRun } from '../src/server/index.ts';
import { MIN_TIMER_MS, RUN_BATCH_SIZE } from './limits.ts';
import { Random } from './random.ts';
import type { AskOutcome, AskRequest, EventBody, Resumption, Script } from './script.ts';

/** Settings of one player. */
export interface PlayerOptions {
  readonly scenario: string;
  readonly script: Script;
  /** Timing multiplier: 2 = twice as fast, 0 = as fast as possible (still yielding to the event loop). */
  readonly speed: number;
  /** Seed of the resume tokens (the script has its own seeded randomness). */
  readonly seed: number;
  /** A need_input expires this long after it was asked (wall-clock, not scaled by speed). */
  readonly approvalTimeoutMs?: number | undefined;
  /** Stamp every emitted event with its time (`at`, ISO 8601). */
  readonly stamp?: boolean | undefined;
}

/** A scenario's event as it goes to the kit: `unknown` events in their wire form (their own type name). */
function toWire(body: EventBody): Record<string, unknown> & { type: string } {
  if (body.type !== 'unknown') return body;
  const data =
    typeof body.data === 'object' && body.data !== null && !Array.isArray(body.data)
      ? (body.data as Record<string, unknown>)
      : { value: body.data };
  return { ...data, type: body.event_type };
}

/** Plays one scenario on one run. */
export class ScenarioPlayer {
  /** The scenario it plays. */
  readonly scenario: string;
  private readonly script: Script;
  private readonly speed: number;
  private readonly tokenRng: Random;
  private readonly approvalTimeoutMs: number | undefined;
  private readonly stamp: boolean;
  private timeout: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private due = 0;
  private advancing = false;
  private stopped = false;
  private finishedResolve: (() => void) | undefined;
  private readonly finishedPromise: Promise<void>;

  constructor(
    private readonly run: ProducerRun,
    options: PlayerOptions,
  ) {
    this.scenario = options.scenario;
    this.script = options.script;
    this.speed = options.speed;
    this.approvalTimeoutMs = options.approvalTimeoutMs;
    this.stamp = options.stamp === true;
    this.tokenRng = Random.derive(options.seed, 0x70c3e5);
    this.finishedPromise = new Promise((resolve) => {
      this.finishedResolve = resolve;
    });
    run.onFinish(() => {
      this.halt();
      this.finishedResolve?.();
    });
    run.signal.addEventListener('abort', () => this.halt(), { once: true });
  }

  /** Start playing on the next turn of the event loop. */
  start(): void {
    this.due = performance.now();
    this.schedule(0);
  }

  /** True once the run ended (its `done` went out, or it was cancelled). */
  get finished(): boolean {
    return this.run.ended;
  }

  /** Resolves once the run is over for this producer. */
  whenFinished(): Promise<void> {
    return this.finishedPromise;
  }

  /** Stop the timers without emitting anything (server shutdown). */
  stop(): void {
    this.stopped = true;
    this.halt();
  }

  private halt(): void {
    this.clearTimer();
    try {
      this.script.return();
    } catch {
      // A script's `finally` threw while being stopped: nothing more to play anyway.
    }
  }

  /** Play instructions until the script pauses on a real timer, asks a question, or ends. */
  private advance(input?: Resumption): void {
    if (this.advancing || this.stopped || this.over()) return;
    this.advancing = true;
    try {
      let next: Resumption | undefined = input;
      for (let budget = RUN_BATCH_SIZE; budget > 0; budget--) {
        const step = this.script.next(next);
        next = undefined;
        if (step.done) {
          if (!this.over()) this.run.emit({ type: 'done', state: 'completed' });
          return;
        }
        const instruction = step.value;
        if (instruction.kind === 'emit') {
          const wire = toWire(instruction.event);
          if (this.stamp) wire['at'] = new Date().toISOString();
          this.run.emit(wire);
          if (this.over()) {
            this.halt();
            return;
          }
        } else if (instruction.kind === 'decide') {
          const { prompt, approved, reason, toolCallId } = instruction.decision;
          this.run.decide({
            prompt,
            approved,
            resumeToken: `rt-${this.run.id}-${this.tokenRng.hex()}${this.tokenRng.hex()}`,
            ...(reason !== undefined && { reason }),
            ...(toolCallId !== undefined && { toolCallId }),
          });
        } else if (instruction.kind === 'ask') {
          void this.askHuman(instruction.request).then((outcome) => outcome && this.resume(outcome));
          return;
        } else if (instruction.kind === 'ask-all') {
          void Promise.all(instruction.requests.map((request) => this.askHuman(request))).then((outcomes) => {
            // Undefined: the run ended while one was open; nothing to resume.
            if (outcomes.every((o): o is AskOutcome => o !== undefined)) this.resume({ kind: 'all', outcomes });
          });
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

  /** Read through a call: emitting a `done` ends the run in the middle of a turn. */
  private over(): boolean {
    return this.run.ended;
  }

  /** Ask through the kit: the outcome, or undefined when the run ended first (nothing to resume). */
  private askHuman(request: AskRequest): Promise<AskOutcome | undefined> {
    const token = `rt-${this.run.id}-${this.tokenRng.hex()}${this.tokenRng.hex()}`;
    const timeoutMs = request.expiresInMs ?? this.approvalTimeoutMs;
    return this.run
      .ask({
        prompt: request.prompt,
        resumeToken: token,
        ...(request.choices && { choices: request.choices }),
        ...(request.schema !== undefined && { schema: request.schema }),
        ...(request.toolCallId !== undefined && { toolCallId: request.toolCallId }),
        ...(request.kind !== undefined && { fields: { kind: request.kind } }),
        ...(timeoutMs !== undefined && { timeoutMs }),
      })
      .then(
        (answer): AskOutcome => ({ kind: 'answer', text: answer.text, value: answer.value }),
        (error: unknown): AskOutcome | undefined =>
          error instanceof AskError && error.code === 'input_expired' ? { kind: 'expired' } : undefined,
      );
  }

  private resume(outcome: Resumption): void {
    this.due = performance.now();
    this.advance(outcome);
  }

  private crash(err: unknown): void {
    this.clearTimer();
    const message = err instanceof Error ? err.message : String(err);
    void this.run.fail(new Error(`scenario crashed: ${message}`), { code: 'scenario_crashed' });
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
}
