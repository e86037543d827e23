/**
 * `createConversation`: a thread of runs. Sending a message starts a run in the thread through
 * the run API (`startRun`: `POST` runs, or the chat-style streaming POST), and that run becomes
 * the current one; the turns of the runs before it are its history. `restore()` reads the thread
 * back from the backend (`loadThread`) after a reload. Stores hold it all, so the elements only
 * render: `<agent-run>` makes one and hands it to `<run-composer>` and `<token-stream>`.
 */
import { atom, type ReadableAtom } from 'nanostores';
import { turnKey, turnsOf, turnsOfThread, type Turn, type TypedError } from '../store/index.ts';
import { toTransportError } from '../transports/errors.ts';
import { connectRun } from './connect.ts';
import { startRun } from './create.ts';
import { isRunActive } from './run-active.ts';
import { loadThread } from './thread.ts';
import type { ThreadStore } from './thread-store.ts';
import type { RunHandle, StartRunOptions } from './types.ts';

export { isRunActive };

/** Why a conversation refused to send. */
export type ConversationErrorCode =
  /** The message is empty (or only white space). */
  | 'empty_message'
  /** The current run has not ended: stop it (or wait) before sending the next message. */
  | 'run_active'
  /** Another message is on its way. */
  | 'sending'
  /** The conversation was disposed. */
  | 'disposed'
  /** `retry`: no turn of the conversation has that key. */
  | 'unknown_turn'
  /** `retry`: no user message precedes that turn, so there is nothing to send again. */
  | 'no_user_turn';

/** A message the conversation would not send. */
export class ConversationError extends Error {
  /** Always `ConversationError`. */
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
  /**
   * Where the thread's turns are kept, when the backend has no thread endpoint (e.g.
   * `localStorageThreadStore()`): `restore()` loads from it, and the turns are saved to it when
   * a message was sent and when a run ends.
   */
  threadStore?: ThreadStore;
}

/** Where saving to the conversation's ThreadStore stands. */
export interface SaveState {
  /** `idle` (nothing saved yet), `saving`, `saved`, or `failed` (see `error`). */
  readonly status: 'idle' | 'saving' | 'saved' | 'failed';
  /** Why the last save failed (a ThreadStoreError's code and message), or null. */
  readonly error: TypedError<string> | null;
}

/** Where reading the thread back stands. */
export interface RestoreState {
  /** `idle` (not asked), `loading`, `loaded`, or `failed`. */
  readonly status: 'idle' | 'loading' | 'loaded' | 'failed';
  /** Why it failed (a TransportError), or null. */
  readonly error: TypedError<string> | null;
}

/**
 * The user's message from the moment it is sent until the run shows the server's own turn for it:
 * shown at once (optimistically), then replaced, never doubled. `sending` while the run is being
 * created; `sent` once it started (kept while the run has no user turn of its own: a backend that
 * does not echo the prompt); `failed` when the create request failed (`error` says why).
 */
export interface PendingTurn {
  /** Unique per send. */
  readonly key: string;
  /** The text sent (after `before-send`). */
  readonly text: string;
  /** `sending` (the create request is out), `sent` (its run started), `failed` (refused or unreachable). */
  readonly status: 'sending' | 'sent' | 'failed';
  /** The run it started (`sent`), else null. */
  readonly runId: string | null;
  /** Why it was not sent (`failed`), else null. */
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
  /**
   * The user's messages not (yet) shown by a run of their own (see `PendingTurn`): the one being
   * sent or that failed, and the current run's while it has no user turn; oldest first.
   */
  readonly $pending: ReadableAtom<readonly PendingTurn[]>;
  /** Where reading the thread back stands. */
  readonly $restore: ReadableAtom<RestoreState>;
  /** Where saving to the options' `threadStore` stands (`idle` without one). */
  readonly $save: ReadableAtom<SaveState>;
  /**
   * Send a user message: start a run in the thread with `prompt: text` (plus the options' `body` and
   * `body` here). Resolves with the new run, now current; rejects with a ConversationError (nothing
   * sent) or the run API's TransportError (the create request failed; never re-sent).
   */
  send(text: string, body?: Record<string, unknown>): Promise<RunHandle>;
  /**
   * Retry from here: send again the user's message that preceded the turn `turnKey` (a `Turn`'s
   * `key`, `<run id>/<message id>`), as a new run in the thread (like `send`, same refusals), with
   * the `body` its own `send` had (a message read back from the backend or a store has only the
   * options' `body`).
   * Rejects with a ConversationError `unknown_turn` or `no_user_turn` (nothing sent).
   */
  retry(turnKey: string): Promise<RunHandle>;
  /** Read the thread's history from the backend; a run that has not ended becomes the current run. */
  restore(): Promise<void>;
  /** Be told of every run a `send` started; returns the unsubscribe function. */
  onStart(listener: (run: RunHandle) => void): () => void;
  /** Stop: abort a restore, disconnect the current run (it keeps going on the server). */
  dispose(): void;
}

