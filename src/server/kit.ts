/**
 * `createRunKit({ log })`: runs for producers. `runs.create()` makes a run in the log and hands
 * back its producer handle; `runs.spawn()` also plays a producer function on it, ending the run
 * when the function returns (done) or throws (failed).
 */
import type { RunSnapshot, ThreadSnapshot } from '../protocol/index.ts';
import { RunKitError } from './errors.ts';
import type { RunLog } from './log.ts';
import { MemoryRunLog } from './memory-log.ts';
import { ProducerRun } from './producer.ts';
import { RunViews } from './run-view.ts';

/** Options of `createRunKit`. */
export interface RunKitOptions {
  /** Where runs live (default: a new MemoryRunLog). */
  log?: RunLog;
  /** Runs whose reducer state this instance keeps for snapshots (least recently used go first; default 1,000). */
  viewCapacity?: number;
}

/** Options of `RunKit.create()`. */
export interface CreateRunOptions {
  /** The run's id (default: `run_` + 128 random bits). */
  runId?: string;
  /** The conversation the run belongs to. */
  threadId?: string;
  /** Count the run against a client's active runs (refused with `too_many_runs` over the limit). */
  client?: { key: string; limit: number };
}

/** A function that produces a run: emit on `run`, ask, and return (done) or throw (failed). */
export type Producer = (run: ProducerRun) => void | Promise<void>;

/** Runs for producers, over one RunLog. */
export interface RunKit {
  /** The log every run lives in. */
  readonly log: RunLog;
  /** Per-instance reducer views of runs (snapshots, states as of an event). */
  readonly views: RunViews;
  /** Create a run and take its producer's side on this instance. */
  create(options?: CreateRunOptions): Promise<ProducerRun>;
  /** Create a run and play `produce` on it: `done()` when it returns, `fail(error)` when it throws. */
  spawn(options: CreateRunOptions, produce: Producer): Promise<ProducerRun>;
  /** A run's snapshot through the shared reducer, or undefined when there is no such run. */
  snapshot(runId: string): Promise<RunSnapshot | undefined>;
  /** A conversation's history: its runs still kept, in creation order, and their messages with roles (empty lists for an unknown thread). */
  thread(threadId: string): Promise<ThreadSnapshot>;
  /** Producers playing on this instance. */
  readonly producing: number;
  /** Abort every producer of this instance (their `signal`, reason `closed`) and close the log. */
  close(): Promise<void>;
}

function randomId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** A new run id: `run_` + 128 random bits in hex. */
export function newRunId(): string {
  return `run_${randomId()}`;
}

/** Make a run kit. */
export function createRunKit(options: RunKitOptions = {}): RunKit {
  const log = options.log ?? new MemoryRunLog();
  const views = new RunViews(log, options.viewCapacity);
  const producers = new Set<ProducerRun>();
  let closed = false;

  const create = async (createOptions: CreateRunOptions = {}): Promise<ProducerRun> => {
    if (closed) throw new RunKitError('closed', 'the run kit was closed');
    const runId = createOptions.runId ?? newRunId();
    if (typeof runId !== 'string' || runId === '' || runId.length > 256)
      throw new RunKitError('invalid_option', 'runId must be a non-empty string of at most 256 characters');
    const info = await log.create(runId, { threadId: createOptions.threadId, client: createOptions.client });
    const run = new ProducerRun(log, info);
    producers.add(run);
    run.onFinish(() => producers.delete(run));
    return run;
  };

  return {
    log,
    views,
    create,
    async spawn(createOptions, produce) {
      const run = await create(createOptions);
      void (async () => {
        try {
          await produce(run);
          if (!run.ended) await run.done();
        } catch (error) {
          if (!run.ended) await run.fail(error);
        }
      })();
      return run;
    },
    async snapshot(runId) {
      if (!(await log.info(runId))) return undefined;
      return (await views.caughtUp(runId)).snapshot();
    },
    async thread(threadId) {
      const thread: ThreadSnapshot = { thread_id: threadId, runs: [], messages: [] };
      for (const info of await log.threadRuns(threadId)) {
        const snapshot = (await views.caughtUp(info.runId)).snapshot();
        thread.runs.push({
          run_id: info.runId,
          state: snapshot.state,
          created_at: new Date(info.createdAt).toISOString(),
        });
        for (const message of snapshot.messages)
          thread.messages.push({
            message_id: message.message_id,
            run_id: info.runId,
            role: message.role ?? 'assistant',
            text: message.text,
          });
      }
      return thread;
    },
    get producing() {
      return producers.size;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const run of [...producers]) run.abort('closed', 'the run kit was closed');
      await log.close();
    },
  };
}
