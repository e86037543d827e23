/**
 * Replay a recording into a run store, deterministically: the inputs the run's ordered sink got
 * (events in arrival order — duplicates and out-of-turn ones included —, snapshots, client
 * errors) go into a fresh ordered sink in the same order, so the store ends as the recorded one
 * did. At 1× the recorded gaps between inputs are kept, at N× divided by N, or one input per
 * `step()`; timers come from an injected clock (tests pass a fake one).
 */
import { createOrderedSink, createRunStore, type RunStore, type SinkClock } from '../store/index.ts';
import { INPUT_KINDS, type TimelineEntry } from './entry.ts';
import { RecordingError, type Recording } from './recording.ts';

/** Options of `replayRecording`. */
export interface ReplayOptions {
  /** The store to replay into (a new one for the recording's run by default). */
  store?: RunStore;
  /** Playback speed: 1 (default) keeps the recorded timing, 10 is ten times faster; Infinity plays without waiting. */
  speed?: number;
  /** Start playing at once (default true); false leaves the replay paused, for `step()`. */
  autoplay?: boolean;
  /** Timers (default: the global ones). */
  clock?: SinkClock;
  /** Refuse a recording whose first entries were dropped (it may not rebuild the same store). Default false. */
  requireComplete?: boolean;
}

/** A replay in progress. */
export interface Replay {
  /** The store being fed. */
  readonly store: RunStore;
  /** Inputs fed so far. */
  readonly position: number;
  /** Inputs in the recording. */
  readonly total: number;
  /** True while timers feed the next inputs. */
  readonly playing: boolean;
  /** Feed the next input now (pausing playback); false when there was none left. */
  step(): boolean;
  /** Play from here at `speed` (default: the current one). */
  play(speed?: number): void;
  /** Stop feeding until `play()` or `step()`. */
  pause(): void;
  /** Feed every remaining input now. */
  finish(): void;
  /** Resolves once every input was fed. */
  readonly done: Promise<void>;
}

/** The entries of a recording that fed the sink, in order. */
export function replayInputs(recording: Recording): TimelineEntry[] {
  return recording.entries.filter((entry) => INPUT_KINDS.has(entry.kind) && entry.data !== undefined);
}

/** Start replaying `recording`; see the module comment. */
export function replayRecording(recording: Recording, options: ReplayOptions = {}): Replay {
  if (options.requireComplete && recording.dropped > 0)
    throw new RecordingError(
      'incomplete',
      `the first ${recording.dropped} entries of this recording were dropped: it may not rebuild the same store`,
    );
  const clock = options.clock ?? globalThis;
  const store = options.store ?? createRunStore(recording.runId || null);
  // No recovery is attached: a gap in the recording is closed by the recorded snapshot, as it was.
  const sink = createOrderedSink(store, clock);
  const inputs = replayInputs(recording);
  let speed = validSpeed(options.speed ?? 1);
  let position = 0;
  let timer: unknown = null;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const feed = (): boolean => {
    const entry = inputs[position];
    if (!entry) return false;
    position++;
    const data = entry.data!;
    if ('event' in data) sink.event(data.event);
    else if ('snapshot' in data) sink.snapshot(data.snapshot, data.sequenced);
    else sink.error(data.error);
    sink.flush();
    if (position === inputs.length) resolveDone();
    return true;
  };
  const cancel = (): void => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  };
  const schedule = (): void => {
    const next = inputs[position];
    if (!next) return;
    const previous = inputs[position - 1];
    const wait = previous && Number.isFinite(speed) ? Math.max(0, (next.at - previous.at) / speed) : 0;
    timer = clock.setTimeout(() => {
      timer = null;
      feed();
      schedule();
    }, wait);
  };

  if (inputs.length === 0) resolveDone();
  const replay: Replay = {
    store,
    get position() {
      return position;
    },
    total: inputs.length,
    get playing() {
      return timer !== null;
    },
    step() {
      cancel();
      return feed();
    },
    play(next) {
      if (next !== undefined) speed = validSpeed(next);
      cancel();
      schedule();
    },
    pause: cancel,
    finish() {
      cancel();
      while (feed());
    },
    done,
  };
  if (options.autoplay !== false) replay.play();
  return replay;
}

function validSpeed(speed: number): number {
  if (!(speed > 0)) throw new RangeError(`speed must be above 0, got ${speed}`);
  return speed;
}
