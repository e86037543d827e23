/** Runs by id: creates them, finds them, forgets the oldest finished ones, stops them all on shutdown. */
import { randomBytes } from 'node:crypto';
import { MAX_RETAINED_RUNS } from './limits.ts';
import { Run } from './run.ts';
import { createScript } from './scenarios.ts';

/** What it takes to start a run (already validated). */
export interface CreateRunOptions {
  scenario: string;
  prompt: string;
  speed: number;
  seed: number;
  approvalTimeoutMs?: number | undefined;
}

/** How run ids look: agentwire's own (`run_…`) or the plain dialect's (`t-1`, `t-2`, …). */
export type RunIdStyle = 'agentwire' | 'plain';

/** Every run the server knows, by id. */
export class RunRegistry {
  private readonly runs = new Map<string, Run>();
  private counter = 0;
  private plainCounter = 0;
  private readonly instance = randomBytes(3).toString('hex');

  /** Create a run and start playing it. */
  create(options: CreateRunOptions, style: RunIdStyle = 'agentwire'): Run {
    const id = style === 'plain' ? `t-${++this.plainCounter}` : `run_${this.instance}_${++this.counter}`;
    const run = new Run({
      id,
      scenario: options.scenario,
      script: createScript(options.scenario, options.seed, options.prompt),
      speed: options.speed,
      seed: options.seed,
      approvalTimeoutMs: options.approvalTimeoutMs,
    });
    this.runs.set(id, run);
    this.evict();
    run.start();
    return run;
  }

  /** The run with that id, if known. */
  get(id: string): Run | undefined {
    return this.runs.get(id);
  }

  /** Number of runs kept. */
  get size(): number {
    return this.runs.size;
  }

  /** Stop every run's timers (no events are emitted) and forget them all. */
  closeAll(): void {
    for (const run of this.runs.values()) run.stop();
    this.runs.clear();
  }

  private evict(): void {
    if (this.runs.size <= MAX_RETAINED_RUNS) return;
    for (const [id, run] of this.runs) {
      if (this.runs.size <= MAX_RETAINED_RUNS) return;
      if (run.finished) this.runs.delete(id);
    }
  }
}
