/** The framework-agnostic run API: lazy connection through nanostores, and the handle's actions. */
import { expect } from '@open-wc/testing';
import { STORE_UNMOUNT_DELAY } from 'nanostores';
import sinon from 'sinon';
import { connectRun, createRun } from '../../../src/run/index.ts';
import { TransportError } from '../../../src/transports/index.ts';
import { mockServerUrl } from '../helpers/mock-server.ts';
import { serverSnapshot, waitFor, waitForEnd } from './helpers.ts';
import { expectServerTruth, FAST_RETRY } from './suite.ts';

/** Resolve once `$connected` equals `value`. */
function connected(
  handle: { $connected: { get(): boolean; listen(cb: (v: boolean) => void): () => void } },
  value: boolean,
): Promise<void> {
  if (handle.$connected.get() === value) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = handle.$connected.listen((v) => {
      if (v !== value) return;
      stop();
      resolve();
    });
  });
}

describe('run API', () => {
  it('createRun starts a run and returns its id', async () => {
    const runId = await createRun({ baseUrl: await mockServerUrl(), body: { scenario: 'quick', speed: 0 } });
    expect(runId).to.be.a('string').and.not.equal('');
    expect((await serverSnapshot(runId)).run_id).to.equal(runId);
  });

  it('createRun rejects with a typed error on 400 and is not retried', async () => {
    const error = await createRun({ baseUrl: await mockServerUrl(), body: { scenario: 'no-such-scenario' } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(TransportError);
    expect((error as TransportError).status).to.equal(400);
  });

  it('opens on the first subscriber, not on get(), and closes after the last leaves (STORE_UNMOUNT_DELAY)', async () => {
    const runId = await createRun({ baseUrl: await mockServerUrl(), body: { scenario: 'agent', speed: 0 } });
    const handle = connectRun({ baseUrl: await mockServerUrl(), runId, transport: 'sse', retry: FAST_RETRY });
    expect(handle.$state.get().connection.status).to.equal('idle');
    await Promise.resolve();
    expect(handle.$connected.get()).to.equal(false);

    const unsubscribe = handle.store.$status.listen(() => undefined);
    await connected(handle, true);
    await waitFor(handle.store, (s) => s.pendingInput !== null && s.connection.status === 'open', 'open');

    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      unsubscribe();
      expect(handle.$connected.get()).to.equal(true);
      // $status (computed) lets go of $state after the delay; $state unmounts one delay later.
      clock.tick(STORE_UNMOUNT_DELAY);
      expect(handle.$connected.get()).to.equal(true);
      clock.tick(STORE_UNMOUNT_DELAY);
    } finally {
      clock.restore();
    }
    expect(handle.$connected.get()).to.equal(false);
    expect(handle.$state.get().connection.status).to.equal('closed');
    expect((await serverSnapshot(runId)).state).to.equal('waiting');
  });

  it('reply uses the pending resume token; disconnect leaves the run; reconnect resumes it', async () => {
    const base = await mockServerUrl();
    const runId = await createRun({ baseUrl: base, body: { scenario: 'agent', speed: 0 } });
    const handle = connectRun({ baseUrl: base, runId, transport: 'websocket', retry: FAST_RETRY });
    const stop = handle.$state.listen(() => undefined);
    await waitFor(handle.store, (s) => s.pendingInput !== null && s.connection.status === 'open', 'need_input');

    handle.disconnect();
    expect(handle.$connected.get()).to.equal(false);
    expect(handle.$state.get().connection.status).to.equal('closed');
    expect((await serverSnapshot(runId)).state).to.equal('waiting');

    handle.reconnect();
    await waitFor(handle.store, (s) => s.connection.status === 'open', 'reopened');
    const token = handle.$state.get().pendingInput!.resume_token;
    await handle.reply('yes');
    expect(handle.$replies.get().get(token)?.status).to.equal('accepted');
    await waitForEnd(handle.store);
    stop();
    await expectServerTruth(handle.store, runId);
  });

  it('cancel while disconnected stops the run over REST', async () => {
    const base = await mockServerUrl();
    const runId = await createRun({ baseUrl: base, body: { scenario: 'agent', speed: 0 } });
    const handle = connectRun({ baseUrl: base, runId, transport: 'poll', retry: FAST_RETRY });
    const stop = handle.$state.listen(() => undefined);
    await waitFor(handle.store, (s) => s.pendingInput !== null, 'need_input');
    handle.disconnect();
    await handle.cancel();
    expect((await serverSnapshot(runId)).state).to.equal('cancelled');
    handle.reconnect();
    const end = await waitForEnd(handle.store);
    stop();
    expect(end.result?.state).to.equal('cancelled');
  });

  it('reply with nothing pending rejects without a request', async () => {
    const handle = connectRun({ baseUrl: await mockServerUrl(), runId: 'run_x', transport: 'poll' });
    const error = await handle.reply('yes').then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as TransportError).code).to.equal('rejected');
  });
});
