/** What every adapter shares besides the session: its sink, where it reports, and when a run is over. */
import type { ConnectionState } from '../store/index.ts';
import type { AdapterHooks, TransportContext } from './context.ts';
import { resnapshot } from './http.ts';
import { startSession, type Attempt, type ConnectionEnd, type SessionOptions, type Session } from './session.ts';
import { createOrderedSink, type EventSink } from './sink.ts';

/** True once the run ended: a connection that closes then is finished, not cut. */
export function runFinished(context: TransportContext): boolean {
  return context.store.$state.get().result !== null;
}

/** An adapter's sink (the composite's, or its own) and its reconnect loop. */
export interface AdapterRuntime {
  readonly sink: EventSink;
  readonly session: Session;
}

/** What an adapter supplies to `startAdapter`. */
export interface AdapterSpec extends Pick<SessionOptions, 'name' | 'serverRetryMs'> {
  /** Hold one connection open, feeding `sink`, until it ends; throw a TransportError when it fails. */
  connect(attempt: Attempt, sink: EventSink): Promise<ConnectionEnd>;
  /** How this adapter asks for the events after the store's last seq when one is missing. */
  resume(runtime: AdapterRuntime): void;
}

/**
 * Wire an adapter up: its own ordered sink (resuming on a gap, rebuilding from a snapshot if the
 * gap stays) unless a composite passes a shared one, connection reports to the store unless the
 * composite takes them, and the reconnect loop. Everything stops on the context's signal.
 */
export function startAdapter(context: TransportContext, hooks: AdapterHooks, spec: AdapterSpec): AdapterRuntime {
  let session: Session | null = null;
  const sink =
    hooks.sink ??
    createOrderedSink({
      store: context.store,
      clock: context.clock,
      gapTimeoutMs: context.gapTimeoutMs,
      onGap: () => session && spec.resume({ sink, session }),
      rebuild: () => resnapshot(context, context.signal),
    });
  if (!hooks.sink) context.signal.addEventListener('abort', () => sink.stop(), { once: true });
  const report: (patch: Partial<ConnectionState>) => void =
    hooks.report ?? ((patch) => context.store.setConnection(patch));
  session = startSession({
    name: spec.name,
    clock: context.clock,
    retry: context.retry,
    signal: context.signal,
    report,
    connect: (attempt) => spec.connect(attempt, sink),
    ...(spec.serverRetryMs && { serverRetryMs: spec.serverRetryMs }),
    ...(hooks.failFast !== undefined && { failFast: hooks.failFast }),
    ...(hooks.onEnd && { onEnd: hooks.onEnd }),
  });
  return { sink, session };
}
