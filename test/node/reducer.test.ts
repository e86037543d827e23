import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent } from '../../src/protocol/index.ts';
import { AppendList, WriteOnceMap } from '../../src/store/append-list.ts';
import {
  createRunStore,
  fromSnapshot,
  fullText,
  initialState,
  messageText,
  messageTexts,
  reduce,
  reduceAll,
  textSince,
  toSnapshot,
} from '../../src/store/index.ts';

/** An event body without run_id/seq (distributes over the union). */
type Body = RunEvent extends infer E
  ? E extends RunEvent
    ? Omit<E, 'run_id' | 'seq'> & { seq?: number }
    : never
  : never;

let seq = 0;
const ev = (event: Body): RunEvent => ({ run_id: 'r1', ...event, seq: event.seq ?? ++seq });
const tok = (content: string, message_id?: string, s?: number): RunEvent =>
  ev({ type: 'token', content, ...(message_id !== undefined && { message_id }), ...(s !== undefined && { seq: s }) });

/** A full agent flow as the server would send it. */
function agentFlow(): RunEvent[] {
  seq = 0;
  return [
    ev({ type: 'status', state: 'running' }),
    ev({ type: 'step', name: 'plan', state: 'started' }),
    ev({ type: 'tool_call', call_id: 'c1', name: 'search', args: { q: 'x' } }),
    ev({ type: 'log', level: 'info', message: 'searching' }),
    ev({ type: 'tool_result', call_id: 'c1', summary: '3 hits', ok: true }),
    ev({ type: 'progress', pct: 50, message: 'half' }),
    tok('Hello', 'm1'),
    tok(', world', 'm1'),
    ev({ type: 'need_input', prompt: 'Deploy?', resume_token: 'T1', choices: ['yes', 'no'] }),
    ev({ type: 'input_accepted', resume_token: 'T1' }),
    tok('Deployed.', 'm2'),
    ev({ type: 'done', state: 'completed', result: { deployed: true } }),
  ];
}

