import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_PATHS,
  ProtocolError,
  decodeCommand,
  decodeEvent,
  decodeEventText,
  decodeEventsPage,
  decodeServerMessage,
  decodeSnapshot,
  decodeThread,
  encodeSseComment,
  encodeSseEvent,
  encodeWsMessage,
  endpointUrl,
  MAX_REPLY_TEXT_LENGTH,
  toWebSocketUrl,
  type RunEvent,
} from '../../src/protocol/index.ts';

function decoded(input: unknown, hint = {}): RunEvent {
  const result = decodeEvent(input, hint);
  if (!result.ok) assert.fail(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function refused(input: unknown, hint = {}): ProtocolError {
  const result = decodeEvent(input, hint);
  if (result.ok) assert.fail(`expected an error, got ${JSON.stringify(result.value)}`);
  assert.ok(result.error instanceof ProtocolError);
  return result.error;
}

describe('decodeEvent: agentwire events', () => {
  it('decodes every event type of the protocol with its fields', () => {
    const base = { run_id: 'r1' };
    const cases: [unknown, RunEvent][] = [
      [
        { ...base, seq: 1, type: 'status', state: 'running' },
        { type: 'status', ...base, seq: 1, state: 'running' },
      ],
      [
        { ...base, seq: 2, type: 'progress', pct: 40, message: 'Step 2/5' },
        { type: 'progress', ...base, seq: 2, pct: 40, message: 'Step 2/5' },
      ],
      [
        { ...base, seq: 3, type: 'token', content: 'Hi', message_id: 'm1' },
        { type: 'token', ...base, seq: 3, content: 'Hi', message_id: 'm1' },
      ],
      [
        { ...base, seq: 4, type: 'log', level: 'warn', message: 'slow' },
        { type: 'log', ...base, seq: 4, level: 'warn', message: 'slow' },
      ],
      [
        { ...base, seq: 5, type: 'step', name: 'plan', state: 'started' },
        { type: 'step', ...base, seq: 5, name: 'plan', state: 'started' },
      ],
      [
        { ...base, seq: 6, type: 'tool_call', call_id: 'c1', name: 'search', args: { q: 'x' } },
        { type: 'tool_call', ...base, seq: 6, call_id: 'c1', name: 'search', args: { q: 'x' } },
      ],
      [
        { ...base, seq: 7, type: 'tool_result', call_id: 'c1', summary: '3 hits', ok: true },
        { type: 'tool_result', ...base, seq: 7, call_id: 'c1', summary: '3 hits', ok: true },
      ],
      [
        {
          ...base,
          seq: 8,
          type: 'need_input',
          prompt: 'Deploy?',
          resume_token: 't1',
          choices: ['yes', 'no'],
          expires_at: '2026-11-24T10:00:00Z',
        },
        {
          type: 'need_input',
          ...base,
          seq: 8,
          prompt: 'Deploy?',
          resume_token: 't1',
          choices: ['yes', 'no'],
          expires_at: '2026-11-24T10:00:00.000Z',
        },
      ],
      [
        { ...base, seq: 9, type: 'input_accepted', resume_token: 't1' },
        { type: 'input_accepted', ...base, seq: 9, resume_token: 't1' },
      ],
      [
        { ...base, seq: 10, type: 'error', message: 'boom', code: 'x', retryable: false },
        { type: 'error', ...base, seq: 10, message: 'boom', code: 'x', retryable: false },
      ],
      [
        { ...base, seq: 11, type: 'done', state: 'completed', result: { ok: 1 }, finish_reason: 'stop' },
        { type: 'done', ...base, seq: 11, state: 'completed', result: { ok: 1 }, finish_reason: 'stop' },
      ],
    ];
    for (const [input, expected] of cases) assert.deepEqual(decoded(input), expected);
  });

  it('keeps unknown event types as `unknown` events with their raw data and seq', () => {
    const input = { type: 'thinking', run_id: 'r1', seq: 4, text: 'hmm' };
    assert.deepEqual(decoded(input), { type: 'unknown', run_id: 'r1', seq: 4, event_type: 'thinking', data: input });
  });

  it('refuses invalid fields with a typed error naming the field, and never throws', () => {
    const cases: [unknown, string, string | undefined][] = [
      [{ type: 'status', state: 42 }, 'invalid_field', 'state'],
      [{ type: 'status', state: '  ' }, 'invalid_field', 'state'],
      [{ type: 'token', content: 42 }, 'invalid_field', 'content'],
      [{ type: 'token', content: 'x', seq: 0 }, 'invalid_field', 'seq'],
      [{ type: 'token', content: 'x', seq: 1.5 }, 'invalid_field', 'seq'],
      [{ type: 'token', content: 'x', seq: '3' }, 'invalid_field', 'seq'],
      [{ type: 'need_input', prompt: 'p', resume_token: {} }, 'invalid_field', 'resume_token'],
      [{ type: 'need_input', prompt: 'p', resume_token: 't', kind: 'vote' }, 'invalid_field', 'kind'],
      [
        { type: 'need_input', prompt: 'p', resume_token: 't', response_schema: 'yes' },
        'invalid_field',
        'response_schema',
      ],
      [{ type: 'tool_call_delta', call_id: 'c1' }, 'invalid_field', 'delta'],
      [{ type: 'message', message_id: 'm1', role: 'narrator' }, 'invalid_field', 'role'],
      [{ type: 'usage', input_tokens: -1 }, 'invalid_field', 'input_tokens'],
      [{ type: 'source', title: 'no id' }, 'invalid_field', 'source_id'],
      [{ type: 'token', content: 'x', at: 'yesterday' }, 'invalid_field', 'at'],
      [{ type: 'need_input', prompt: 'p', resume_token: 't', choices: [1] }, 'invalid_field', 'choices'],
      [{ type: 'need_input', prompt: 'p', resume_token: 't', expires_at: 'soon' }, 'invalid_field', 'expires_at'],
      [{ type: 'progress', pct: 'lots' }, 'invalid_field', 'pct'],
      [{ type: 'tool_call', args: {} }, 'invalid_field', 'name'],
      [{ type: 'done', state: 'exploded' }, 'invalid_field', 'state'],
      [{ foo: 1 }, 'missing_type', 'type'],
      [[1, 2], 'not_an_object', undefined],
      [null, 'not_an_object', undefined],
      ['token', 'not_an_object', undefined],
    ];
    for (const [input, code, field] of cases) {
      const error = refused(input);
      assert.equal(error.code, code, JSON.stringify(input));
      assert.equal(error.field, field, JSON.stringify(input));
      assert.ok(error.message.length > 0);
    }
  });

  it('clamps progress to 0..100 and treats a missing pct as indeterminate', () => {
    assert.deepEqual(decoded({ type: 'progress', pct: 140 }), { type: 'progress', pct: 100 });
    assert.deepEqual(decoded({ type: 'progress', pct: -3 }), { type: 'progress', pct: 0 });
    assert.deepEqual(decoded({ type: 'progress', message: 'thinking' }), {
      type: 'progress',
      pct: null,
      message: 'thinking',
    });
  });
});

describe('decodeEvent: plain servers (DESIGN.md, Compatibility)', () => {
  it('takes the type from the SSE event name and normalises field aliases', () => {
    assert.deepEqual(decoded({ task_id: 't-1', status: 'running' }, { eventName: 'status' }), {
      type: 'status',
      run_id: 't-1',
      state: 'running',
    });
    assert.deepEqual(decoded({ task_id: 't-1', progress: 40, message: 'Step 2/5' }, { eventName: 'progress' }), {
      type: 'progress',
      run_id: 't-1',
      pct: 40,
      message: 'Step 2/5',
    });
    assert.deepEqual(decoded({ result: 'ok' }, { eventName: 'done' }), {
      type: 'done',
      state: 'completed',
      result: 'ok',
    });
  });

  it('decodes token streams with and without a type', () => {
    assert.deepEqual(decoded({ type: 'token', content: 'The' }), { type: 'token', content: 'The' });
    assert.deepEqual(decoded({ content: 'The' }), { type: 'token', content: 'The' });
    assert.deepEqual(decoded({ content: 'The' }, { eventName: 'message', runId: 'r9' }), {
      type: 'token',
      run_id: 'r9',
      content: 'The',
    });
  });

  it('decodes the tutorial WebSocket messages', () => {
    assert.deepEqual(decoded({ type: 'status', state: 'connected' }), {
      type: 'status',
      state: 'running',
      label: 'connected',
    });
    assert.deepEqual(decoded({ type: 'tool_call', name: 'search', args: { q: 1 } }), {
      type: 'tool_call',
      name: 'search',
      args: { q: 1 },
    });
    assert.deepEqual(decoded({ type: 'progress', pct: 40, message: 'm' }), { type: 'progress', pct: 40, message: 'm' });
    assert.deepEqual(decoded({ type: 'need_input', prompt: 'Deploy?', resume_token: 'abc' }), {
      type: 'need_input',
      prompt: 'Deploy?',
      resume_token: 'abc',
    });
    assert.deepEqual(decoded({ type: 'tool_result', summary: 'done' }), { type: 'tool_result', summary: 'done' });
    assert.deepEqual(decoded({ type: 'step', name: 'deploy' }), { type: 'step', name: 'deploy' });
    assert.deepEqual(decoded({ type: 'done', result: { a: 1 } }), {
      type: 'done',
      state: 'completed',
      result: { a: 1 },
    });
    assert.deepEqual(decoded({ type: 'done', state: 'cancelled' }), { type: 'done', state: 'cancelled' });
  });

  it('normalises plain task JSON into a snapshot marked unsequenced', () => {
    const result = decodeSnapshot({ task_id: 't-1', status: 'done', progress: 100, result: { url: 'x' } });
    assert.ok(result.ok);
    assert.equal(result.value.sequenced, false);
    assert.deepEqual(result.value.snapshot, {
      run_id: 't-1',
      state: 'done',
      status_label: null,
      progress: { pct: 100, message: null },
      messages: [],
      reasoning: [],
      log: [],
      tool_streams: [],
      pending_input: null,
      pending_inputs: [],
      usage: null,
      sources: [],
      result: { type: 'done', run_id: 't-1', state: 'completed', result: { url: 'x' } },
      last_seq: 0,
    });
    const running = decodeSnapshot({ task_id: 't-2', status: 'running', progress: 40 });
    assert.ok(running.ok);
    assert.equal(running.value.snapshot.result, null);
    assert.equal(running.value.snapshot.state, 'running');
    // An invented word is a running task, and the word is kept to be shown.
    const invented = decodeSnapshot({ task_id: 't-3', status: 'teleporting' });
    assert.ok(invented.ok);
    assert.equal(invented.value.snapshot.state, 'running');
    assert.equal(invented.value.snapshot.status_label, 'teleporting');
    const bad = decodeSnapshot({ task_id: 't-3', status: 7 });
    assert.ok(!bad.ok);
    assert.equal(bad.error.field, 'state');
  });

  it("refuses a plain server's error answer (even with a 200) with a typed server_error", () => {
    for (const body of [{ error: 'not found' }, { error: { message: 'not found', code: 404 } }]) {
      const decoded = decodeSnapshot(body);
      assert.ok(!decoded.ok);
      assert.equal(decoded.error.code, 'server_error');
      assert.match(decoded.error.message, /not found/);
    }
    const failedTask = decodeSnapshot({ task_id: 't-4', status: 'failed', error: 'disk full' });
    assert.ok(failedTask.ok, 'a task that failed is a task, not an error answer');
    assert.equal(failedTask.value.snapshot.state, 'failed');
  });
});

describe('decodeEvent: what agent backends add (reasoning, streamed tool arguments, usage, sources, state, turns)', () => {
  it('decodes each with its fields, and the server time as ISO 8601', () => {
    assert.deepEqual(decoded({ type: 'reasoning', content: 'Let me think', message_id: 'm1', seq: 3 }), {
      type: 'reasoning',
      seq: 3,
      content: 'Let me think',
      message_id: 'm1',
    });
    assert.deepEqual(decoded({ type: 'tool_call_delta', call_id: 'c1', name: 'search', delta: '{"q":' }), {
      type: 'tool_call_delta',
      call_id: 'c1',
      delta: '{"q":',
      name: 'search',
    });
    assert.deepEqual(decoded({ type: 'usage', prompt_tokens: 12, completion_tokens: 30 }), {
      type: 'usage',
      input_tokens: 12,
      output_tokens: 30,
    });
    assert.deepEqual(decoded({ type: 'source', url: 'https://example.invalid/doc', title: 'Doc' }), {
      type: 'source',
      source_id: 'https://example.invalid/doc',
      url: 'https://example.invalid/doc',
      title: 'Doc',
    });
    assert.deepEqual(decoded({ type: 'agent_state', state: { step: 2 } }), { type: 'agent_state', state: { step: 2 } });
    assert.deepEqual(decoded({ type: 'message', message_id: 'u1', role: 'user', content: 'Deploy it' }), {
      type: 'message',
      message_id: 'u1',
      role: 'user',
      content: 'Deploy it',
    });
    assert.deepEqual(decoded({ type: 'message_reset', message_id: 'm1' }), { type: 'message_reset', message_id: 'm1' });
    assert.deepEqual(decoded({ type: 'token', content: 'x', at: 1_767_225_600_000 }), {
      type: 'token',
      content: 'x',
      at: '2026-01-01T00:00:00.000Z',
    });
  });

  it('decodes requests about a tool call, with a schema, an approval kind, and answers carrying what was answered', () => {
    const schema = { type: 'object', properties: { branch: { type: 'string' } } };
    assert.deepEqual(
      decoded({
        type: 'need_input',
        prompt: 'Run the migration?',
        resume_token: 'T1',
        kind: 'approval',
        toolCallId: 'c1',
        responseSchema: schema,
      }),
      {
        type: 'need_input',
        prompt: 'Run the migration?',
        resume_token: 'T1',
        kind: 'approval',
        tool_call_id: 'c1',
        response_schema: schema,
      },
    );
    assert.deepEqual(decoded({ type: 'input_accepted', resume_token: 'T1', text: 'yes', value: { approved: true } }), {
      type: 'input_accepted',
      resume_token: 'T1',
      text: 'yes',
      value: { approved: true },
    });
    assert.deepEqual(decoded({ type: 'tool_result', call_id: 'c1', result: { rows: 3 } }), {
      type: 'tool_result',
      call_id: 'c1',
      summary: '{"rows":3}',
      result: { rows: 3 },
    });
  });
});

describe('decodeEvent: what tutorial servers send that the kit refused before', () => {
  it('an invented state word is a running run labelled with the word (running unless it says otherwise)', () => {
    assert.deepEqual(decoded({ type: 'status', state: 'planning' }), {
      type: 'status',
      state: 'running',
      label: 'planning',
    });
    assert.deepEqual(decoded({ type: 'status', state: 'Searching' }), {
      type: 'status',
      state: 'running',
      label: 'Searching',
    });
    assert.deepEqual(decoded({ type: 'status', state: 'canceled' }), {
      type: 'status',
      state: 'cancelled',
      label: 'canceled',
    });
    assert.deepEqual(decoded({ type: 'status', state: 'waiting' }), { type: 'status', state: 'waiting' });
  });

  it('a need_input without resume_token is decoded (the reducer makes one up, never sent)', () => {
    assert.deepEqual(decoded({ type: 'need_input', prompt: 'Confirm deploy?' }), {
      type: 'need_input',
      prompt: 'Confirm deploy?',
      resume_token: '',
    });
  });

  it('done with result "cancelled" or "failed" ends the run that way; another result completes it', () => {
    assert.deepEqual(decoded({ type: 'done', result: 'cancelled' }), {
      type: 'done',
      state: 'cancelled',
      result: 'cancelled',
    });
    assert.deepEqual(decoded({ type: 'done', result: 'Failed' }), { type: 'done', state: 'failed', result: 'Failed' });
    assert.deepEqual(decoded({ type: 'done', result: 'deployed' }), {
      type: 'done',
      state: 'completed',
      result: 'deployed',
    });
    assert.deepEqual(decoded({ type: 'done', state: 'completed', result: 'cancelled' }), {
      type: 'done',
      state: 'completed',
      result: 'cancelled',
    });
  });

  it('an `{"error": …}` message is an error event', () => {
    assert.deepEqual(decoded({ error: 'model overloaded' }), { type: 'error', message: 'model overloaded' });
  });

  it('`{"type":"message","content":…}` without a role is still a token', () => {
    assert.deepEqual(decoded({ type: 'message', content: 'The' }), { type: 'token', content: 'The' });
  });
});

describe('decodeEventText / parseJson', () => {
  it('reports malformed JSON as a typed error with an excerpt', () => {
    const result = decodeEventText('{not json');
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'malformed_json');
    assert.equal(result.error.excerpt, '{not json');
  });

  it('refuses oversized input before parsing it', () => {
    const result = decodeEventText(JSON.stringify({ type: 'token', content: 'x'.repeat(2000) }), {}, 1000);
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'oversized');
    assert.ok((result.error.excerpt ?? '').length <= 201);
  });
});

