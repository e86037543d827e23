/** The pure parts of conversations: the composer's view state and the turns of runs and threads. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { composerView, type ComposerInput } from '../../src/components/run-composer/composer-model.ts';
import { initialState, reduceAll, turnsOf, turnsOfThread } from '../../src/store/index.ts';

const base: ComposerInput = { conversation: true, sending: false, status: null, connection: null, pendingInputs: 0 };

describe('composerView', () => {
  it('is ready with a conversation and no live run; unavailable without one', () => {
    assert.deepEqual(composerView(base), { phase: 'ready', canSend: true, canStop: false, reason: '' });
    assert.equal(composerView({ ...base, conversation: false }).phase, 'unavailable');
    assert.equal(composerView({ ...base, conversation: false }).canSend, false);
  });

  it('streams (stop offered, no send) until the run ends; a failed connection frees it', () => {
    for (const status of ['idle', 'queued', 'running'] as const) {
      const view = composerView({ ...base, status, connection: 'open' });
      assert.deepEqual([view.phase, view.canSend, view.canStop], ['streaming', false, true], status);
    }
    for (const status of ['done', 'failed', 'cancelled'] as const)
      assert.equal(composerView({ ...base, status, connection: 'closed' }).phase, 'ready', status);
    assert.equal(composerView({ ...base, status: 'running', connection: 'failed' }).phase, 'ready');
  });

  it('waits, saying why, while the run asks; sending says so too', () => {
    const waiting = composerView({ ...base, status: 'waiting', connection: 'open', pendingInputs: 1 });
    assert.deepEqual(waiting, {
      phase: 'waiting',
      canSend: false,
      canStop: true,
      reason: 'The agent is waiting for your answer above.',
    });
    assert.deepEqual(composerView({ ...base, sending: true }), {
      phase: 'sending',
      canSend: false,
      canStop: false,
      reason: 'Sending…',
    });
  });
});

describe('turns', () => {
  it("turnsOf gives each message of a run with its role, the assistant's by default", () => {
    const state = reduceAll(initialState('r1'), [
      { type: 'message', message_id: 'u1', role: 'user', content: 'Hi', seq: 1 },
      { type: 'token', content: 'Hel', message_id: 'm1', seq: 2 },
      { type: 'token', content: 'lo', message_id: 'm1', seq: 3 },
    ]);
    assert.deepEqual(turnsOf(state), [
      { key: 'r1/u1', runId: 'r1', messageId: 'u1', role: 'user', text: 'Hi' },
      { key: 'r1/m1', runId: 'r1', messageId: 'm1', role: 'assistant', text: 'Hello' },
    ]);
  });

  it('turnsOfThread leaves out the run shown live; keys stay unique across runs', () => {
    const thread = {
      thread_id: 't',
      runs: [],
      messages: [
        { message_id: 'u1', run_id: 'r1', role: 'user' as const, text: 'a' },
        { message_id: 'u1', run_id: 'r2', role: 'user' as const, text: 'b' },
      ],
    };
    assert.deepEqual(
      turnsOfThread(thread).map((t) => t.key),
      ['r1/u1', 'r2/u1'],
    );
    assert.deepEqual(
      turnsOfThread(thread, 'r2').map((t) => t.text),
      ['a'],
    );
  });
});