describe('reduce', () => {
  it('builds status, progress, text, log, pending input and result from a run', () => {
    const events = agentFlow();
    const waiting = reduceAll(initialState(), events.slice(0, 9));
    assert.equal(waiting.status, 'waiting');
    assert.equal(waiting.pendingInput?.resume_token, 'T1');
    assert.deepEqual(waiting.progress, { pct: 50, message: 'half' });

    const state = reduceAll(initialState(), events);
    assert.equal(state.runId, 'r1');
    assert.equal(state.status, 'done');
    assert.equal(state.lastSeq, events.length);
    assert.equal(state.sequenced, true);
    assert.equal(state.pendingInput, null);
    assert.deepEqual(state.result, events.at(-1));
    assert.deepEqual(messageTexts(state.text), [
      ['m1', 'Hello, world'],
      ['m2', 'Deployed.'],
    ]);
    assert.equal(fullText(state.text), 'Hello, worldDeployed.');
    assert.deepEqual(
      [...state.log].map((e) => (e.kind === 'event' ? e.event.type : e.kind)),
      ['step', 'tool_call', 'log', 'tool_result', 'need_input', 'input_accepted'],
    );
    assert.equal(state.toolResults.get('c1')?.summary, '3 hits');
  });

  it('ignores duplicates (seq ≤ last applied) by returning the very same state', () => {
    seq = 0;
    const a = reduce(initialState(), tok('a'));
    const b = reduce(a, tok('b'));
    assert.equal(reduce(b, { ...tok('b'), seq: 2 }), b);
    assert.equal(reduce(b, { ...tok('a'), seq: 1 }), b);
    assert.equal(fullText(b.text), 'ab');
  });

  it('records a gap and applies nothing past it until the missing event arrives', () => {
    seq = 0;
    const s1 = reduce(initialState(), tok('a', undefined, 1));
    const gapped = reduce(s1, tok('c', undefined, 3));
    assert.deepEqual(gapped.resync, { expected: 2, received: 3 });
    assert.equal(gapped.lastSeq, 1);
    assert.equal(fullText(gapped.text), 'a');
    const stillGapped = reduce(gapped, tok('d', undefined, 4));
    assert.deepEqual(stillGapped.resync, { expected: 2, received: 4 });
    const s2 = reduce(stillGapped, tok('b', undefined, 2));
    assert.equal(fullText(s2.text), 'ab');
    assert.notEqual(s2.resync, null, 'still behind the highest seq seen');
    const s4 = reduceAll(s2, [tok('c', undefined, 3), tok('d', undefined, 4)]);
    assert.equal(s4.resync, null);
    assert.equal(fullText(s4.text), 'abcd');
  });

  it('applies unsequenced events (plain servers) in arrival order and says so', () => {
    const state = reduceAll(initialState('t-1'), [
      { type: 'status', state: 'running' },
      { type: 'token', content: 'The' },
      { type: 'token', content: ' end' },
      { type: 'done', state: 'completed', result: 'ok' },
    ]);
    assert.equal(state.sequenced, false);
    assert.equal(state.lastSeq, 0);
    assert.equal(fullText(state.text), 'The end');
    assert.equal(state.status, 'done');
  });

  it('pairs tool results with calls by call_id; plain calls without ids pair in order', () => {
    const state = reduceAll(initialState(), [
      { type: 'tool_call', name: 'a', args: {} },
      { type: 'tool_call', name: 'b', args: {} },
      { type: 'tool_result', summary: 'ra' },
      { type: 'tool_result', summary: 'rb' },
      { type: 'tool_result', call_id: 'nope', summary: 'orphan' },
    ]);
    const calls = [...state.log].flatMap((e) => (e.kind === 'event' && e.event.type === 'tool_call' ? [e.event] : []));
    assert.deepEqual(
      calls.map((c) => [c.name, state.toolResults.get(c.call_id!)?.summary]),
      [
        ['a', 'ra'],
        ['b', 'rb'],
      ],
    );
    assert.equal(state.toolResults.get('nope')?.summary, 'orphan');
  });

  it('never mutates an earlier state (persistent structures copy when branching)', () => {
    seq = 0;
    const base = reduceAll(initialState(), [tok('a'), tok('b')]);
    const left = reduce(base, tok('L', undefined, 3));
    const right = reduce(base, tok('R', undefined, 3));
    assert.equal(fullText(base.text), 'ab');
    assert.equal(fullText(left.text), 'abL');
    assert.equal(fullText(right.text), 'abR');
  });

  it('appends a token without copying the text: chunk storage is shared between states', () => {
    seq = 0;
    let state = initialState();
    for (let i = 0; i < 50_000; i++) state = reduce(state, tok('x'));
    assert.equal(state.text.length, 50_000);
    assert.equal(state.text.chunks.length, 50_000);
    assert.equal(state.text.runs.length, 1);
  });
});

describe('snapshots', () => {
  it('toSnapshot ∘ fromSnapshot is the identity on the server-visible state', () => {
    const state = reduceAll(initialState(), agentFlow());
    const snapshot = toSnapshot(state);
    const rebuilt = fromSnapshot(initialState(), snapshot);
    assert.deepEqual(toSnapshot(rebuilt), snapshot);
    assert.equal(rebuilt.lastSeq, state.lastSeq);
  });

  it('snapshot + events after last_seq equals applying every event', () => {
    const events = agentFlow();
    for (let cut = 0; cut <= events.length; cut++) {
      const snapshot = toSnapshot(reduceAll(initialState(), events.slice(0, cut)));
      const resumed = reduceAll(fromSnapshot(initialState(), snapshot), events);
      assert.deepEqual(toSnapshot(resumed), toSnapshot(reduceAll(initialState(), events)), `cut at ${cut}`);
    }
  });
});

describe('text helpers', () => {
  it('textSince returns only what is new, coalesced per message', () => {
    seq = 0;
    const state = reduceAll(initialState(), [tok('a', 'm1'), tok('b', 'm1'), tok('c', 'm2'), tok('d', 'm1')]);
    assert.deepEqual(textSince(state.text, 0), [
      { messageId: 'm1', content: 'ab', chunkIndex: 0 },
      { messageId: 'm2', content: 'c', chunkIndex: 2 },
      { messageId: 'm1', content: 'd', chunkIndex: 3 },
    ]);
    assert.deepEqual(textSince(state.text, 1), [
      { messageId: 'm1', content: 'b', chunkIndex: 1 },
      { messageId: 'm2', content: 'c', chunkIndex: 2 },
      { messageId: 'm1', content: 'd', chunkIndex: 3 },
    ]);
    assert.deepEqual(textSince(state.text, 4), []);
    assert.equal(messageText(state.text, 'm1'), 'abd');
  });
});

