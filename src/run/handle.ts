/**
 * One place where a run handle is put together: a store, its reply tracker, and the actions.
 * `connectRun` builds connected handles with it; `createLocalRun` builds handles a page feeds
 * itself (a run played from a script, a recording, or a backend the page talks to on its own).
 */
import { atom, type ReadableAtom } from 'nanostores';
import { createRunStore, type RunStore } from '../store/index.ts';
import { TransportError, type ReplyAck, type TransportName } from '../transports/index.ts';
import { createReplyTracker } from './reply-tracker.ts';
import type { ReplyOptions, RunHandle } from './types.ts';

/** What a handle does with the user's actions. */
export interface RunActions {
  /** Send the answer to the request `resumeToken` once; resolve with the server's acknowledgement. */
  reply(text: string, resumeToken: string): Promise<ReplyAck>;
  /** Stop the run. */
  cancel(): Promise<void>;
  /** Close the connection, leaving the run going. */
  disconnect(): void;
  /** Open the connection again, resuming. */
  reconnect(): void;
}

/** The parts of a handle. */
export interface HandleParts {
  readonly runId: string;
  readonly transport: TransportName;
  readonly store: RunStore;
  readonly $connected: ReadableAtom<boolean>;
  readonly actions: RunActions;
}

/** Put a handle together: replies go through its one ReplyTracker. */
export function assembleHandle({ runId, transport, store, $connected, actions }: HandleParts): RunHandle {
  const tracker = createReplyTracker(store);
  return {
    runId,
    transport,
    store,
    $state: store.$state,
    $connected,
    $replies: tracker.$replies,
    reply(text, options: ReplyOptions = {}) {
      const pending = store.$state.get().pendingInput;
      const token = options.resumeToken ?? pending?.resume_token;
      if (token === undefined) {
        return Promise.reject(new TransportError('rejected', 'there is no pending request to answer'));
      }
      return tracker.send(token, text, () => actions.reply(text, token));
    },
    cancel: () => actions.cancel(),
    disconnect: () => actions.disconnect(),
    reconnect: () => actions.reconnect(),
  };
}

/** Options of `createLocalRun`. */
export interface LocalRunOptions {
  /** The run's id. */
  runId: string;
  /** The store the page feeds (a new one by default). */
  store?: RunStore;
  /** Deliver an answer; rejects with a TransportError when it cannot. Without it, answering is refused. */
  reply?: (text: string, resumeToken: string) => Promise<ReplyAck>;
  /** Stop the run. Without it, cancelling is refused. */
  cancel?: () => Promise<void>;
}

/**
 * A run handle over a store the page feeds itself, with no transport: the elements show it and
 * answer through `reply` exactly as they do for a connected run.
 */
export function createLocalRun(options: LocalRunOptions): RunHandle {
  const refuse = (what: string) => () => Promise.reject(new TransportError('rejected', `this run does not ${what}`));
  return assembleHandle({
    runId: options.runId,
    transport: 'auto',
    store: options.store ?? createRunStore(options.runId),
    $connected: atom(false),
    actions: {
      reply: options.reply ?? refuse('take answers'),
      cancel: options.cancel ?? refuse('take cancel'),
      disconnect: () => undefined,
      reconnect: () => undefined,
    },
  });
}
