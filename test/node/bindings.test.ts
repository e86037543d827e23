/**
 * The framework bindings' logic in Node: the options key, agentwire/vue's composables in an
 * effect scope against the real mock server (SSE), and agentwire/svelte's store typing.
 * React's hooks need a renderer; they are played in Chromium by `npm run test:examples`
 * (production and StrictMode development builds).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { effectScope, nextTick, ref } from 'vue';
import { atom } from 'nanostores';
import { startMockServer, type MockServer } from '../../mock-server/server.ts';
import { runOptionsKey, hasRun } from '../../src/bindings/run-key.ts';
import { createRun } from '../../src/run/index.ts';
import { createRunStore } from '../../src/store/index.ts';
import type { ConnectRunOptions, RunHandle } from '../../src/run/types.ts';
import type { RunStoreState } from '../../src/store/state.ts';
import { useRun, useStore } from '../../src/vue/index.ts';
import { asReadable } from '../../src/svelte/index.ts';

/**
 * Resolve once `run`'s state satisfies `check`, tested on every change of the store (event-driven:
 * no polling). The deadline only turns a hang into a failure naming `what`; it is far beyond
 * what a healthy run takes on a busy machine.
 */
function until(run: RunHandle, check: (state: RunStoreState) => boolean, what: string, ms = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      queueMicrotask(() => unsubscribe());
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(
      () => finish(new Error(`timed out waiting for ${what}; status ${run.$state.get().status}`)),
      ms,
    );
    const unsubscribe = run.$state.subscribe((state) => {
      if (check(state)) finish();
    });
  });
}

describe('runOptionsKey', () => {
  it('is the same for the same options in any key order, and ignores store and clock', () => {
    const a: ConnectRunOptions = {
      baseUrl: 'http://x',
      runId: 'r',
      paths: { stream: '/s', socket: '/w' },
      query: { b: '2', a: '1' },
    };
    const b: ConnectRunOptions = {
      query: { a: '1', b: '2' },
      paths: { socket: '/w', stream: '/s' },
      runId: 'r',
      baseUrl: 'http://x',
      store: createRunStore('r'),
    };
    assert.equal(runOptionsKey(a), runOptionsKey(b));
    assert.notEqual(runOptionsKey(a), runOptionsKey({ ...a, transport: 'poll' }));
    assert.notEqual(runOptionsKey(a), runOptionsKey({ ...a, runId: 'other' }));
  });

  it('names a run only with a non-empty runId', () => {
    assert.equal(hasRun(null), false);
    assert.equal(hasRun(undefined), false);
    assert.equal(hasRun({ baseUrl: '', runId: '' }), false);
    assert.equal(hasRun({ baseUrl: '', runId: 'r' }), true);
  });
});

describe('agentwire/vue', () => {
  let mock: MockServer;
  before(async () => (mock = await startMockServer({ port: 0 })));
  after(() => mock.close());

  it('useRun connects while the scope lives, follows the options, and disconnects on dispose', async () => {
    const runId = ref('');
    const scope = effectScope();
    const refs = scope.run(() =>
      useRun(() => (runId.value ? { baseUrl: mock.url, runId: runId.value, transport: 'sse' } : null)),
    )!;
    // Read through functions: the refs change behind TypeScript's narrowing.
    const run = (): RunHandle | undefined => refs.run.value;
    const state = (): RunStoreState | undefined => refs.state.value;
    assert.equal(run(), undefined, 'no run named, nothing connected');
    assert.equal(state(), undefined);

    runId.value = await createRun({ baseUrl: mock.url, body: { scenario: 'agent', speed: 0 } });
    await nextTick();
    const first = run();
    assert.ok(first, 'a handle for the named run');
    assert.equal(first.runId, runId.value);
    await until(first, (s) => s.status === 'waiting', 'the approval request');
    assert.equal(state()?.status, 'waiting', 'the ref follows the store');
    assert.equal(first.$connected.get(), true);
    assert.equal(state()?.pendingInput?.prompt, 'Deploy to production? (yes/no)');

    await first.reply('yes');
    await until(first, (s) => s.status === 'done', 'the run to finish');
    assert.equal(state()?.status, 'done');

    // Another run: a new handle, the old one disconnected.
    runId.value = await createRun({ baseUrl: mock.url, body: { scenario: 'quick', speed: 0 } });
    await nextTick();
    const second = run();
    assert.ok(second && second !== first);
    assert.equal(first.$connected.get(), false, 'the previous run is disconnected');
    await until(second, (s) => s.status === 'done', 'the second run to finish');
    assert.equal(state()?.status, 'done');
    assert.equal(state()?.runId, second.runId);

    scope.stop();
    assert.equal(second.$connected.get(), false, 'disconnected with the scope');
    assert.equal(run(), undefined);
  });

  it('useStore follows a store (or a getter of one) and unsubscribes on dispose', async () => {
    const $a = atom(1);
    const $b = atom('b');
    const which = ref<'a' | 'b'>('a');
    const scope = effectScope();
    const [direct, picked] = scope.run(
      () => [useStore($a), useStore<number | string>(() => (which.value === 'a' ? $a : $b))] as const,
    )!;
    assert.equal(direct.value, 1);
    $a.set(2);
    assert.equal(direct.value, 2);
    assert.equal(picked.value, 2);
    which.value = 'b';
    await nextTick();
    assert.equal(picked.value, 'b');
    scope.stop();
    assert.equal($a.lc, 0, 'no listener left on $a');
    assert.equal($b.lc, 0, 'no listener left on $b');
  });
});

describe('agentwire/svelte', () => {
  it('asReadable is the store itself, typed as a Svelte Readable', () => {
    const $count = atom(1);
    const readable = asReadable($count);
    assert.equal(readable, $count);
    const seen: number[] = [];
    const stop = readable.subscribe((v) => seen.push(v));
    $count.set(2);
    stop();
    assert.deepEqual(seen, [1, 2], 'called at once with the value, then on each change (the Svelte store contract)');
  });
});
