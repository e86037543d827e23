/**
 * Leaks: 1,000 connect/disconnect cycles (200 in `npm test`) of every element — the same
 * instance re-attached, and a fresh instance each cycle — and of `<agent-run>` with all of them
 * inside, over a fed store and over a live connection to the mock server, leave no timer, frame,
 * socket, reader, store listener, event listener or DOM node behind, and no growing heap.
 */
import { installProbes, reliabilityConfig, report, serverConnections, serverListeners, settle } from './probes.ts';
import { describeFigures, leakCheck, type LeakFigures } from './leak-check.ts';
import { html, render } from 'lit';
import { createLocalRun } from '../../../src/run/index.ts';
import '../../../src/components/define.ts';
import type { RunEvent } from '../../../src/protocol/index.ts';
import type { RunHandle } from '../../../src/run/types.ts';
import { createRunStore, type RunStore } from '../../../src/store/index.ts';
import { mockServerUrl, startMockRun } from '../helpers/mock-server.ts';

installProbes();

type EventBody = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'run_id' | 'seq'> : never) : never;
type LitHost = HTMLElement & { run?: RunHandle; updateComplete: Promise<unknown> };

const ELEMENTS = ['token-stream', 'agent-log', 'run-progress', 'approval-prompt'] as const;
const figures: LeakFigures[] = [];

/** A handle over a store fed with a run that exercises every element: text, log rows, a pending question with a countdown. */
function fedRun(): RunHandle {
  const runId = 'r-leaks';
  const store: RunStore = createRunStore(runId);
  const events: EventBody[] = [
    { type: 'status', state: 'running' },
    { type: 'progress', pct: 40, message: 'Working' },
    { type: 'step', name: 'plan', state: 'started' },
    { type: 'tool_call', call_id: 'c1', name: 'search', args: { q: 'x' } },
    { type: 'tool_result', call_id: 'c1', summary: '3 hits', ok: true },
    { type: 'log', level: 'info', message: 'searching' },
    ...Array.from({ length: 30 }, (_, i): EventBody => ({
      type: 'token',
      content: `word${i} `,
      message_id: i < 15 ? 'm1' : 'm2',
    })),
    {
      type: 'need_input',
      prompt: 'Deploy?',
      resume_token: 'T1',
      choices: ['yes', 'no'],
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    },
  ];
  store.applyAll(events.map((e, i) => ({ ...e, run_id: runId, seq: i + 1 })));
  return createLocalRun({ runId, store, reply: () => Promise.resolve('accepted'), cancel: () => Promise.resolve() });
}

const frame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

/** How long an attached element stays before it is removed again. */
type Stay = 'same-task' | 'next-task' | 'settled';

/**
 * Cycle `index`'s stay: every 10th cycle until fully rendered (`updateComplete`, which for the log
 * includes settling over frames, then a frame for rAF-batched work and observers); otherwise the
 * next task (Lit's update ran) or removed in the same task it was added in (before its first
 * update: what frameworks do when they mount and unmount at once).
 */
function stayOf(index: number): Stay {
  if (index % 10 === 0) return 'settled';
  return index % 3 === 1 ? 'same-task' : 'next-task';
}

/** Let attached elements stay `how` long ('same-task' is handled by the caller: no await at all). */
async function stay(elements: LitHost[], how: Exclude<Stay, 'same-task'>): Promise<void> {
  if (how === 'next-task') {
    await new Promise((resolve) => setTimeout(resolve, 0));
    return;
  }
  for (const element of elements) await element.updateComplete;
  await frame();
}

/** Attach, let it (and `stayers`, the elements to wait for) stay, detach. */
async function attachDetach(
  container: HTMLElement,
  element: HTMLElement,
  how: Stay,
  stayers: LitHost[] = [element as LitHost],
): Promise<void> {
  container.append(element);
  // Same task means before the first update: even an `await` of nothing would let Lit's update
  // (a microtask) run first.
  if (how !== 'same-task') await stay(stayers, how);
  element.remove();
}

function storeListeners(run: RunHandle): number {
  return run.store.$state.lc;
}

/** Wait until the detached elements' stores let go of the run (nanostores unmounts them 1 s after their last listener). */
function released(run: RunHandle): Promise<void> {
  return settle(() => storeListeners(run) === 0, 'detached elements to let go of the run');
}