describe('AppendList and WriteOnceMap', () => {
  it('keep each view stable', () => {
    const a = AppendList.empty<number>().push(1).push(2);
    const b = a.push(3);
    const c = a.push(4);
    assert.deepEqual(
      [a.toArray(), b.toArray(), c.toArray()],
      [
        [1, 2],
        [1, 2, 3],
        [1, 2, 4],
      ],
    );
    assert.equal(b.at(-1), 3);
    assert.equal(a.at(2), undefined);
    const m0 = WriteOnceMap.empty<string, number>();
    const m1 = m0.set('x', 1);
    const m2 = m0.set('x', 2);
    assert.deepEqual([m0.get('x'), m1.get('x'), m2.get('x')], [undefined, 1, 2]);
    assert.equal(m1.set('x', 9), m1);
  });
});

describe('createRunStore', () => {
  it('notifies derived stores only when their slice changes, and counts outcomes', () => {
    const store = createRunStore('r1');
    const seen: string[] = [];
    const unsubStatus = store.$status.listen((s) => seen.push(`status:${s}`));
    const unsubText = store.$text.listen((t) => seen.push(`text:${t.length}`));
    seq = 0;
    store.apply(ev({ type: 'status', state: 'running' }));
    store.apply(tok('hey'));
    assert.equal(store.apply({ ...tok('hey'), seq: 2 }), 'duplicate');
    assert.equal(store.apply(tok('x', undefined, 9)), 'gap');
    store.reportError({ code: 'malformed_json', message: 'bad frame' });
    assert.deepEqual(seen, ['status:running', 'text:3']);
    assert.deepEqual(store.stats, { applied: 2, duplicates: 1, gaps: 1, clientErrors: 1 });
    assert.equal(store.$log.get().at(-1)?.kind, 'client_error');
    unsubStatus();
    unsubText();
  });
});

describe('reducer regressions found by fuzzing', () => {
  it('a state rebuilt from a snapshot taken before any status evolves like the server state', () => {
    // The snapshot reports `idle` as `queued`; progress must then promote it to running all the same.
    seq = 0;
    const events = [ev({ type: 'log', level: 'info', message: 'hi' }), ev({ type: 'progress', pct: 10 })];
    const server = reduceAll(initialState('r1'), events);
    const rebuilt = reduce(
      fromSnapshot(initialState('r1'), toSnapshot(reduceAll(initialState('r1'), events.slice(0, 1)))),
      events[1]!,
    );
    assert.equal(server.status, 'running');
    assert.deepEqual(toSnapshot(rebuilt), toSnapshot(server));
    seq = 0;
    assert.equal(
      reduceAll(initialState('r1'), [ev({ type: 'status', state: 'queued' }), ev({ type: 'progress', pct: 1 })]).status,
      'running',
    );
  });

  it('an id-less tool call still open in a snapshot pairs with a later id-less result, as on the server', () => {
    seq = 0;
    const events = [
      ev({ type: 'tool_call', name: 'search', args: {} }),
      ev({ type: 'tool_call', name: 'fetch', args: {} }),
      ev({ type: 'tool_result', summary: 'found' }),
      ev({ type: 'tool_result', summary: 'fetched' }),
    ];
    for (let cut = 1; cut <= events.length; cut++) {
      let rebuilt = fromSnapshot(initialState('r1'), toSnapshot(reduceAll(initialState('r1'), events.slice(0, cut))));
      rebuilt = reduceAll(rebuilt, events.slice(cut));
      const server = reduceAll(initialState('r1'), events);
      assert.deepEqual(toSnapshot(rebuilt), toSnapshot(server), `snapshot after ${cut}`);
      assert.equal(rebuilt.toolResults.get('auto-2')?.summary, 'fetched');
    }
  });
});

