/** `GET /events?after=N[&wait=S][&limit=L]`: a page of events, long-polling until one exists. */
import { MAX_POLL_WAIT_S } from '../../protocol/index.ts';
import type { LogTail, RunLog } from '../log.ts';
import { DEFAULT_EVENTS_LIMIT, MAX_EVENTS_LIMIT } from '../limits.ts';
import type { RunView } from '../run-view.ts';
import type { StoredEvent } from '../stored-event.ts';
import type { ConnectionSet } from './connections.ts';
import type { FeedTap, TapOutput } from './feed.ts';
import { intParam, numberParam } from './params.ts';
import type { ServerRequest } from './request.ts';

/** The query of a poll request, validated. */
export interface PollQuery {
  readonly after: number;
  /** Seconds to wait for a first event (0 = answer at once). */
  readonly waitS: number;
  readonly limit: number;
}

/** Read `after`, `wait` and `limit`; throws HttpError 400 naming the bad one. */
export function parsePollQuery(query: URLSearchParams): PollQuery {
  return {
    after: intParam(query, 'after', { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 0,
    waitS: Math.min(numberParam(query, 'wait', { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 0, MAX_POLL_WAIT_S),
    limit: intParam(query, 'limit', { min: 1, max: MAX_EVENTS_LIMIT }) ?? DEFAULT_EVENTS_LIMIT,
  };
}

/**
 * The page JSON, from each event's cached wire JSON. `last_seq` is the seq of the last event the
 * page covers (the run's last seq when there is none after the cursor) and `state` the run's
 * state as of that event, so a page cut short by `limit` never claims the run is over.
 */
export function eventsPageJson(
  runId: string,
  records: readonly StoredEvent[],
  cursor: number,
  view: RunView,
  tap: FeedTap | undefined,
): string {
  const items: string[] = [];
  let covered = records.length;
  if (tap) {
    const flags = { cut: false };
    const out: TapOutput = {
      write: (record) => items.push(record.json),
      writeRaw: (raw) => items.push(raw.pageItem),
      cut: () => {
        flags.cut = true;
      },
      pause: () => undefined,
    };
    tap.start?.(out);
    covered = flags.cut ? 0 : tap.process(records, out);
  } else {
    for (const record of records) items.push(record.json);
  }
  view.absorb(records);
  // An empty page answers with the run's last seq, a page cut before its first event with the cursor.
  const lastSeq = covered > 0 ? records[covered - 1]!.seq : records.length > 0 ? Math.max(cursor, 0) : view.lastSeq;
  const state = covered > 0 ? view.stateAt(lastSeq) : view.current;
  return `{"run_id":${JSON.stringify(runId)},"events":[${items.join(',')}],"last_seq":${lastSeq},"state":${JSON.stringify(state)}}`;
}

/** Everything one poll answer needs. */
export interface PollOptions {
  readonly request: ServerRequest;
  readonly log: RunLog;
  readonly connections: ConnectionSet;
  readonly runId: string;
  readonly query: PollQuery;
  /** True when the run had ended when the request came. */
  readonly finished: boolean;
  /** The run's view, caught up to at least `query.after` (or to its end). */
  readonly view: RunView;
  readonly tap?: FeedTap | undefined;
}

/**
 * Answer a poll: at once when events exist after the cursor, the run ended or no wait was asked;
 * otherwise as soon as one arrives (in the same turn: the page holds what exists then), or with
 * an empty page when the wait runs out. Resolves with the page JSON, or undefined when the
 * client went away or the connection was cut.
 */
export async function pollPage(options: PollOptions): Promise<string | undefined> {
  const { request, log, runId, query, view } = options;
  const first = await log.read(runId, query.after, query.limit);
  if (first.length > 0 || options.finished || query.waitS === 0)
    return eventsPageJson(runId, first, query.after, view, options.tap);
  return new Promise((resolve, reject) => {
    let tail: LogTail | undefined = log.tail(runId, query.after);
    let settled = false;
    const forget = options.connections.add(
      {
        kill: () => {
          finish(undefined);
          request.destroy();
        },
      },
      runId,
    );
    const onAbort = (): void => finish(undefined);
    request.signal.addEventListener('abort', onAbort, { once: true });
    function finish(page: string | undefined, error?: Error): void {
      if (settled) return;
      settled = true;
      tail?.close();
      tail = undefined;
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onAbort);
      forget();
      if (error) reject(error);
      else resolve(page);
    }
    const answer = (): void => {
      if (settled || !tail) return;
      if (tail.error) {
        finish(undefined, tail.error);
        return;
      }
      finish(eventsPageJson(runId, tail.peek(query.limit), query.after, view, options.tap));
    };
    const check = (): void => {
      if (settled || !tail) return;
      if (tail.peek(1).length > 0 || tail.finished || tail.error) answer();
      else tail.onReady(check);
    };
    const timer = setTimeout(answer, query.waitS * 1000);
    if (request.signal.aborted) finish(undefined);
    else check();
  });
}