describe('decodeServerMessage', () => {
  it('tells connection-level messages from run events', () => {
    assert.deepEqual(decodeServerMessage('{"type":"pong","id":"7"}'), { ok: true, value: { type: 'pong', id: '7' } });
    const refusedCmd = decodeServerMessage(
      '{"type":"command_error","code":"stale_resume_token","message":"no","status":409,"command":"user_reply","resume_token":"t"}',
    );
    assert.deepEqual(refusedCmd, {
      ok: true,
      value: {
        type: 'command_error',
        code: 'stale_resume_token',
        message: 'no',
        status: 409,
        command: 'user_reply',
        resume_token: 't',
      },
    });
    const event = decodeServerMessage('{"type":"token","content":"a","seq":3,"run_id":"r"}');
    assert.ok(event.ok && event.value.type === 'token');
  });
});

describe('decodeCommand', () => {
  it('decodes each client command', () => {
    assert.deepEqual(decodeCommand({ type: 'user_reply', text: 'yes', resume_token: 't' }), {
      ok: true,
      value: { type: 'user_reply', text: 'yes', resume_token: 't' },
    });
    // A structured answer reaches the server as sent (it was dropped before: forms answered text only).
    const value = { approved: false, reason: 'not on Friday', fields: [1, { a: null }] };
    assert.deepEqual(decodeCommand({ type: 'user_reply', text: 'Denied', resume_token: 't', value }), {
      ok: true,
      value: { type: 'user_reply', text: 'Denied', resume_token: 't', value },
    });
    assert.deepEqual(decodeCommand({ type: 'cancel' }), { ok: true, value: { type: 'cancel' } });
    assert.deepEqual(decodeCommand({ type: 'resume', after_seq: 0 }), {
      ok: true,
      value: { type: 'resume', after_seq: 0 },
    });
    assert.deepEqual(decodeCommand({ type: 'ping', id: 'a' }), { ok: true, value: { type: 'ping', id: 'a' } });
  });

  it('names the field of a bad command', () => {
    const cases: [unknown, string, string | undefined][] = [
      [{ type: 'user_reply', text: 'yes' }, 'invalid_field', 'resume_token'],
      [{ type: 'user_reply', text: 'x'.repeat(MAX_REPLY_TEXT_LENGTH + 1), resume_token: 't' }, 'invalid_field', 'text'],
      [{ type: 'resume', after_seq: -1 }, 'invalid_field', 'after_seq'],
      [{ type: 'launch' }, 'bad_command', 'type'],
      [5, 'not_an_object', undefined],
    ];
    for (const [input, code, field] of cases) {
      const result = decodeCommand(input);
      assert.ok(!result.ok, JSON.stringify(input));
      assert.equal(result.error.code, code);
      assert.equal(result.error.field, field);
    }
  });
});