describe('reduce: who ends a run, and several open requests', () => {
  const run = (...bodies: Body[]) => {
    seq = 0;
    return reduceAll(initialState('r1'), bodies.map(ev));
  };

  it('a terminal state is set once, by whoever ends the run first, and never overwritten', () => {
    const cancelled = run({ type: 'status', state: 'cancelled' }, { type: 'done', state: 'completed' });
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.result?.state, 'completed', 'the done is still kept (its result is shown)');
    const done = run(
      { type: 'done', state: 'cancelled' },
      { type: 'status', state: 'running' },
      { type: 'done', state: 'completed' },
    );
    assert.equal(done.status, 'cancelled');
    assert.equal(done.result?.state, 'cancelled', 'the first done wins');
    const late = run(
      { type: 'progress', pct: 40, message: 'Searching' },
      { type: 'done', state: 'completed' },
      { type: 'progress', pct: 10 },
    );
    assert.deepEqual(late.progress, { pct: 40, message: 'Searching' }, 'progress after the end is stale');
  });

  it("keeps the server's own state word as the label", () => {
    const planning = run({ type: 'status', state: 'running', label: 'planning' });
    assert.equal(planning.statusLabel, 'planning');
    assert.equal(
      run({ type: 'status', state: 'running', label: 'planning' }, { type: 'status', state: 'running' }).statusLabel,
      null,
    );
  });

  it('several requests stay open at once, each answered on its own, in order', () => {
    const ask = (token: string): Body => ({
      type: 'need_input',
      prompt: `Approve ${token}?`,
      resume_token: token,
      kind: 'approval',
    });
    const both = run({ type: 'status', state: 'running' }, ask('A'), ask('B'));
    assert.deepEqual(
      both.pendingInputs.map((r) => r.resume_token),
      ['A', 'B'],
    );
    assert.equal(both.pendingInput?.resume_token, 'A');
    assert.equal(both.status, 'waiting');
    const oneLeft = reduce(both, ev({ type: 'input_accepted', resume_token: 'B', text: 'yes' }));
    assert.deepEqual(
      oneLeft.pendingInputs.map((r) => r.resume_token),
      ['A'],
    );
    assert.equal(oneLeft.status, 'waiting', 'still waiting for A');
    const none = reduce(oneLeft, ev({ type: 'input_accepted', resume_token: 'A' }));
    assert.deepEqual([none.pendingInputs, none.pendingInput, none.status], [[], null, 'running']);
    assert.equal(none.accepted.get('B')?.text, 'yes', "the server's record of what was answered");
    const replayed = reduce(none, ev(ask('A')));
    assert.deepEqual(replayed.pendingInputs, [], 'a request already answered never reopens');
  });

  it('a request without resume_token gets one made up (local, never sent); automatic and late requests are only logged', () => {
    seq = 0;
    const plain = reduceAll(initialState('t-1'), [
      { type: 'need_input', prompt: 'Confirm deploy?', resume_token: '' },
      { type: 'need_input', prompt: 'Really?', resume_token: '' },
    ]);
    assert.deepEqual(
      plain.pendingInputs.map((r) => [r.resume_token, r.local_token]),
      [
        ['local-1', true],
        ['local-2', true],
      ],
    );
    const automatic = run({ type: 'need_input', prompt: 'Read the file?', resume_token: 'T', automatic: true });
    assert.equal(automatic.pendingInput, null);
    assert.equal(automatic.log.length, 1);
    const late = run(
      { type: 'done', state: 'completed' },
      { type: 'need_input', prompt: 'Too late?', resume_token: 'T' },
    );
    assert.equal(late.pendingInput, null);
    assert.equal(late.log.length, 1);
  });
});

