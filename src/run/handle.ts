/**
 * One place where a run handle is put together: a store, its reply tracker, and the actions.
 * `connectRun` builds connected handles with it; `createLocalRun` builds handles a page feeds
 * itself (a run played from a script, a recording, or a backend the page talks to on its own).
 */
import { atom, type ReadableAtom } from 'nanostores';
import { createRunStore, type RunStore } from '../store/index.ts';
import { TransportError, type Answer, type ReplyAck, type TransportName } from '../transports/index.ts';
import { createReplyTracker } from './reply-tracker.ts';
import type { ReplyOptions, RunHandle, ToolRenderers } from './types.ts';

/** What a handle does with the user's actions. */
export interface RunActions {
  /** Send an answer once; resolve with the server's acknowledgement. */
  reply(answer: Answer): Promise<ReplyAck>;
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
  /** The protocol's name. */
  readonly protocol: string;
  readonly store: RunStore;
  readonly $connected: ReadableAtom<boolean>;
  readonly actions: RunActions;
}

/** Put a handle together: replies go through its one ReplyTracker. */
export function assembleHandle({ runId, transport, protocol, store, $connected, actions }: HandleParts): RunHandle {
  const tracker = createReplyTracker(store);
  return {
    runId,
    transport,
    protocol,
    store,
    $state: store.$state,
    $connected,
    $replies: tracker.$replies,
    $renderers: atom<ToolRenderers>({}),
    reply(text, options: ReplyOptions = {}) {
      const { pendingInputs } = store.$state.get();
      const request =
        options.resumeToken === undefined
          ? pendingInputs[0]
          : pendingInputs.find((r) => r.resume_token === options.resumeToken);
      if (request === undefined) {
        const which =
          options.resumeToken === undefined ? 'no pending request' : 'no pending request with that resume token';
        return Promise.reject(new TransportError('rejected', `there is ${which} to answer`));
      }
      const deadline = request.expires_at === undefined ? Number.NaN : Date.parse(request.expires_at);
      if (deadline <= store.clock.now()) {
        // A late answer is refused here with a clear message, as the server would refuse it.
        return Promise.reject(
          new TransportError('rejected', `the request expired at ${request.expires_at}: the answer was not sent`, {
            status: 409,
          }),
        );
      }
      const answer: Answer = { request, text, ...(options.value !== undefined && { value: options.value }) };
      return tracker.send(request.resume_token, answer, () => actions.reply(answer));
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
  reply?: (answer: Answer) => Promise<ReplyAck>;
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
    protocol: 'local',
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