describe('decodeEventsPage', () => {
  it('keeps good events and reports bad ones instead of dropping the page', () => {
    const result = decodeEventsPage({
      run_id: 'r',
      last_seq: 3,
      state: 'running',
      events: [
        { type: 'token', content: 'a', seq: 2 },
        { type: 'token', content: 5, seq: 3 },
      ],
    });
    assert.ok(result.ok);
    assert.equal(result.value.events.length, 1);
    assert.equal(result.value.errors.length, 1);
    assert.equal(result.value.errors[0]!.field, 'content');
    assert.equal(result.value.last_seq, 3);
  });
});

describe('encoders', () => {
  it('frames an SSE event with id = seq, event = type and one data line', () => {
    const frame = encodeSseEvent({ type: 'token', run_id: 'r', seq: 12, content: 'a\nb' });
    assert.equal(frame, 'id: 12\nevent: token\ndata: {"type":"token","run_id":"r","seq":12,"content":"a\\nb"}\n\n');
  });

  it('round-trips every event through SSE data and WebSocket text', () => {
    const events: RunEvent[] = [
      { type: 'tool_call', run_id: 'r', seq: 1, call_id: 'c', name: 'n', args: { deep: [1, { x: '<b>' }] } },
      { type: 'unknown', run_id: 'r', seq: 2, event_type: 'thinking', data: { type: 'thinking', text: 'hmm' } },
    ];
    for (const event of events) {
      const data = /data: (.*)\n/.exec(encodeSseEvent(event))![1]!;
      const fromSse = decodeEventText(data, { eventName: /event: (.*)\n/.exec(encodeSseEvent(event))![1]! });
      const fromWs = decodeEventText(encodeWsMessage(event));
      assert.ok(fromSse.ok && fromWs.ok);
      assert.equal(fromSse.value.type, event.type);
      assert.equal(fromWs.value.seq, event.seq);
    }
  });

  it('keeps comments on one line', () => {
    assert.equal(encodeSseComment('ping\nevil: 1'), ': ping evil: 1\n\n');
  });
});