describe('leaks: elements', function () {
  let cycles = 200;
  let container: HTMLElement;
  before(async () => {
    cycles = (await reliabilityConfig()).cycles;
    container = document.createElement('div');
    container.style.cssText = 'position: fixed; top: 0; left: 0; width: 40rem';
    document.body.append(container);
  });
  after(async () => {
    container.remove();
    await report(['', 'element leak figures (heap after forced GC):', ...figures.map(describeFigures)]);
  });

  for (const name of ELEMENTS) {
    it(`<${name}>: the same instance connected and disconnected leaves nothing behind`, async function () {
      this.timeout(60_000 + cycles * 100);
      const run = fedRun();
      figures.push(
        await leakCheck<{ element: LitHost }>({
          name: `<${name}> re-attached`,
          cycles,
          quiet: () => released(run),
          setup() {
            const element = document.createElement(name) as LitHost;
            element.run = run;
            return Promise.resolve({ element });
          },
          cycle: ({ element }, i) => attachDetach(container, element, stayOf(i)),
          async teardown() {
            await settle(() => storeListeners(run) === 0, `<${name}> to let go of the run's stores`);
          },
        }),
      );
    });

    it(`<${name}>: a fresh instance per cycle is collected`, async function () {
      this.timeout(60_000 + cycles * 100);
      const run = fedRun();
      figures.push(
        await leakCheck<null>({
          name: `<${name}> fresh each cycle`,
          cycles,
          quiet: () => released(run),
          setup: () => Promise.resolve(null),
          async cycle(_context, i) {
            const element = document.createElement(name) as LitHost;
            element.run = run;
            await attachDetach(container, element, stayOf(i));
          },
          async teardown() {
            await settle(() => storeListeners(run) === 0, `every <${name}> to let go of the run's stores`);
          },
        }),
      );
    });
  }

  it('<agent-run> with every element inside (context provider and consumers), over a fed store', async function () {
    this.timeout(60_000 + cycles * 100);
    const run = fedRun();
    figures.push(
      await leakCheck<{ tree: HTMLElement }>({
        name: '<agent-run .run> + 4 elements re-attached',
        cycles,
        quiet: () => released(run),
        setup() {
          const holder = document.createElement('div');
          render(
            html`<agent-run .run=${run}
              ><run-progress></run-progress><token-stream></token-stream><agent-log></agent-log
              ><approval-prompt no-autofocus></approval-prompt
            ></agent-run>`,
            holder,
          );
          return Promise.resolve({ tree: holder.firstElementChild as HTMLElement });
        },
        cycle: ({ tree }, i) => attachDetach(container, tree, stayOf(i), [tree, ...tree.children] as LitHost[]),
        async teardown() {
          await settle(() => storeListeners(run) === 0, 'the tree to let go of the run');
        },
      }),
    );
  });

  it('<agent-run base-url run-id> connected to the mock server: attach/detach cycles, then the connection closes', async function () {
    this.timeout(60_000 + cycles * 100);
    const runId = await startMockRun({ scenario: 'agent', speed: 0 });
    const baseUrl = await mockServerUrl();
    figures.push(
      await leakCheck<{ tree: HTMLElement & { handle?: RunHandle } }>({
        name: '<agent-run run-id> (live sse) + 4 elements',
        cycles,
        quiet: async ({ tree }) => (tree.handle ? released(tree.handle) : undefined),
        async setup() {
          const holder = document.createElement('div');
          render(
            html`<agent-run base-url=${baseUrl} run-id=${runId} transport="sse"
              ><run-progress></run-progress><token-stream></token-stream><agent-log></agent-log
              ><approval-prompt no-autofocus></approval-prompt
            ></agent-run>`,
            holder,
          );
          const tree = holder.firstElementChild as HTMLElement & { handle?: RunHandle };
          container.append(tree);
          await (tree as LitHost).updateComplete;
          await settle(
            () => tree.handle !== undefined && tree.handle.$state.get().pendingInput !== null,
            'the live run to show its question',
          );
          tree.remove();
          return { tree };
        },
        cycle: ({ tree }, i) => attachDetach(container, tree, stayOf(i), [tree, ...tree.children] as LitHost[]),
        async teardown({ tree }) {
          // Nothing shows the run any more: the lazy connection closes after nanostores' unmount delay.
          // (A generous bound: it only says how long to wait before failing with the live counts;
          // under a loaded CI machine the close after the unmount delay was seen to take over 10 s.)
          await settle(
            () => tree.handle?.$connected.get() === false,
            'the connection to close once nothing shows the run',
            30_000,
          );
          await settle(() => (tree.handle ? storeListeners(tree.handle) : 0) === 0, 'the tree to let go of the run');
        },
        extra: () =>
          settle(
            async () => (await serverConnections(runId)) === 0 && (await serverListeners(runId)) === 0,
            'the server to see the connection closed',
          ),
      }),
    );
  });

  /**
   * Once a known leak (issue 4): @lit-labs/virtualizer 2.1.1's `virtualize` directive creates and
   * connects its Virtualizer even when it first renders into a disconnected part, leaving a
   * `window` scroll listener that retained every `<agent-log>` removed before its first update
   * (about 17 DOM nodes and 4 listeners per instance after GC); and the log's follow-the-end frame
   * loop, started by a layout event after removal, kept removed instances alive for up to 120
   * frames. `<agent-log>` now renders the virtualizer only while connected, and the loop never
   * runs for a detached element. Every cycle here removes the element before its first update.
   */
  it('<agent-log>: a fresh instance removed in the same task it was added in is collected', async function () {
    this.timeout(60_000 + cycles * 100);
    const run = fedRun();
    figures.push(
      await leakCheck<null>({
        name: '<agent-log> fresh, removed in the same task',
        cycles,
        quiet: () => released(run),
        setup: () => Promise.resolve(null),
        async cycle() {
          const element = document.createElement('agent-log') as LitHost;
          element.run = run;
          await attachDetach(container, element, 'same-task');
        },
        async teardown() {
          await settle(() => storeListeners(run) === 0, 'every <agent-log> to let go of the run');
        },
      }),
    );
  });
});
