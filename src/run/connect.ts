/**
 * `connectRun`: a run's stores plus its actions, connected lazily. The connection opens when the
 * first listener subscribes to the store (nanostores `onStart`/`onMount` on `$state`) and closes
 * when the last one has left (after nanostores' STORE_UNMOUNT_DELAY). A bare `get()` on an
 * unwatched store mounts it for that delay too; it does not open a connection.
 */
import { atom, onMount, onStart } from 'nanostores';
import { DEFAULT_PATHS } from '../protocol/index.ts';
import { createOrderedSink, createRunStore, DEFAULT_GAP_TIMEOUT_MS } from '../store/index.ts';
import { postCancel, postReply, type CommandContext } from '../transports/commands.ts';
import { createTransport, systemClock, type Transport, type TransportOptions } from '../transports/index.ts';
import { assembleHandle } from './handle.ts';
import type { ConnectRunOptions, RunHandle } from './types.ts';

/** Connect a run: returns its handle at once; the connection opens while anything listens. */
export function connectRun(options: ConnectRunOptions): RunHandle {
  return connectWith(options);
}

/** connectRun, with an already open event-stream response for the first SSE connection (a chat-style start). */
export function connectWith(options: ConnectRunOptions, initialResponse?: Response): RunHandle {
  const { transport: name = 'auto', store: given, gapTimeoutMs = DEFAULT_GAP_TIMEOUT_MS, ...connection } = options;
  const store = given ?? createRunStore(options.runId);
  // The run's one owner of event order: every transport this handle opens feeds it.
  const sink = createOrderedSink(store, options.clock ?? systemClock, gapTimeoutMs, options.tap);
  const $connected = atom(false);
  let live: { transport: Transport; controller: AbortController } | null = null;
  let disconnected = false;
  let pendingResponse = initialResponse;

  const transportOptions = (signal: AbortSignal): TransportOptions => {
    const opts: TransportOptions = { ...connection, sink, signal };
    if (pendingResponse) opts.initialResponse = pendingResponse;
    pendingResponse = undefined;
    return opts;
  };
  const commands: CommandContext = {
    baseUrl: options.baseUrl,
    runId: options.runId,
    paths: { ...DEFAULT_PATHS, ...options.paths },
    headers: { ...options.headers },
    tap: options.tap,
  };

  const open = (): void => {
    if (live || disconnected) return;
    const controller = new AbortController();
    live = { controller, transport: createTransport(name, transportOptions(controller.signal)) };
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

  return assembleHandle({
    runId: options.runId,
    transport: name,
    store,
    $connected,
    actions: {
      // Not connected: answer over REST (agentwire servers).
      reply: (answer) => (live ? live.transport.reply(answer) : postReply(commands, answer)),
      cancel: () => (live ? live.transport.cancel() : postCancel(commands)),
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
    },
  });
}
