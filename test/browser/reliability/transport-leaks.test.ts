/**
 * Leaks: 1,000 reconnect cycles (200 in `npm test`) of every transport, and of the run API
 * (`connectRun` disconnect / reconnect, then subscribe / unsubscribe), leave no timer, listener,
 * socket, stream reader or fetch behind in the page, no connection or run listener on the server,
 * and no growing heap (measured after forced GC at 100 cycles and at the end).
 */
import { installProbes, reliabilityConfig, report, serverConnections, serverListeners, settle } from './probes.ts';
import { describeFigures, leakCheck, type LeakFigures } from './leak-check.ts';
import { expect } from '@open-wc/testing';
import { connectRun, type RunHandle } from '../../../src/run/index.ts';
import { createOrderedSink, createRunStore, type RunStore } from '../../../src/store/index.ts';
import { createTransport, type Transport, type TransportName } from '../../../src/transports/index.ts';
import { mockServerUrl, startMockRun } from '../helpers/mock-server.ts';

installProbes();

const TRANSPORTS: TransportName[] = ['sse', 'websocket', 'poll', 'hybrid', 'auto'];
const FAST_RETRY = { initialDelayMs: 5, maxDelayMs: 50 };
const figures: LeakFigures[] = [];

/** Count transitions into `open`; resolve `next()` at the next one. */
function opens(store: RunStore): { next(): Promise<void>; stop(): void } {
  let count = 0;
  let last = store.$connection.get().status;
  const waiters: [number, () => void][] = [];
  const stop = store.$connection.listen((c) => {
    if (c.status === 'open' && last !== 'open') {
      count++;
      for (const [at, wake] of waiters.splice(0)) if (count >= at) wake();
    }
    last = c.status;
  });
  return {
    next: () => new Promise<void>((resolve) => waiters.push([count + 1, resolve])),
    stop,
  };
}

/** A run waiting on its question: connections stay open and idle, so every cycle is a pure reconnect. */
async function waitingRun(): Promise<string> {
  return startMockRun({ scenario: 'agent', speed: 0 });
}

async function serverClean(runId: string): Promise<void> {
  await settle(
    async () => (await serverConnections(runId)) === 0 && (await serverListeners(runId)) === 0,
    `the server to drop every connection of ${runId}`,
  );
}

function until(store: RunStore, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const stop = store.$state.subscribe(() => {
      if (!predicate()) return;
      queueMicrotask(() => stop());
      resolve();
    });
  });
}

describe('leaks: transports', function () {
  let cycles = 200;
  before(async () => {
    cycles = (await reliabilityConfig()).cycles;
  });
  after(async () => {
    await report(['', 'leak figures (heap after forced GC):', ...figures.map(describeFigures)]);
  });

  for (const name of TRANSPORTS) {
    it(`${name}: reconnect() cycles leave nothing behind`, async function () {
      this.timeout(60_000 + cycles * 200);
      const f = await leakCheck<{
        runId: string;
        store: RunStore;
        transport: Transport;
        controller: AbortController;
        watch: ReturnType<typeof opens>;
      }>({
        name: `${name} transport.reconnect()`,
        cycles,
        async setup() {
          const runId = await waitingRun();
          const store = createRunStore(runId);
          const controller = new AbortController();
          const watch = opens(store);
          const opened = watch.next();
          const transport = createTransport(name, {
            baseUrl: await mockServerUrl(),
            runId,
            sink: createOrderedSink(store),
            signal: controller.signal,
            retry: FAST_RETRY,
          });
          await opened;
          await until(store, () => store.$state.get().pendingInput !== null);
          return { runId, store, transport, controller, watch };
        },
        async cycle({ transport, watch }) {
          const reopened = watch.next();
          transport.reconnect();
          await reopened;
        },
        async teardown({ controller, watch, store }) {
          watch.stop();
          controller.abort();
          // Derived stores let go of $state after nanostores' unmount delay.
          await settle(() => store.$state.lc === 0, 'no store listener left');
        },
        extra: ({ runId }) => serverClean(runId),
      });
      figures.push(f);
    });
  }

  for (const name of ['auto', 'sse'] as const) {
    it(`${name}: connectRun disconnect()/reconnect() cycles, then the last unsubscribe, leave nothing behind`, async function () {
      this.timeout(60_000 + cycles * 200);
      const f = await leakCheck<{ handle: RunHandle; watch: ReturnType<typeof opens>; unsubscribe: () => void }>({
        name: `${name} connectRun disconnect/reconnect`,
        cycles,
        async setup() {
          const runId = await waitingRun();
          const handle = connectRun({ baseUrl: await mockServerUrl(), runId, transport: name, retry: FAST_RETRY });
          const watch = opens(handle.store);
          const opened = watch.next();
          const unsubscribe = handle.$state.listen(() => undefined);
          await opened;
          return { handle, watch, unsubscribe };
        },
        async cycle({ handle, watch }) {
          handle.disconnect();
          expect(handle.$connected.get()).to.equal(false);
          const reopened = watch.next();
          handle.reconnect();
          await reopened;
        },
        async teardown({ handle, watch, unsubscribe }) {
          watch.stop();
          unsubscribe();
          // The connection closes once nanostores unmounts the store (after its unmount delay).
          await settle(() => !handle.$connected.get(), 'the last unsubscribe to close the connection');
          await settle(() => handle.$state.lc === 0, 'no store listener left');
        },
        extra: async ({ handle }) => serverClean(handle.runId),
      });
      figures.push(f);
    });
  }
});
