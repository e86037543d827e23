import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectionText, endReason, progressView } from '../../src/components/run-progress/progress-view.ts';
import type { RunEvent } from '../../src/protocol/index.ts';
import { initialState, reduceAll } from '../../src/store/index.ts';
import { autoCandidates } from '../../src/transports/auto.ts';

const after = (...events: RunEvent[]) => reduceAll(initialState('r1'), events);
const view = (...events: RunEvent[]) => {
  const state = after(...events);
  return progressView({ ...state, reason: endReason(state) });
};

describe('progressView: how a run ended', () => {
  it('done is 100 % with a final message, whatever the last step said', () => {
    const v = view(
      { type: 'progress', pct: 40, message: 'Searching…' },
      { type: 'done', state: 'completed', result: 'deployed' },
    );
    assert.deepEqual([v.label, v.pct, v.message, v.result], ['Done', 100, 'Finished', 'deployed']);
    const final = view(
      { type: 'progress', pct: 100, message: 'All 5 steps done' },
      { type: 'done', state: 'completed' },
    );
    assert.equal(final.message, 'All 5 steps done', 'a message given at 100 % is the final message');
  });

  it('failed and cancelled keep the last percentage and say why', () => {
    const failed = view(
      { type: 'progress', pct: 35, message: 'Compiling' },
      { type: 'error', message: 'The compiler crashed' },
      { type: 'done', state: 'failed' },
    );
    assert.deepEqual(
      [failed.pct, failed.message, failed.valueText],
      [35, 'Failed: The compiler crashed', '35%, Failed: The compiler crashed'],
    );
    const cancelled = view({ type: 'progress', pct: 60 }, { type: 'done', state: 'cancelled', result: 'cancelled' });
    assert.deepEqual(
      [cancelled.label, cancelled.pct, cancelled.message, cancelled.result],
      ['Cancelled', 60, 'Stopped before it finished', null],
    );
    const reason = view({ type: 'done', state: 'cancelled', finish_reason: 'user_stopped' });
    assert.equal(reason.message, 'Stopped: user_stopped');
  });

  it("shows a JSON result as compact JSON, bounded, and the server's state word as the label", () => {
    assert.equal(view({ type: 'done', state: 'completed', result: { files: 42 } }).result, '{"files":42}');
    const long = view({ type: 'done', state: 'completed', result: 'x'.repeat(1000) }).result!;
    assert.equal(long.length, 301);
    assert.equal(view({ type: 'status', state: 'running', label: 'searching' }).label, 'Searching');
    assert.equal(view({ type: 'status', state: 'waiting', label: 'paused' }).label, 'Waiting for input');
  });
});

describe('connectionText', () => {
  const reconnecting = { status: 'reconnecting', transport: 'websocket', attempt: 2, error: null } as const;
  it('says a question still awaits an answer when it reconnects meanwhile', () => {
    assert.equal(
      connectionText(reconnecting, 'waiting', true, true),
      'Reconnecting… (attempt 2) Your answer is still awaited.',
    );
    assert.equal(connectionText(reconnecting, 'running', true, false), 'Reconnecting… (attempt 2)');
  });
});

describe('autoCandidates: only the endpoints configured, hybrid when both planes are', () => {
  it('tries agentwire’s own endpoints when no path is given', () => {
    assert.deepEqual(autoCandidates(undefined), ['hybrid', 'websocket', 'sse', 'poll']);
    assert.deepEqual(autoCandidates({}), ['hybrid', 'websocket', 'sse', 'poll']);
  });
  it('tries only what is configured, hybrid first when the socket and the token stream are', () => {
    assert.deepEqual(autoCandidates({ stream: '/api/tasks/{id}/stream' }), ['sse'], 'never the default socket');
    assert.deepEqual(autoCandidates({ snapshot: '/api/tasks/{id}' }), ['poll']);
    assert.deepEqual(autoCandidates({ socket: '/ws/runs/{id}', tokens: '/api/runs/{id}/tokens' }), [
      'hybrid',
      'websocket',
    ]);
    assert.deepEqual(autoCandidates({ socket: '/ws/agent/{id}', stream: '/s/{id}', snapshot: '/t/{id}' }), [
      'websocket',
      'sse',
      'poll',
    ]);
  });
});