describe('endpoint paths', () => {
  it('fills the run id encoded and keeps a base path prefix', () => {
    assert.equal(
      endpointUrl('http://127.0.0.1:8787', DEFAULT_PATHS.stream, 'a/b c').href,
      'http://127.0.0.1:8787/api/runs/a%2Fb%20c/stream',
    );
    assert.equal(endpointUrl('http://h/agent/', DEFAULT_PATHS.snapshot, 'r1').href, 'http://h/agent/api/runs/r1');
    assert.equal(toWebSocketUrl(endpointUrl('https://h', DEFAULT_PATHS.socket, 'r1')).href, 'wss://h/ws/runs/r1');
  });
});

describe('decoding regressions found by fuzzing', () => {
  it('prototype keys ("constructor", "__proto__", ...) are never taken for type or state aliases', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const unknown = decodeEvent({ type: name, seq: 1 });
      assert.ok(unknown.ok);
      assert.equal(unknown.value.type, 'unknown');
      assert.equal(unknown.value.event_type, name);
      // Not an alias: an invented word, so a running run labelled with it.
      const status = decodeEvent({ type: 'status', state: name });
      assert.ok(status.ok && status.value.type === 'status', name);
      assert.deepEqual([status.value.state, status.value.label], ['running', name]);
      const level = decodeEvent({ type: 'log', level: name, message: 'm' });
      assert.ok(!level.ok && level.error.field === 'level', name);
    }
  });
});

