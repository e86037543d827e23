/**
 * `connectRun`: a run's stores plus its actions, connected lazily. The connection opens when the
 * first listener subscribes to the store (nanostores `onStart`/`onMount` on `$state`) and closes
 * when the last one has left (after nanostores' STORE_UNMOUNT_DELAY). A bare `get()` on an
 * unwatched store mounts it for that delay too; it does not open a connection.
 *
 * The run's protocol decides what connects: agentwire's transports with the protocol's decoders
 * (`agentwire`, `plain`), or the stream transport driven by the protocol's session (`ag-ui`,
 * `ai-sdk`, `openai-responses`). A protocol named as a string is loaded before the first connection.
 */
import { atom, onMount, onStart } from 'nanostores';
import { DEFAULT_PATHS, type EndpointPaths } from '../protocol/index.ts';
import { loadProtocol, protocolNow } from '../protocols/registry.ts';
import type { Protocol, StreamProtocol, StreamSession } from '../protocols/types.ts';
import { createOrderedSink, createRunStore, DEFAULT_GAP_TIMEOUT_MS } from '../store/index.ts';
import { postCancel, postReply, type CommandContext } from '../transports/commands.ts';
import { TransportError } from '../transports/errors.ts';
import { createTransport, systemClock, type Transport, type TransportOptions } from '../transports/index.ts';
import type { StreamTransportOptions } from '../transports/stream.ts';
import { assembleHandle } from './handle.ts';
import type { ConnectRunOptions, RunHandle } from './types.ts';

/** Connect a run: returns its handle at once; the connection opens while anything listens. */
export function connectRun(options: ConnectRunOptions): RunHandle {
  return connectWith(options);
}

/** The endpoint templates of a run: agentwire's defaults, under the protocol's, under the caller's. */
export function pathsFor(protocol: Protocol | null, given: Partial<EndpointPaths> | undefined): EndpointPaths {
  return { ...DEFAULT_PATHS, ...(protocol?.kind === 'stream' && protocol.paths), ...given };
}

/** A stream protocol's session for a run. */
export function openSession(
  protocol: StreamProtocol,
  options: Pick<ConnectRunOptions, 'baseUrl' | 'runId' | 'paths' | 'clock'>,
): StreamSession {
  const clock = options.clock ?? systemClock;
  return protocol.session({
    baseUrl: options.baseUrl,
    runId: options.runId,
    paths: pathsFor(protocol, options.paths),
    now: () => clock.now(),
  });
}

/**
 * connectRun, with an already open event-stream response for the first connection (a chat-style
 * start, or a stream protocol's start) and, for a stream protocol, the session that started it.
 */
export function connectWith(
  options: ConnectRunOptions,
  initialResponse?: Response,
  startedSession?: StreamSession,
  streamFactory?: (options: StreamTransportOptions) => Transport,
): RunHandle {
  const {
    transport: name = 'auto',
    protocol: wanted = 'agentwire',
    store: given,
    gapTimeoutMs = DEFAULT_GAP_TIMEOUT_MS,
    ...connection
  } = options;
  const store = given ?? createRunStore(options.runId);
  // The run's one owner of event order: every transport this handle opens feeds it.
  const sink = createOrderedSink(store, options.clock ?? systemClock, gapTimeoutMs, options.tap);
  const $connected = atom(false);
  let live: { transport: Transport; controller: AbortController } | null = null;
  let disconnected = false;
  let pendingResponse = initialResponse;
  let protocol: Protocol | null = protocolNow(wanted);
  let session: StreamSession | null = startedSession ?? null;
  let loading: Promise<void> | null = null;
  /** The stream transport, loaded with the first stream protocol (a page speaking agentwire never loads it). */
  let createStream = streamFactory ?? null;
  let loadingStream: Promise<void> | null = null;

  const transportOptions = (signal: AbortSignal): TransportOptions => {
    const opts: TransportOptions = { ...connection, sink, signal };
    if (pendingResponse) opts.initialResponse = pendingResponse;
    pendingResponse = undefined;
    return opts;
  };
  const commands = (): CommandContext => ({
    baseUrl: options.baseUrl,
    runId: options.runId,
    paths: pathsFor(protocol, options.paths),
    headers: { ...options.headers },
    tap: options.tap,
  });

  const build = (current: Protocol, signal: AbortSignal): Transport => {
    if (current.kind === 'wire') {
      return createTransport(name, { ...transportOptions(signal), decoder: current.decoder });
    }
    if (name !== 'auto' && name !== 'sse') {
      sink.error(
        new TransportError(
          'rejected',
          `the ${current.name} protocol brings its own HTTP streams: transport "${name}" does not apply (its streams are read as sse)`,
        ),
      );
    }
    session ??= openSession(current, options);
    return createStream!({ ...transportOptions(signal), session });
  };

  const open = (): void => {
    if (live || disconnected) return;
    if (!protocol) {
      loading ??= loadProtocol(wanted).then(
        (loaded) => {
          protocol = loaded;
          sync();
        },
        (error: unknown) => {
          loading = null;
          const failure = new TransportError('rejected', error instanceof Error ? error.message : String(error), {
            cause: error,
          });
          sink.error(failure);
          sink.connection({ status: 'failed', error: failure });
        },
      );
      return;
    }
    if (protocol.kind === 'stream' && !createStream) {
      loadingStream ??= import('../transports/stream.ts').then((m) => {
        createStream = m.createStreamTransport;
        sync();
      });
      return;
    }
    const controller = new AbortController();
    live = { controller, transport: build(protocol, controller.signal) };
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

  /** A stream protocol answers only through its session (its answers start the run's next stream). */
  const streaming = (): boolean => protocol?.kind === 'stream';
  const notConnected = (what: string): Promise<never> =>
    Promise.reject(
      new TransportError('not_delivered', `not connected: ${what} was not sent (nothing shows this run)`, {
        retryable: true,
      }),
    );

  return assembleHandle({
    runId: options.runId,
    transport: name,
    protocol: typeof wanted === 'string' ? wanted : wanted.name,
    store,
    $connected,
    actions: {
      // Not connected: answer over REST (agentwire servers).
      reply: (answer) =>
        live ? live.transport.reply(answer) : streaming() ? notConnected('the answer') : postReply(commands(), answer),
      cancel: () => (live ? live.transport.cancel() : streaming() ? notConnected('cancel') : postCancel(commands())),
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
