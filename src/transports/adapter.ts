/** What every adapter shares besides the session: how it attaches to the run's sink, where it reports, and when a run is over. */
import type { ConnectionState } from '../store/index.ts';
import type { AdapterHooks, TransportContext } from './context.ts';
import { resnapshot } from './http.ts';
import { startSession, type Attempt, type ConnectionEnd, type SessionOptions, type Session } from './session.ts';
import type { WirePlane } from './tap.ts';

/** True once the run ended: a connection that closes then is finished, not cut. */
export function runFinished(context: TransportContext): boolean {
  return context.sink.cursor.finished;
}

/** What an adapter supplies to `startAdapter`. */
export interface AdapterSpec extends Pick<SessionOptions, 'name' | 'serverRetryMs'> {
  /** Hold one connection open, feeding the context's sink, until it ends; throw a TransportError when it fails. */
  connect(attempt: Attempt): Promise<ConnectionEnd>;
  /** How this adapter asks for the events after the cursor when one is missing. */
  resume(session: Session): void;
  /** The plane its connections are on, as the wire tap names it. */
  plane: WirePlane;
}

/**
 * Wire an adapter up: attach it to the run's sink as the one that closes gaps (resume on its
 * connection, rebuild from a snapshot if the gap stays) unless a composite does that, report
 * connection changes to the sink unless the composite takes them, and start the reconnect loop.
 * Everything stops on the context's signal.
 */
export function startAdapter(context: TransportContext, hooks: AdapterHooks, spec: AdapterSpec): Session {
  const { sink } = context;
  let session: Session | null = null;
  if (!hooks.recoveredByParent) {
    sink.attach({
      signal: context.signal,
      resume: () => session && spec.resume(session),
      rebuild: () => resnapshot(context, context.signal),
    });
  }
  const report: (patch: Partial<ConnectionState>) => void = hooks.report ?? ((patch) => sink.connection(patch));
  session = startSession({
    name: spec.name,
    clock: context.clock,
    retry: context.retry,
    signal: context.signal,
    report,
    connect: (attempt) => spec.connect(attempt),
    progress: () => sink.cursor.applied,
    recoverTrimmed: (signal) => resnapshot(context, signal),
    ...(spec.serverRetryMs && { serverRetryMs: spec.serverRetryMs }),
    ...(hooks.failFast !== undefined && { failFast: hooks.failFast }),
    ...(hooks.onEnd && { onEnd: hooks.onEnd }),
    ...(context.tap && { tap: { tap: context.tap, plane: spec.plane } }),
  });
  return session;
}