describe('encoding regressions found by the XSS corpus', () => {
  it('a line break in an unknown event type cannot inject SSE fields or frames', () => {
    const event: RunEvent = {
      type: 'unknown',
      run_id: 'r',
      seq: 4,
      event_type: 'x\r\ndata: {"type":"done"}\n\nid: 99\nevent: y',
      data: {},
    };
    const frame = encodeSseEvent(event);
    assert.equal(frame.split('\n\n').length, 2, 'one frame');
    assert.deepEqual(
      frame
        .split('\n')
        .slice(0, 3)
        .map((line) => line.split(':')[0]),
      ['id', 'event', 'data'],
    );
    const data = /\ndata: (.*)\n/.exec(frame)![1]!;
    const decoded = decodeEventText(data);
    assert.ok(decoded.ok && decoded.value.type === 'unknown');
    assert.equal(decoded.value.event_type, event.event_type, 'the JSON keeps the name as it was');
  });
});

describe('decodeThread', () => {
  it('decodes runs and messages; a message without a role is the assistant’s', () => {
    const decoded = decodeThread({
      thread_id: 'th_1',
      runs: [
        { run_id: 'r1', state: 'done', created_at: '2026-12-01T10:00:00.000Z' },
        { run_id: 'r2', status: 'running' },
      ],
      messages: [
        { message_id: 'u1', run_id: 'r1', role: 'user', text: 'Hi' },
        { message_id: 'm1', run_id: 'r1', text: 'Hello' },
      ],
    });
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.value, {
      thread_id: 'th_1',
      runs: [
        { run_id: 'r1', state: 'done', created_at: '2026-12-01T10:00:00.000Z' },
        { run_id: 'r2', state: 'running' },
      ],
      messages: [
        { message_id: 'u1', run_id: 'r1', role: 'user', text: 'Hi' },
        { message_id: 'm1', run_id: 'r1', role: 'assistant', text: 'Hello' },
      ],
    });
  });

  it('refuses bad input with a typed error naming the field, and a server error as server_error', () => {
    const cases: [unknown, string, string | undefined][] = [
      [[], 'not_an_object', undefined],
      [{ runs: [] }, 'invalid_field', 'thread_id'],
      [
        { thread_id: 't', messages: [{ message_id: 'm', run_id: 'r', role: 'robot', text: '' }] },
        'invalid_field',
        'messages[0].role',
      ],
      [{ thread_id: 't', messages: [{ message_id: 'm', run_id: 'r' }] }, 'invalid_field', 'text'],
      [{ thread_id: 't', runs: 'r1' }, 'invalid_field', 'runs'],
      [{ error: { code: 'unauthorized', message: 'no' } }, 'server_error', undefined],
    ];
    for (const [input, code, field] of cases) {
      const decoded = decodeThread(input);
      assert.ok(!decoded.ok, JSON.stringify(input));
      assert.equal(decoded.error.code, code, JSON.stringify(input));
      assert.equal(decoded.error.field, field, JSON.stringify(input));
    }
  });
});
