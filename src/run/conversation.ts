/**
 * `createConversation`: a thread of runs. Sending a message starts a run in the thread through
 * the run API (`startRun`: `POST` runs, or the chat-style streaming POST), and that run becomes
 * the current one; the turns of the runs before it are its history. `restore()` reads the thread
 * back from the backend (`loadThread`) after a reload. Stores hold it all, so the elements only
 * render: `<agent-run>` makes one and hands it to `<run-composer>` and `<token-stream>`.
 */
import { atom, type ReadableAtom } from 'nanostores';
import { turnsOf, turnsOfThread, type Turn, type TypedError } from '../store/index.ts';
import { toTransportError } from '../transports/errors.ts';
import { connectRun } from './connect.ts';
import { startRun } from './create.ts';
import { loadThread } from './thread.ts';
import type { RunHandle, StartRunOptions } from './types.ts';

/** Why a conversation refused to send. */
export type ConversationErrorCode =
  /** The message is empty (or only white space). */
  | 'empty_message'
  /** The current run has not ended: stop it (or wait) before sending the next message. */
  | 'run_active'
  /** Another message is on its way. */
  | 'sending'
  /** The conversation was disposed. */
  | 'disposed';

/** A message the conversation would not send. */
export class ConversationError extends Error {
  override readonly name = 'ConversationError';
  /** Machine-readable reason. */
  readonly code: ConversationErrorCode;

  constructor(code: ConversationErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Options of `createConversation`: how its runs are started and connected, and the thread. */
export interface ConversationOptions extends Omit<StartRunOptions, 'body' | 'store' | 'signal'> {
  /** The thread (conversation) id; a new one is made up when absent. */
  threadId?: string;
  /** Fields of every create body (e.g. `{ scenario: 'chat' }`); `prompt` and `thread_id` are the conversation's. */
  body?: Record<string, unknown>;
}

/** Where reading the thread back stands. */
export interface RestoreState {
  readonly status: 'idle' | 'loading' | 'loaded' | 'failed';
  /** Why it failed (a TransportError), or null. */
  readonly error: TypedError<string> | null;
}

/** A thread of runs, as stores and actions. */
export interface Conversation {
  /** The thread's id (made up when the options gave none). */
  readonly threadId: string;
  /** The turns of the thread's earlier runs, oldest first (the current run shows its own). */
  readonly $history: ReadableAtom<readonly Turn[]>;
  /** The current run: the last one started or restored, or undefined. */
  readonly $run: ReadableAtom<RunHandle | undefined>;
  /** True while a message is being sent (the run is being created). */
  readonly $sending: ReadableAtom<boolean>;
  /** Where reading the thread back stands. */
  readonly $restore: ReadableAtom<RestoreState>;
  /**
   * Send a user message: start a run in the thread with `prompt: text` (plus the options' `body` and
   * `body` here). Resolves with the new run, now current; rejects with a ConversationError (nothing
   * sent) or the run API's TransportError (the create request failed; never re-sent).
   */
  send(text: string, body?: Record<string, unknown>): Promise<RunHandle>;
  /** Read the thread's history from the backend; a run that has not ended becomes the current run. */
  restore(): Promise<void>;
  /** Be told of every run a `send` started; returns the unsubscribe function. */
  onStart(listener: (run: RunHandle) => void): () => void;
  /** Stop: abort a restore, disconnect the current run (it keeps going on the server). */
  dispose(): void;
}

/** True while a run has not ended and its connection has not given up: the next message waits for it. */
export function isRunActive(run: RunHandle): boolean {
  const { status, connection } = run.$state.get();
  if (status === 'done' || status === 'failed' || status === 'cancelled') return false;
  return connection.status !== 'failed';
}

/** A new thread id: `th_` + 96 random bits in hex. */
export function newThreadId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return `th_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Make a conversation (nothing is fetched until `send` or `restore`). */
export function createConversation(options: ConversationOptions): Conversation {
  const { threadId = newThreadId(), body: baseBody, ...runOptions } = options;
  const $history = atom<readonly Turn[]>([]);
  const $run = atom<RunHandle | undefined>(undefined);
  const $sending = atom(false);
  const $restore = atom<RestoreState>({ status: 'idle', error: null });
  const listeners = new Set<(run: RunHandle) => void>();
  /** Aborted by `dispose()`: stops a restore, and marks the conversation as over. */
  const life = new AbortController();
  /** Read anew after every await (the conversation may be disposed meanwhile). */
  const over = (): boolean => life.signal.aborted;

  const refuse = (code: ConversationErrorCode, message: string): Promise<never> =>
    Promise.reject(new ConversationError(code, message));

  return {
    threadId,
    $history,
    $run,
    $sending,
    $restore,

    async send(text, body) {
      if (over()) return refuse('disposed', 'the conversation was disposed');
      if (text.trim() === '') return refuse('empty_message', 'the message is empty');
      if ($sending.get()) return refuse('sending', 'another message is being sent');
      const current = $run.get();
      if (current && isRunActive(current))
        return refuse('run_active', 'the current run has not ended: stop it or wait for it');
      $sending.set(true);
      try {
        const run = await startRun({
          ...runOptions,
          body: { ...baseBody, ...body, prompt: text, thread_id: threadId },
        });
        if (over()) {
          run.disconnect();
          throw new ConversationError('disposed', 'the conversation was disposed while sending');
        }
        const previous = $run.get();
        if (previous) {
          $history.set([...$history.get(), ...turnsOf(previous.$state.get(), previous.runId)]);
          previous.disconnect();
        }
        $run.set(run);
        for (const listener of listeners) listener(run);
        return run;
      } finally {
        $sending.set(false);
      }
    },

    async restore() {
      if (over()) return;
      $restore.set({ status: 'loading', error: null });
      try {
        const { baseUrl, paths, headers } = runOptions;
        const thread = await loadThread({
          baseUrl,
          threadId,
          ...(paths && { paths }),
          ...(headers && { headers }),
          signal: life.signal,
        });
        if (over()) return;
        const current = $run.get();
        const live = current
          ? undefined
          : thread.runs.findLast((r) => !['done', 'failed', 'cancelled'].includes(r.state));
        // A message sent meanwhile wins: its run stays current, the thread's turns before it are history.
        const shown = current?.runId ?? live?.run_id;
        $history.set(turnsOfThread(thread, shown));
        if (live) $run.set(connectRun({ ...runOptions, runId: live.run_id }));
        $restore.set({ status: 'loaded', error: null });
      } catch (error) {
        if (over()) return;
        const failure = toTransportError(error);
        $restore.set({ status: 'failed', error: { code: failure.code, message: failure.message } });
      }
    },

    onStart(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    dispose() {
      if (over()) return;
      life.abort();
      listeners.clear();
      $run.get()?.disconnect();
    },
  };
}
