/** `GET /events?after=N[&wait=S][&limit=L]`: a page of events, long-polling until one exists. */
import type { ServerResponse } from 'node:http';
import { MAX_POLL_WAIT_S, type RunState } from '../src/protocol/index.ts';
import type { ConnectionSet } from './connections.ts';
import type { Faults } from './faults.ts';
import { DEFAULT_EVENTS_LIMIT, MALFORMED_WS_MESSAGE, MAX_EVENTS_LIMIT } from './limits.ts';
import { intParam, numberParam } from './params.ts';
import { sendJsonText } from './respond.ts';
import type { Run } from './run.ts';

/** The query of a poll request, validated. */
export interface PollQuery {
  after: number;
  /** Seconds to wait for a first event (0 = answer at once). */
  waitS: number;
  limit: number;
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
 * The page JSON, built from each event's cached wire JSON. `last_seq` is the seq of the last
 * event in the page (the run's last seq when empty) and `state` the run's state as of that
 * event, so a truncated page never claims the run is over. Faults shape the items as they shape
 * a stream: cut short, duplicated, reordered in windows, one left out, one malformed item.
 */
export function eventsPageJson(run: Run, query: PollQuery, faults: Faults): string {
  const start = Math.min(query.after, run.events.length);
  const limit = faults.closeAfter === undefined ? query.limit : Math.min(query.limit, faults.closeAfter);
  const end = Math.min(run.events.length, start + limit);
  if (faults.closeAfter !== undefined && end < Math.min(run.events.length, start + query.limit))
    run.countFault('close_after');
  const records = run.events.slice(start, end);
  if (faults.reorder !== undefined) {
    for (let i = 0; i < records.length; i += faults.reorder) {
      const window = records.slice(i, i + faults.reorder);
      if (window.length < 2) continue;
      records.splice(i, window.length, ...window.reverse());
      run.countFault('reorder');
    }
  }
  const items: string[] = [];
  let sent = 0;
  let gapMade = false;
  for (const record of records) {
    if (faults.gapAfter !== undefined && !gapMade && sent === faults.gapAfter) {
      gapMade = true;
      run.countFault('gap');
      continue;
    }
    items.push(record.json);
    sent++;
    if (faults.duplicateEvery !== undefined && sent % faults.duplicateEvery === 0) {
      items.push(record.json);
      run.countFault('duplicate');
    }
    if (faults.malformedAfter !== undefined && sent === faults.malformedAfter) {
      items.push(JSON.stringify(MALFORMED_WS_MESSAGE));
      run.countFault('malformed');
    }
  }
  const last = end > start ? run.events[end - 1]! : undefined;
  const lastSeq = last ? last.event.seq : run.lastSeq;
  const state: RunState = last ? run.stateAfter(last.event.seq) : run.state;
  return `{"run_id":${JSON.stringify(run.id)},"events":[${items.join(',')}],"last_seq":${lastSeq},"state":${JSON.stringify(state)}}`;
}

/** Answer a poll: at once when events exist after the cursor, the run ended or no wait was asked; otherwise when one arrives or the wait runs out. */
export function servePoll(
  res: ServerResponse,
  run: Run,
  query: PollQuery,
  faults: Faults,
  connections: ConnectionSet,
): void {
  const ready = (): boolean => run.events.length > query.after || run.closed;
  let waitTimer: NodeJS.Timeout | undefined;
  let delayTimer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  const forget = connections.add({ kill: () => res.socket?.destroy() ?? res.destroy() }, run.id);
  const cleanup = (): void => {
    unsubscribe?.();
    unsubscribe = undefined;
    if (waitTimer !== undefined) clearTimeout(waitTimer);
    if (delayTimer !== undefined) clearTimeout(delayTimer);
    forget();
  };
  res.on('close', cleanup);
  const answer = (): void => {
    cleanup();
    if (!res.destroyed) sendJsonText(res, 200, eventsPageJson(run, query, faults));
  };
  const wait = (): void => {
    delayTimer = undefined;
    if (res.destroyed) return;
    if (ready() || query.waitS === 0) {
      answer();
      return;
    }
    unsubscribe = run.subscribe(() => {
      if (ready()) answer();
    });
    waitTimer = setTimeout(answer, query.waitS * 1000);
  };
  if (faults.delayMs > 0) {
    run.countFault('delay');
    delayTimer = setTimeout(wait, faults.delayMs);
  } else wait();
}
