import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent } from '../../src/protocol/index.ts';
import { createReplyTracker } from '../../src/run/index.ts';
import { createRunStore, initialState, reduceAll, toSnapshot } from '../../src/store/index.ts';
import { TransportError, type ReplyAck } from '../../src/transports/index.ts';

const waitingEvents = (): RunEvent[] => [
  { type: 'status', state: 'running', run_id: 'r1', seq: 1 },
  { type: 'need_input', prompt: 'Deploy?', resume_token: 'T1', choices: ['yes', 'no'], run_id: 'r1', seq: 2 },
  { type: 'status', state: 'waiting', run_id: 'r1', seq: 3 },
];
const accepted: RunEvent = { type: 'input_accepted', resume_token: 'T1', run_id: 'r1', seq: 4 };

/** A store waiting for the answer to T1, and its tracker. */
function waiting(events = waitingEvents()) {
  const store = createRunStore('r1');
  store.applyAll(events);
  return { store, tracker: createReplyTracker(store) };
}

/** A send whose acknowledgement the test settles. */
function deferred(): { send: () => Promise<ReplyAck>; ack(value: ReplyAck): void; fail(error: unknown): void } {
  let ack: (value: ReplyAck) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const promise = new Promise<ReplyAck>((resolve, reject) => {
    ack = resolve;
    fail = reject;
  });
  return { send: () => promise, ack, fail };
}

const status = (tracker: ReturnType<typeof createReplyTracker>, token = 'T1') =>
  tracker.$replies.get().get(token)?.status;

