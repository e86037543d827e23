/**
 * What this mock server instance knows about runs beyond their events: which runs it created
 * (and plays), the faults fired on its connections and the replies it received, per run. With a
 * shared Redis log, a run created on another instance gets a record here too when this instance
 * serves it (chaos sums the records of every instance).
 */
import type { RunLog } from '../src/server/index.ts';
import type { FaultKind } from './faults.ts';
import { MAX_REPLY_RECORDS } from './limits.ts';
import type { ScenarioPlayer } from './player.ts';

/** Run records kept before the oldest finished ones are forgotten. */
const MAX_RETAINED_RECORDS = 10_000;

/** One `user_reply` the run received (over any channel), and what became of it. */
export interface ReplyRecord {
  readonly resumeToken: string;
  readonly text: string;
  /** True when this reply answered the pending request. */
  readonly accepted: boolean;
  /** Why it was refused, when it was. */
  readonly refusal: 'stale_resume_token' | 'run_finished' | undefined;
}

/** This instance's record of one run. */
export class MockRun {
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
  /** The scenario player, when this instance created (and plays) the run. */
  player: ScenarioPlayer | undefined;

  constructor(
    /** The run's id. */
    readonly id: string,
    private readonly log: RunLog,
  ) {}

  /** The scenario it plays ('' when another instance plays it). */
  get scenario(): string {
    return this.player?.scenario ?? '';
  }

  /** True once the run's `done` was emitted (by this instance's player). */
  get finished(): boolean {
    return this.player?.finished ?? false;
  }

  /** Resolves when the player's run has finished. */
  whenFinished(): Promise<void> {
    return this.player?.whenFinished() ?? Promise.resolve();
  }

  /** Tails following the run on this instance (open feeds, parked long-polls, armed kills): 0 once nothing follows it. */
  get listenerCount(): number {
    return this.log.followerCount(this.id);
  }

  /** Count one fired fault of `kind`. */
  countFault(kind: FaultKind, n = 1): void {
    this.faultCounts.set(kind, (this.faultCounts.get(kind) ?? 0) + n);
  }

  /** Record a reply and its outcome. */
  recordReply(record: ReplyRecord): void {
    this.repliesReceived++;
    if (this.replies.length < MAX_REPLY_RECORDS) this.replies.push(record);
  }
}

/** The records of this instance, by run id. */
export class MockRegistry {
  private readonly runs = new Map<string, MockRun>();
  private created = 0;

  constructor(private readonly log: RunLog) {}

  /** The record of a run this instance created or served, if any. */
  get(id: string): MockRun | undefined {
    return this.runs.get(id);
  }

  /** The record of a run (made on first use). */
  record(id: string): MockRun {
    let run = this.runs.get(id);
    if (!run) {
      run = new MockRun(id, this.log);
      this.runs.set(id, run);
      this.evict();
    }
    return run;
  }

  /** Number of runs this instance created. */
  get size(): number {
    return this.created;
  }

  /** Count a run created here (its record holds the player). */
  adopt(id: string, player: ScenarioPlayer): MockRun {
    const run = this.record(id);
    run.player = player;
    this.created++;
    return run;
  }

  /** Stop every player's timers (no events are emitted). */
  closeAll(): void {
    for (const run of this.runs.values()) run.player?.stop();
  }

  private evict(): void {
    if (this.runs.size <= MAX_RETAINED_RECORDS) return;
    for (const [id, run] of this.runs) {
      if (this.runs.size <= MAX_RETAINED_RECORDS) return;
      if (!run.player || run.finished) this.runs.delete(id);
    }
  }
}
