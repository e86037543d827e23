/**
 * `auto`: tries hybrid, WebSocket, SSE, then polling against agentwire's endpoints — or, when `paths`
 * are given, only the endpoints given, hybrid first when both its planes are (see
 * `autoCandidates`). A candidate that fails before it ever proved live — a socket that cannot open
 * or whose first messages do not decode, an SSE answer that is buffered (headers but no byte
 * within the open bound), any error — hands over to the next; the first one that proves live is
 * kept and does its own reconnecting from then on. The last candidate retries retryable failures
 * with backoff rather than giving up. The store's connection state names the live candidate.
 */
import type { ConnectionState } from '../store/index.ts';
import { resolveContext, type AdapterHooks } from './context.ts';
import { TransportError } from './errors.ts';
import { createHybridTransport } from './hybrid.ts';
import { createPollTransport } from './poll.ts';
import { createSseTransport } from './sse.ts';
import type { Transport, TransportName, TransportOptions } from './types.ts';
import { createWebSocketTransport } from './websocket.ts';

/**
 * The order `auto` tries transports in against agentwire's own endpoints (no `paths` given): both
 * planes of the hybrid stack are there, so hybrid first — it works with an agentwire server and
 * with a tutorial one whose socket carries everything but the tokens — then one socket, SSE, polling.
 */
export const AUTO_ORDER: readonly Exclude<TransportName, 'auto'>[] = ['hybrid', 'websocket', 'sse', 'poll'];

/**
 * The transports `auto` tries, in order. With no `paths`, agentwire's endpoints (AUTO_ORDER). With
 * paths, only the endpoints given: hybrid when both its planes are (`socket` and `tokens`), then
 * the socket, the stream, and the snapshot or events endpoint for polling.
 */
export function autoCandidates(paths: TransportOptions['paths']): Exclude<TransportName, 'auto'>[] {
  const given = Object.entries(paths ?? {}).filter(([, value]) => typeof value === 'string' && value !== '');
  if (given.length === 0) return [...AUTO_ORDER];
  const has = (key: string): boolean => given.some(([name]) => name === key);
  const candidates: Exclude<TransportName, 'auto'>[] = [];
  if (has('socket') && has('tokens')) candidates.push('hybrid');
  if (has('socket')) candidates.push('websocket');
  if (has('stream')) candidates.push('sse');
  if (has('snapshot') || has('events')) candidates.push('poll');
  return candidates.length > 0 ? candidates : [...AUTO_ORDER];
}

/** Create the `auto` transport. */
export function createAutoTransport(options: TransportOptions, hooks: AdapterHooks = {}): Transport {
  const context = resolveContext(options);
  const { sink, signal } = context;
  const report = hooks.report ?? ((patch: Partial<ConnectionState>) => sink.connection(patch));
  const candidates = autoCandidates(options.paths);
  let index = 0;
  let active: Transport | null = null;
  let lastError: TransportError | null = null;

  const tryNext = (): void => {
    if (signal.aborted) return;
    const name = candidates[index++];
    if (name === undefined) {
      const error = lastError ?? new TransportError('network', 'no transport could connect', { retryable: true });
      report({ status: 'failed', error });
      hooks.onEnd?.(error, false);
      return;
    }
    const candidate = new AbortController();
    const stop = (): void => candidate.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    let retired = false;
    const candidateHooks: AdapterHooks = {
      // The last candidate has nothing to hand over to: it retries retryable failures (a 503 at
      // page load) like the plain transport would, instead of failing the run for good.
      failFast: index < candidates.length,
      report(patch) {
        // A failure is reported by onEnd below, once it is known whether another candidate follows.
        if (retired || patch.status === 'failed') return;
        report({ ...patch, transport: name });
      },
      onEnd(error, live) {
        if (error && !live && !retired) {
          // Never proved live: hand over to the next candidate.
          retired = true;
          lastError = error;
          signal.removeEventListener('abort', stop);
          candidate.abort(error);
          tryNext();
          return;
        }
        if (error) report({ status: 'failed', error, transport: name });
        hooks.onEnd?.(error, live);
      },
    };
    const candidateOptions: TransportOptions = { ...options, signal: candidate.signal };
    if (name !== 'sse') delete candidateOptions.initialResponse;
    active =
      name === 'hybrid'
        ? createHybridTransport(candidateOptions, candidateHooks)
        : name === 'websocket'
          ? createWebSocketTransport(candidateOptions, candidateHooks)
          : name === 'sse'
            ? createSseTransport(candidateOptions, { ...candidateHooks, firstByteTimeoutMs: context.openTimeoutMs })
            : createPollTransport(candidateOptions, candidateHooks);
  };

  tryNext();

  const current = (): Transport => {
    if (active) return active;
    throw new TransportError('not_delivered', 'no transport is connected', { retryable: true });
  };
  return {
    name: 'auto',
    reply: async (answer) => current().reply(answer),
    cancel: async () => current().cancel(),
    reconnect: () => active?.reconnect(),
  };
}