describe('ReplyTracker', () => {
  it('tracks a send as sending, and marks it accepted on input_accepted (which also clears the pending request)', async () => {
    const { store, tracker } = waiting();
    const send = deferred();
    const done = tracker.send('T1', { text: 'yes' }, send.send);
    assert.equal(status(tracker), 'sending');
    store.apply(accepted);
    assert.equal(status(tracker), 'accepted', 'the server confirmation wins, however it arrived');
    assert.equal(store.$state.get().pendingInput, null);
    assert.equal(store.$state.get().status, 'running');
    send.ack('accepted');
    await done;
    assert.equal(status(tracker), 'accepted');
  });

  it("settles a plain server's request once the reply is delivered (no input_accepted there)", async () => {
    const plain = createRunStore('t-1');
    plain.applyAll([
      { type: 'status', state: 'running' },
      { type: 'need_input', prompt: 'Deploy?', resume_token: 'abc' },
    ]);
    assert.equal(plain.$state.get().status, 'waiting');
    const tracker = createReplyTracker(plain);
    const send = deferred();
    const done = tracker.send('abc', { text: 'yes' }, send.send);
    assert.equal(plain.$state.get().pendingInput?.resume_token, 'abc', 'still pending while sending');
    send.ack('delivered');
    await done;
    assert.equal(status(tracker, 'abc'), 'sent');
    assert.equal(plain.$state.get().pendingInput, null);
    assert.equal(plain.$state.get().status, 'running');

    const { store, tracker: sequenced } = waiting();
    await sequenced.send('T1', { text: 'yes' }, () => Promise.resolve('delivered'));
    assert.notEqual(store.$state.get().pendingInput, null, 'agentwire servers confirm with input_accepted');
  });

  it('a snapshot confirms a reply the client sent before a reconnect', async () => {
    const { store, tracker } = waiting();
    const lost = tracker.send('T1', { text: 'yes' }, () =>
      Promise.reject(new TransportError('not_delivered', 'the connection closed before the server confirmed')),
    );
    await assert.rejects(lost, (e: unknown) => e instanceof TransportError && e.code === 'not_delivered');
    assert.equal(status(tracker), 'undelivered');
    const server = toSnapshot(reduceAll(initialState('r1'), [...waitingEvents(), accepted]));
    store.applySnapshot(server);
    assert.equal(status(tracker), 'accepted');
    assert.equal(store.$state.get().pendingInput, null);
  });

  it('the server confirmation wins over a failed send path (input_accepted while the POST failed)', async () => {
    const { store, tracker } = waiting();
    await tracker.send('T1', { text: 'yes' }, () => {
      store.apply(accepted);
      return Promise.reject(new TransportError('network', 'answer lost', { retryable: true }));
    });
    assert.equal(status(tracker), 'accepted');
  });

  it('goes sending → accepted, one store update each', async () => {
    const { tracker } = waiting();
    const seen: string[] = [];
    const stop = tracker.$replies.subscribe((replies) => {
      const reply = replies.get('T1');
      if (reply) seen.push(reply.status);
    });
    await tracker.send('T1', { text: 'yes' }, () => Promise.resolve('accepted'));
    stop();
    assert.deepEqual(seen, ['sending', 'accepted']);
  });

  it('a refusal is rejected; any other failure is undelivered; neither is re-sent', async () => {
    const { tracker } = waiting();
    let sends = 0;
    const refused = tracker.send('T1', { text: 'yes' }, () => {
      sends++;
      return Promise.reject(new TransportError('rejected', 'stale', { status: 409, serverCode: 'stale_resume_token' }));
    });
    await assert.rejects(refused, (e: unknown) => e instanceof TransportError && e.serverCode === 'stale_resume_token');
    assert.equal(status(tracker), 'rejected');
    const offline = tracker.send('T1', { text: 'yes' }, () => {
      sends++;
      return Promise.reject(new TypeError('Failed to fetch'));
    });
    await assert.rejects(offline, (e: unknown) => e instanceof TransportError && e.code === 'not_delivered');
    assert.equal(status(tracker), 'undelivered');
    assert.equal(sends, 2, 'each send goes out exactly once');
  });

  it('refuses a second answer to a request the server already confirmed, keeping the first answer', async () => {
    const { store, tracker } = waiting();
    await tracker.send('T1', { text: 'yes' }, () => Promise.resolve('accepted'));
    store.apply(accepted);
    let sent = false;
    await assert.rejects(
      tracker.send('T1', { text: 'no' }, () => {
        sent = true;
        return Promise.resolve('accepted');
      }),
      (e: unknown) => e instanceof TransportError && e.code === 'rejected',
    );
    assert.equal(sent, false, 'nothing leaves');
    assert.equal(tracker.$replies.get().get('T1')?.text, 'yes');
    assert.equal(status(tracker), 'accepted');
  });

  it('a newer send supersedes an older one still on its way (stale results are dropped)', async () => {
    const { tracker } = waiting();
    const first = deferred();
    const second = deferred();
    const one = tracker.send('T1', { text: 'yes' }, first.send);
    const two = tracker.send('T1', { text: 'no' }, second.send);
    second.fail(new TransportError('rejected', 'nope'));
    await assert.rejects(two);
    first.ack('accepted');
    await one;
    const reply = tracker.$replies.get().get('T1');
    assert.equal(reply?.text, 'no');
    assert.equal(reply.status, 'rejected', 'the older send settling later does not overwrite the newer one');
  });

  it('refuses an answer over the length limit before sending it', async () => {
    const { tracker } = waiting();
    let sent = false;
    await assert.rejects(
      tracker.send('T1', { text: 'y'.repeat(16 * 1024 + 1) }, () => {
        sent = true;
        return Promise.resolve('accepted');
      }),
      (e: unknown) => e instanceof TransportError && e.code === 'rejected' && e.status === 413,
    );
    assert.equal(sent, false);
    assert.equal(status(tracker), 'rejected');
  });

  it('tracks several requests independently', async () => {
    const { tracker } = waiting();
    await tracker.send('A', { text: 'yes' }, () => Promise.resolve('accepted'));
    await assert.rejects(
      tracker.send('B', { text: 'no' }, () => Promise.reject(new TransportError('rejected', 'stale'))),
    );
    assert.equal(status(tracker, 'A'), 'accepted');
    assert.equal(status(tracker, 'B'), 'rejected');
  });
});
