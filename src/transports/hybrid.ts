/**
 * `hybrid`: the seed's stack — a WebSocket control plane (every event but tokens, plus commands)
 * and an SSE token plane (`/tokens`) feeding one ordered sink, so events apply in seq order
 * whichever plane brings them. Each plane reconnects on its own; the store shows one combined
 * connection state. Replies and cancel go over the control plane.
 */
import type { ConnectionState } from '../store/index.ts';
import { resolveContext, type AdapterHooks } from './context.ts';
import type { TransportError } from './errors.ts';
import { resnapshot } from './http.ts';
import { createSseTransport } from './sse.ts';
import { failsFast } from './session.ts';
import type { Transport, TransportOptions } from './types.ts';
import { createWebSocketTransport } from './websocket.ts';

type Plane = 'control' | 'tokens';

/** The connection state of two planes as one: failed wins, then reconnecting, connecting, open; closed when both are. */
export function combineStates(a: ConnectionState, b: ConnectionState, name: string): ConnectionState {
  const both = [a, b];
  const live = both.filter((s) => s.status !== 'closed');
  const pick = (status: ConnectionState['status']): ConnectionState | undefined =>
    both.find((s) => s.status === status);
  const worst = pick('failed') ?? pick('reconnecting') ?? pick('connecting') ?? pick('idle');
  const status = worst?.status ?? (live.length > 0 ? 'open' : 'closed');
  return {
    status,
    transport: name,
    attempt: Math.max(a.attempt, b.attempt),
    error: worst?.error ?? (status === 'open' || status === 'closed' ? null : (a.error ?? b.error)),
  };
}

/** Create the `hybrid` transport. */
export function createHybridTransport(options: TransportOptions, hooks: AdapterHooks = {}): Transport {
  const context = resolveContext(options);
  const { sink, signal } = context;
  const planes = new AbortController();
  const stopPlanes = (): void => planes.abort(signal.reason);
  signal.addEventListener('abort', stopPlanes, { once: true });
  // Both planes feed the run's one ordered sink. A gap is not resumed by a plane alone (the missing
  // event may be the other plane's to bring): the sink waits, then rebuilds from a snapshot.
  sink.attach({ signal: planes.signal, rebuild: () => resnapshot(context, planes.signal) });

  const report = hooks.report ?? ((patch: Partial<ConnectionState>) => sink.connection(patch));
  const idle: ConnectionState = { status: 'idle', transport: null, attempt: 0, error: null };
  const states: Record<Plane, ConnectionState> = { control: idle, tokens: idle };
  const ended: Record<Plane, boolean> = { control: false, tokens: false };
  /** Each plane's connection opened at least once: the stack works only when both did. */
  const opened: Record<Plane, boolean> = { control: false, tokens: false };
  const live = (): boolean => opened.control && opened.tokens;
  /** A plane failed for good: the stack's state stays what it reported then (the other plane's stop is not news). */
  let failed = false;
  let endControl: () => void = () => undefined;
  /** Resolves when the control plane's loop ended (it delivered `done`, failed, or was stopped). */
  const controlEnded = new Promise<void>((resolve) => (endControl = resolve));

  const planeHooks = (plane: Plane): AdapterHooks => ({
    recoveredByParent: true,
    // Auto's fallback applies to the stack, not to a plane: once both planes opened, a plane cut
    // before its first message reconnects instead of handing the whole stack over.
    ...(hooks.failFast !== undefined && { failFast: () => failsFast(hooks.failFast) && !live() }),
    report(patch) {
      if (failed) return;
      if (patch.status === 'open') opened[plane] = true;
      states[plane] = { ...states[plane], ...patch };
      report(combineStates(states.control, states.tokens, 'hybrid'));
    },
    onEnd(error: TransportError | null) {
      ended[plane] = true;
      if (plane === 'control') endControl();
      if (error) {
        // One plane gave up: the other alone cannot carry the run. `auto` hands over to its next
        // candidate unless both planes had opened (a server without the token plane is not hybrid).
        signal.removeEventListener('abort', stopPlanes);
        failed = true;
        planes.abort(error);
        hooks.onEnd?.(error, live());
      } else if (ended.control && ended.tokens && !signal.aborted && !planes.signal.aborted) {
        hooks.onEnd?.(null, live());
      }
    },
  });

  const planeOptions: TransportOptions = { ...options, signal: planes.signal };
  delete planeOptions.initialResponse;
  const control = createWebSocketTransport(planeOptions, { ...planeHooks('control'), plane: 'control' });
  const tokens = createSseTransport(planeOptions, { ...planeHooks('tokens'), endpoint: 'tokens', controlEnded });

  return {
    name: 'hybrid',
    reply: (answer) => control.reply(answer),
    cancel: () => control.cancel(),
    reconnect() {
      control.reconnect();
      tokens.reconnect();
    },
  };
}
