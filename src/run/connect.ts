/**
 * `connectRun`: a run's stores plus its actions, connected lazily. The connection opens when the
 * first listener subscribes to the store (nanostores `onStart`/`onMount` on `$state`) and closes
 * when the last one has left (after nanostores' STORE_UNMOUNT_DELAY). A bare `get()` on an
 * unwatched store mounts it for that delay too; it does not open a connection.
 */
import { atom, onMount, onStart } from 'nanostores';
import { createRunStore } from '../store/index.ts';
import { DEFAULT_PATHS } from '../protocol/index.ts';
import {
  createTransport,
  postCancel,
  postReply,
  trackReply,
  TransportError,
  type CommandContext,
  type Transport,
  type TransportOptions,
} from '../transports/index.ts';
import type { ConnectRunOptions, RunHandle } from './types.ts';

/** Connect a run: returns its handle at once; the connection opens while anything listens. */
export function connectRun(options: ConnectRunOptions): RunHandle {
  return connectWith(options);
}

/** connectRun, with an already open event-stream response for the first SSE connection (a chat-style start). */
export function connectWith(options: ConnectRunOptions, initialResponse?: Response): RunHandle {
  const transportName = options.transport ?? 'auto';
  const store = options.store ?? createRunStore(options.runId);
  const $connected = atom(false);
  let live: { transport: Transport; controller: AbortController } | null = null;
  let disconnected = false;
  let pendingResponse = initialResponse;

  const transportOptions = (signal: AbortSignal): TransportOptions => {
    const { transport: _name, store: _store, ...rest } = options;
    const opts: TransportOptions = { ...rest, store, signal };
    if (pendingResponse) opts.initialResponse = pendingResponse;
    pendingResponse = undefined;
    return opts;
  };
  const commands: CommandContext = {
    baseUrl: options.baseUrl,
    runId: options.runId,
    paths: { ...DEFAULT_PATHS, ...options.paths },
    headers: { ...options.headers },
  };

  const open = (): void => {
    if (live || disconnected) return;
    const controller = new AbortController();
    live = { controller, transport: createTransport(transportName, transportOptions(controller.signal)) };
    $connected.set(true);
  };
  const close = (): void => {
    if (!live) return;
    const { controller } = live;
    live = null;
    controller.abort();
    $connected.set(false);
  };
  /** Open only for real listeners: `get()` on an unwatched store mounts it without one. */
  const sync = (): void => {
    if (store.$state.lc > 0) open();
  };
  onStart(store.$state, () => queueMicrotask(sync));
  onMount(store.$state, () => {
    queueMicrotask(sync);
    return close;
  });

  return {
    runId: options.runId,
    transport: transportName,
    store,
    $state: store.$state,
    $connected,
    reply(text) {
      const pending = store.$state.get().pendingInput;
      if (!pending) return Promise.reject(new TransportError('rejected', 'there is no pending request to answer'));
      if (live) return live.transport.reply(text, pending.resume_token);
      // Not connected: answer over REST (agentwire servers), tracked the same way.
      return trackReply(store, text, pending.resume_token, () => postReply(commands, text, pending.resume_token));
    },
    cancel() {
      return live ? live.transport.cancel() : postCancel(commands);
    },
    disconnect() {
      disconnected = true;
      close();
    },
    reconnect() {
      disconnected = false;
      const state = store.$state.get().connection.status;
      if (live && state !== 'failed' && state !== 'closed') {
        live.transport.reconnect();
        return;
      }
      close();
      sync();
    },
  };
}
