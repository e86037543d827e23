/** Helpers of the transport suites: waiting on store states (never sleeping), and the server's truth. */
import { decodeSnapshot, type RunSnapshot } from '../../../src/protocol/index.ts';
import { fullText, toSnapshot, type RunStore, type RunStoreState } from '../../../src/store/index.ts';
import { mockServerUrl } from '../helpers/mock-server.ts';

/** Resolve with the state once `predicate` holds (checked on every store change); reject after `timeoutMs` with the last state. */
export function waitFor(
  store: RunStore,
  predicate: (state: RunStoreState) => boolean,
  what = 'condition',
  timeoutMs = 15_000,
): Promise<RunStoreState> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      unsubscribe();
      const s = store.$state.get();
      reject(
        new Error(
          `timed out waiting for ${what}; status ${s.status}, connection ${JSON.stringify(s.connection)}, lastSeq ${s.lastSeq}`,
        ),
      );
    }, timeoutMs);
    const unsubscribe = store.$state.subscribe((state) => {
      if (done || !predicate(state)) return;
      done = true;
      clearTimeout(timer);
      queueMicrotask(() => unsubscribe());
      resolve(state);
    });
  });
}

/** Wait until the run's `done` arrived and the transport closed. */
export function waitForEnd(store: RunStore): Promise<RunStoreState> {
  return waitFor(
    store,
    (s) => s.result !== null && s.connection.status === 'closed',
    'the run to end and the connection to close',
  );
}

/** Record every connection status the store goes through. */
export function recordStatuses(store: RunStore): { statuses: string[]; stop: () => void } {
  const statuses: string[] = [];
  const stop = store.$connection.subscribe((c) => {
    const label = `${c.status}${c.error ? `:${c.error.code}` : ''}`;
    if (statuses.at(-1) !== label) statuses.push(label);
  });
  return { statuses, stop };
}

/** GET the run's snapshot from the mock server (the server's truth), without the time it was served at. */
export async function serverSnapshot(runId: string): Promise<RunSnapshot> {
  const res = await fetch(`${await mockServerUrl()}/api/runs/${encodeURIComponent(runId)}`);
  const decoded = decodeSnapshot(await res.json(), { runId });
  if (!decoded.ok) throw decoded.error;
  const { server_time: _served, ...run } = decoded.value.snapshot;
  return run;
}

/** The store's state in the server's snapshot shape, for a deep comparison with the server's. */
export function clientSnapshot(store: RunStore): RunSnapshot {
  return JSON.parse(JSON.stringify(toSnapshot(store.$state.get()))) as RunSnapshot;
}

/** The streamed text of the store. */
export function textOf(store: RunStore): string {
  return fullText(store.$state.get().text);
}

/** The server's streamed text (every message, in order). */
export function serverText(snapshot: RunSnapshot): string {
  return snapshot.messages.map((m) => m.text).join('');
}
