/**
 * `poll`: the snapshot first, then `events?after=<last seq>` with long-polling (`wait=`); a server
 * that answers at once with nothing gets polled at an interval that backs off while nothing
 * happens. A plain server's task JSON (no seq, no events endpoint) is polled as snapshots.
 * Commands go by POST. A request that outlives its wait by the heartbeat bound is abandoned and
 * retried.
 */
import { decodeEventsPage, ProtocolError, type DecodedSnapshot, type EventsPage } from '../protocol/index.ts';
import { runFinished, startAdapter } from './adapter.ts';
import { postCancel, postReply } from './commands.ts';
import { resolveContext, runUrl, type AdapterHooks, type TransportContext } from './context.ts';
import { protocolViolation, TransportError } from './errors.ts';
import { fetchSnapshot, inFrame, readJson, request } from './http.ts';
import type { Attempt, ConnectionEnd } from './session.ts';
import { sleep } from './timers.ts';
import type { Transport, TransportOptions } from './types.ts';

const TERMINAL = new Set(['done', 'failed', 'cancelled']);

/** A plain task API is polled at least this often during the first seconds (a short task shows its progress). */
export const FAST_POLL_MS = 250;
/** How long the fast polling of a plain task API lasts, from the first answer. */
export const FAST_POLL_PHASE_MS = 5_000;

/** Create the `poll` transport. */
export function createPollTransport(options: TransportOptions, hooks: AdapterHooks = {}): Transport {
  const context = resolveContext(options);
  const { sink } = context;
  let snapshotTaken = false;

  const connect = async (attempt: Attempt): Promise<ConnectionEnd> => {
    let idle = context.poll.intervalMs;
    const bound = (waitS: number): void =>
      attempt.watch(
        waitS * 1000 + context.heartbeatTimeoutMs,
        () =>
          new TransportError('heartbeat_timeout', `no answer within ${waitS} s + ${context.heartbeatTimeoutMs} ms`, {
            retryable: true,
          }),
      );
    const rest = async (changed: boolean): Promise<void> => {
      idle = changed ? context.poll.intervalMs : Math.min(context.poll.maxIntervalMs, idle * 2);
      if (!changed) await sleep(context.clock, idle, attempt.signal);
    };

    // Set once this connection had an answer (a snapshot, or the first page below).
    let answered = false;
    if (!snapshotTaken || sink.cursor.sequenced === false) {
      let firstAnswer: number | null = null;
      for (;;) {
        bound(0);
        const decoded = await fetchTask(context, attempt.signal);
        attempt.opened();
        answered = true;
        attempt.live();
        attempt.activity();
        if (decoded === 'failed') return 'finished';
        const { snapshot, sequenced } = decoded;
        snapshotTaken = true;
        const changed = sink.snapshot(snapshot, sequenced);
        // An agentwire server: events after the snapshot come from the events endpoint below.
        if (sequenced) break;
        // A plain task API: there is nothing but the snapshot to poll, at an interval (it does not
        // hold requests): fast in the first seconds, then backing off while nothing changes.
        if (TERMINAL.has(snapshot.state)) return 'finished';
        firstAnswer ??= context.clock.now();
        const fast = context.clock.now() - firstAnswer < FAST_POLL_PHASE_MS;
        idle = fast
          ? Math.min(FAST_POLL_MS, context.poll.intervalMs)
          : changed
            ? context.poll.intervalMs
            : Math.min(context.poll.maxIntervalMs, Math.max(idle, context.poll.intervalMs) * 2);
        await sleep(context.clock, idle, attempt.signal);
        if (attempt.signal.aborted) throw attempt.signal.reason;
      }
    }

    // A reconnect (no snapshot taken on this connection) asks for its first page without waiting, so
    // it shows `open` as soon as the server answers, not when a long-poll on a quiet run runs out.
    while (!attempt.signal.aborted) {
      const waitS = answered ? context.poll.waitS : 0;
      bound(waitS);
      const started = context.clock.now();
      const page = await fetchPage(context, sink.cursor.lastSeq, waitS, attempt.signal);
      attempt.opened();
      attempt.live();
      attempt.activity();
      for (const error of page.errors) sink.error(error);
      for (const event of page.events) sink.event(event);
      sink.flush();
      if (runFinished(context) || (TERMINAL.has(page.state) && page.events.length === 0)) return 'finished';
      if (!answered) {
        answered = true;
        if (page.events.length === 0) continue;
      }
      const held = context.clock.now() - started >= Math.min(1000, (waitS * 1000) / 2);
      await rest(page.events.length > 0 || (waitS > 0 && held));
    }
    throw attempt.signal.reason;
  };

  /**
   * GET the run's snapshot. A plain task API that answers `{"error": …}` (even with a 200) for its
   * task has failed it: shown as the run failing with that reason, and polling stops.
   */
  const fetchTask = async (context: TransportContext, signal: AbortSignal): Promise<DecodedSnapshot | 'failed'> => {
    try {
      return await fetchSnapshot(context, signal, context.query, 'poll');
    } catch (error) {
      const cause = error instanceof TransportError ? error.cause : undefined;
      if (!(cause instanceof ProtocolError) || cause.code !== 'server_error' || sink.cursor.sequenced === true)
        throw error;
      sink.event({ type: 'error', message: cause.message, code: cause.code, retryable: false });
      sink.event({ type: 'done', state: 'failed', finish_reason: cause.code });
      sink.flush();
      return 'failed';
    }
  };

  const session = startAdapter(context, hooks, { name: 'poll', plane: 'poll', connect, resume: () => undefined });

  return {
    name: 'poll',
    reply: (answer) => postReply(context, answer),
    cancel: () => postCancel(context),
    reconnect: () => session.reconnect(),
  };
}

/** GET one page of events after `after`. */
async function fetchPage(
  context: TransportContext,
  after: number,
  waitS: number,
  signal: AbortSignal,
): Promise<EventsPage & { errors: ProtocolError[] }> {
  const { tap } = context;
  const response = await request({
    url: runUrl(context, 'events', { ...context.query, after, ...(waitS > 0 && { wait: waitS }) }),
    headers: context.headers,
    signal,
    tap: { tap, plane: 'poll' },
  });
  return pageOf(context, await readJson(response, tap && ((text) => tap(inFrame('poll', text, response.status)))));
}

function pageOf(context: TransportContext, json: unknown): EventsPage & { errors: ProtocolError[] } {
  const decoded = (context.decoder?.eventsPage ?? decodeEventsPage)(json, { runId: context.runId });
  if (!decoded.ok) throw protocolViolation(`events page: ${decoded.error.message}`, decoded.error);
  return decoded.value;
}