/** A thrown value as a typed error (a ThreadStoreError or TransportError keeps its code). */
function typedError(thrown: unknown): TypedError<string> {
  if (typeof thrown === 'object' && thrown !== null) {
    const { code, message } = thrown as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && typeof message === 'string') return { code, message };
  }
  return { code: 'unknown', message: thrown instanceof Error ? thrown.message : String(thrown) };
}

/** A sent message the backend never echoed, as a turn of its run. */
function userTurn(pending: PendingTurn): Turn {
  const runId = pending.runId ?? '';
  return { key: turnKey(runId, pending.key), runId, messageId: pending.key, role: 'user', text: pending.text };
}

/** A new thread id: `th_` + 96 random bits in hex. */
export function newThreadId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return `th_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Make a conversation (nothing is fetched until `send` or `restore`). */
export function createConversation(options: ConversationOptions): Conversation {
  const { threadId = newThreadId(), body: baseBody, threadStore: store, ...runOptions } = options;
  const $history = atom<readonly Turn[]>([]);
  const $run = atom<RunHandle | undefined>(undefined);
  const $sending = atom(false);
  const $pending = atom<readonly PendingTurn[]>([]);
  const drop = (turn: PendingTurn): void => $pending.set($pending.get().filter((p) => p !== turn));
  let sends = 0;
  /** Stops watching the current run for the server's user turn. */
  let unwatch: () => void = () => undefined;
  const $restore = atom<RestoreState>({ status: 'idle', error: null });
  const $save = atom<SaveState>({ status: 'idle', error: null });
  /** Stops watching the current run's end (to save). */
  let unwatchEnd: () => void = () => undefined;
  /** Every turn of the thread as shown: history, the current run's unechoed message, the current run's turns. */
  const allTurns = (): Turn[] => {
    const run = $run.get();
    if (!run) return [...$history.get()];
    const asked = $pending
      .get()
      .filter((p) => p.status === 'sent' && p.runId === run.runId)
      .map(userTurn);
    return [...$history.get(), ...asked, ...turnsOf(run.$state.get(), run.runId)];
  };
  /** Saves run one after another, the last one wins. */
  let saving: Promise<void> = Promise.resolve();
  const save = (): void => {
    if (!store || over()) return;
    const turns = allTurns();
    $save.set({ status: 'saving', error: null });
    saving = saving.then(async () => {
      try {
        await store.save(threadId, turns);
        $save.set({ status: 'saved', error: null });
      } catch (error) {
        $save.set({ status: 'failed', error: typedError(error) });
      }
    });
  };
  /** Save when `run` ends. */
  const saveAtEnd = (run: RunHandle): void => {
    unwatchEnd();
    let done = false;
    unwatchEnd = run.store.$status.subscribe((status) => {
      if (done || (status !== 'done' && status !== 'failed' && status !== 'cancelled')) return;
      done = true;
      save();
    });
  };
  const listeners = new Set<(run: RunHandle) => void>();
  /** The per-send `body` of each run this conversation started, for `retry`. */
  const sentBodies = new Map<string, Record<string, unknown>>();
  /** Aborted by `dispose()`: stops a restore, and marks the conversation as over. */
  const life = new AbortController();
  /** Read anew after every await (the conversation may be disposed meanwhile). */
  const over = (): boolean => life.signal.aborted;

  const refuse = (code: ConversationErrorCode, message: string): Promise<never> =>
    Promise.reject(new ConversationError(code, message));

  const conversation: Conversation = {
    threadId,
    $history,
    $run,
    $sending,
    $pending,
    $restore,
    $save,

    async send(text, body) {
      if (over()) return refuse('disposed', 'the conversation was disposed');
      if (text.trim() === '') return refuse('empty_message', 'the message is empty');
      if ($sending.get()) return refuse('sending', 'another message is being sent');
      const current = $run.get();
      if (current && isRunActive(current))
        return refuse('run_active', 'the current run has not ended: stop it or wait for it');
      $sending.set(true);
      const key = `pending-${++sends}`;
      const sending: PendingTurn = { key, text, status: 'sending', runId: null, error: null };
      // A message that failed before is replaced by this one; the current run's unechoed one stays.
      $pending.set([...$pending.get().filter((p) => p.status === 'sent'), sending]);
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
          unwatch();
          const own = turnsOf(previous.$state.get(), previous.runId);
          const asked = $pending
            .get()
            .filter((p) => p.status === 'sent' && p.runId === previous.runId)
            .map(userTurn);
          $history.set([...$history.get(), ...asked, ...own]);
          previous.disconnect();
        }
        if (body) sentBodies.set(run.runId, body);
        const sent: PendingTurn = { key, text, status: 'sent', runId: run.runId, error: null };
        $pending.set([sent]);
        // The server's own user turn replaces the optimistic one (same frame: never both, never neither).
        let echoed = false;
        let roles: unknown = null;
        unwatch = run.$state.subscribe((state) => {
          // The roles map is a new value only when a message declares a role: checked then, not per token.
          if (echoed || state.roles === roles) return;
          roles = state.roles;
          if (![...state.roles.values()].includes('user')) return;
          echoed = true;
          drop(sent);
        });
        $run.set(run);
        save();
        saveAtEnd(run);
        for (const listener of listeners) listener(run);
        return run;
      } catch (error) {
        if (!over()) {
          const failure = error instanceof ConversationError ? error : toTransportError(error);
          const failed: PendingTurn = {
            key,
            text,
            status: 'failed',
            runId: null,
            error: { code: failure.code, message: failure.message },
          };
          $pending.set($pending.get().map((p) => (p === sending ? failed : p)));
        }
        throw error;
      } finally {
        $sending.set(false);
      }
    },

    retry(key) {
      if (over()) return refuse('disposed', 'the conversation was disposed');
      const turns = allTurns();
      const at = turns.findIndex((turn) => turn.key === key);
      if (at < 0) return refuse('unknown_turn', `no turn of this conversation has the key "${key}"`);
      const asked = turns.slice(0, at + 1).findLast((turn) => turn.role === 'user');
      if (!asked) return refuse('no_user_turn', 'no user message precedes this turn: there is nothing to send again');
      return conversation.send(asked.text, sentBodies.get(asked.runId));
    },

    async restore() {
      if (over()) return;
      $restore.set({ status: 'loading', error: null });
      if (store) {
        try {
          const turns = await store.load(threadId);
          if (over()) return;
          // A message sent meanwhile wins: the kept turns go before the history it made.
          if (!$run.get()) $history.set([...turns]);
          else $history.set([...turns, ...$history.get()]);
          $restore.set({ status: 'loaded', error: null });
        } catch (error) {
          if (!over()) $restore.set({ status: 'failed', error: typedError(error) });
        }
        return;
      }
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
      unwatch();
      unwatchEnd();
      $run.get()?.disconnect();
    },
  };
  return conversation;
}