describe('reduce: reasoning, streamed tool arguments, usage, sources, state and turns', () => {
  const run = (...bodies: Body[]) => {
    seq = 0;
    return reduceAll(initialState('r1'), bodies.map(ev));
  };

  it('keeps reasoning apart from the answer, grouped by message, and withdraws a reset message', () => {
    const state = run(
      { type: 'reasoning', content: 'First ', message_id: 'm1' },
      { type: 'reasoning', content: 'thought', message_id: 'm1' },
      { type: 'token', content: 'Answer', message_id: 'm1' },
      { type: 'token', content: 'Other', message_id: 'm2' },
    );
    assert.deepEqual(messageTexts(state.reasoning), [['m1', 'First thought']]);
    assert.equal(fullText(state.text), 'AnswerOther');
    const reset = reduce(state, ev({ type: 'message_reset', message_id: 'm1' }));
    assert.equal(fullText(reset.text), 'Other');
    assert.deepEqual(messageTexts(reset.reasoning), []);
  });

  it('shows a tool call from its first argument piece, and completes it with the final call', () => {
    const streaming = run(
      { type: 'tool_call_delta', call_id: 'c1', name: 'search', delta: '{"q":' },
      { type: 'tool_call_delta', call_id: 'c1', delta: '"docs"}' },
    );
    const stream = streaming.toolStreams.get('c1')!;
    assert.deepEqual({ name: stream.name, args: stream.args }, { name: 'search', args: '{"q":"docs"}' });
    assert.deepEqual(stream.pieces.toArray(), ['{"q":', '"docs"}'], 'the pieces as they arrived');
    assert.equal(streaming.log.length, 1, 'one row, from the first piece');
    const complete = reduce(streaming, ev({ type: 'tool_call', call_id: 'c1', name: 'search', args: { q: 'docs' } }));
    assert.equal(complete.toolStreams.has('c1'), false);
    const calls = complete.log
      .toArray()
      .flatMap((e) => (e.kind === 'event' && e.event.type === 'tool_call' ? [e.event] : []));
    assert.deepEqual(
      calls.map((c) => c.args),
      [{}, { q: 'docs' }],
      'the first row has no arguments yet: they stream',
    );
  });

  it('keeps the latest usage and agent state, every source, and who speaks in each message', () => {
    const state = run(
      { type: 'usage', input_tokens: 10, output_tokens: 2 },
      { type: 'usage', input_tokens: 10, output_tokens: 40, total_tokens: 50 },
      { type: 'source', source_id: 's1', url: 'https://example.invalid/a' },
      { type: 'source', source_id: 's2', title: 'B' },
      { type: 'agent_state', state: { step: 1 } },
      { type: 'agent_state', state: { step: 2 } },
      { type: 'message', message_id: 'u1', role: 'user', content: 'Deploy it' },
      { type: 'token', content: 'On it', message_id: 'a1' },
    );
    assert.deepEqual(state.usage, { input_tokens: 10, output_tokens: 40, total_tokens: 50 });
    assert.deepEqual(
      state.sources.toArray().map((s) => s.source_id),
      ['s1', 's2'],
    );
    assert.deepEqual(state.agentState, { step: 2 });
    assert.equal(state.roles.get('u1'), 'user');
    assert.deepEqual(messageTexts(state.text), [
      ['u1', 'Deploy it'],
      ['a1', 'On it'],
    ]);
  });

  it('all of it survives a snapshot: rebuilt, then the events after it, equals the whole run', () => {
    seq = 0;
    const events = [
      ev({ type: 'status', state: 'running', label: 'thinking' }),
      ev({ type: 'message', message_id: 'u1', role: 'user', content: 'Hi' }),
      ev({ type: 'reasoning', content: 'hmm', message_id: 'a1' }),
      ev({ type: 'tool_call_delta', call_id: 'c1', name: 'search', delta: '{"q"' }),
      ev({ type: 'need_input', prompt: 'A?', resume_token: 'A' }),
      ev({ type: 'need_input', prompt: 'B?', resume_token: 'B', kind: 'approval', tool_call_id: 'c1' }),
      ev({ type: 'usage', input_tokens: 3 }),
      ev({ type: 'source', source_id: 's1' }),
      ev({ type: 'agent_state', state: { n: 1 } }),
      ev({ type: 'tool_call_delta', call_id: 'c1', delta: ':1}' }),
      ev({ type: 'tool_call', call_id: 'c1', name: 'search', args: { q: 1 } }),
      ev({ type: 'input_accepted', resume_token: 'B', value: { approved: true } }),
      tok('Done', 'a1'),
      ev({ type: 'done', state: 'completed' }),
    ];
    const whole = reduceAll(initialState('r1'), events);
    for (let cut = 0; cut <= events.length; cut++) {
      const snapshot = JSON.parse(
        JSON.stringify(toSnapshot(reduceAll(initialState('r1'), events.slice(0, cut)))),
      ) as ReturnType<typeof toSnapshot>;
      const rebuilt = fromSnapshot(initialState(), snapshot);
      assert.deepEqual(toSnapshot(rebuilt), snapshot, `round trip at ${cut}`);
      assert.deepEqual(toSnapshot(reduceAll(rebuilt, events.slice(cut))), toSnapshot(whole), `cut at ${cut}`);
    }
  });
});
