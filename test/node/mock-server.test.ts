import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_POLL_WAIT_S,
  MAX_REQUEST_BODY_BYTES,
  decodeEventsPage,
  decodeSnapshot,
  type ApiErrorBody,
  type EventsPage,
  type NeedInputEvent,
  type RunEvent,
  type RunSnapshot,
} from '../../src/protocol/index.ts';
import { initialState, reduceAll, toSnapshot } from '../../src/store/index.ts';
import {
  AUTO_APPROVAL_REASONS,
  EXPIRING_APPROVAL_MS,
  LONG_SCENARIO_TOKENS,
  SEARCH_HITS,
  TICKET_SCHEMA,
  createScript,
} from '../../mock-server/scenarios.ts';
import { ScenarioPlayer } from '../../mock-server/player.ts';
import { createRunKit } from '../../src/server/index.ts';
import { allEvents, createRun, fetchJson, postJson, SseClient, waitForEvent } from '../../mock-server/testing.ts';
import { until, useMockServer } from '../shared/node-mock-server.ts';

const mock = useMockServer();

const api = mock.api;
const isNeedInput = (event: RunEvent): event is NeedInputEvent => event.type === 'need_input';

async function waitingAgent(body: Record<string, unknown> = {}): Promise<{ id: string; need: NeedInputEvent }> {
  const id = await createRun(mock.base, { scenario: 'agent', speed: 0, ...body });
  const { event } = await waitForEvent(mock.base, id, isNeedInput);
  assert.ok(isNeedInput(event));
  return { id, need: event };
}

function assertGapless(events: readonly RunEvent[], from = 1): void {
  events.forEach((event, i) => assert.equal(event.seq, from + i, `event ${i} has seq ${String(event.seq)}`));
}

function errorOf(body: unknown): ApiErrorBody['error'] {
  const error = (body as ApiErrorBody).error;
  assert.equal(typeof error.code, 'string');
  assert.equal(typeof error.message, 'string');
  return error;
}

describe('mock server: REST', () => {
  it('POST /api/runs answers 201 {run_id} with CORS and X-Run-Id', async () => {
    const answer = await postJson<{ run_id: string }>(api('/api/runs'), { scenario: 'quick', speed: 0 });
    assert.equal(answer.status, 201);
    assert.match(answer.body.run_id, /^run_/);
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
    assert.equal(answer.headers.get('x-run-id'), answer.body.run_id);
    assert.match(answer.headers.get('access-control-expose-headers') ?? '', /X-Run-Id/);
  });

  it('refuses bad create bodies with 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ scenario: 'nope' }, 'scenario'],
      [{ scenario: 5 }, 'scenario'],
      [{ prompt: 12 }, 'prompt'],
      [{ speed: 'fast' }, 'speed'],
      [{ speed: -1 }, 'speed'],
      [{ seed: 1.5 }, 'seed'],
      [{ approval_timeout_ms: 0 }, 'approval_timeout_ms'],
    ];
    for (const [body, field] of cases) {
      const answer = await postJson(api('/api/runs'), body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      const error = errorOf(answer.body);
      assert.equal(error.code, 'invalid_body');
      assert.equal(error.field, field);
    }
    const notObject = await postJson(api('/api/runs'), [1, 2]);
    assert.equal(notObject.status, 400);
    assert.equal(errorOf(notObject.body).code, 'invalid_body');
  });

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    const malformed = await fetchJson(api('/api/runs'), { method: 'POST', body: '{"scenario":' });
    assert.equal(malformed.status, 400);
    assert.equal(errorOf(malformed.body).code, 'malformed_json');
    const huge = JSON.stringify({ prompt: 'x'.repeat(MAX_REQUEST_BODY_BYTES + 10) });
    const tooBig = await fetchJson(api('/api/runs'), { method: 'POST', body: huge });
    assert.equal(tooBig.status, 413);
    assert.equal(errorOf(tooBig.body).code, 'payload_too_large');
  });

  it('answers unknown runs, unknown paths and wrong methods with JSON errors', async () => {
    const noRun = await fetchJson(api('/api/runs/nope'));
    assert.equal(noRun.status, 404);
    assert.equal(errorOf(noRun.body).code, 'run_not_found');
    for (const path of ['/api/runs/nope/events', '/api/runs/nope/stream', '/api/runs/nope/tokens']) {
      const answer = await fetchJson(api(path));
      assert.equal(answer.status, 404, path);
      assert.equal(errorOf(answer.body).code, 'run_not_found');
    }
    const noRoute = await fetchJson(api('/api/whatever'));
    assert.equal(noRoute.status, 404);
    assert.equal(errorOf(noRoute.body).code, 'not_found');
    assert.equal(noRoute.headers.get('access-control-allow-origin'), '*');
    const wrongMethod = await fetchJson(api('/api/runs'));
    assert.equal(wrongMethod.status, 405);
    assert.equal(errorOf(wrongMethod.body).code, 'method_not_allowed');
    const input404 = await postJson(api('/api/runs/nope/input'), { text: 'yes', resume_token: 'x' });
    assert.equal(input404.status, 404);
    const cancel404 = await postJson(api('/api/runs/nope/cancel'), {});
    assert.equal(cancel404.status, 404);
    const notWs = await fetchJson(api('/ws/runs/x'));
    assert.equal(notWs.status, 426);
  });

  it('answers CORS preflight with 204', async () => {
    const response = await fetch(api('/api/runs'), {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://127.0.0.1:1',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type, x-custom',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    const allowed = response.headers.get('access-control-allow-headers') ?? '';
    for (const header of ['Content-Type', 'Last-Event-ID', 'x-custom']) assert.match(allowed, new RegExp(header, 'i'));
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
  });

  it('lists the scenarios', async () => {
    const answer = await fetchJson<{ scenarios: { name: string }[] }>(api('/api/scenarios'));
    const names = answer.body.scenarios.map((s) => s.name);
    for (const name of ['quick', 'agent', 'long', 'failing', 'unknown-events', 'approvals'])
      assert.ok(names.includes(name), name);
  });

  it('quick: queued → running, progress, ~40 tokens of m1, done completed', async () => {
    const id = await createRun(mock.base, { scenario: 'quick', speed: 0 });
    const events = await allEvents(mock.base, id);
    assertGapless(events);
    assert.ok(events.every((e) => e.run_id === id));
    assert.deepEqual(
      events.filter((e) => e.type === 'status').map((e) => e.state),
      ['queued', 'running', 'done'],
    );
    const tokens = events.filter((e) => e.type === 'token');
    assert.ok(tokens.length >= 30 && tokens.length <= 40, `${tokens.length} tokens`);
    assert.ok(tokens.every((t) => t.message_id === 'm1'));
    const progress = events.filter((e) => e.type === 'progress');
    assert.ok(progress.length >= 3);
    assert.deepEqual(progress.at(-1)?.type === 'progress' && progress.at(-1), {
      type: 'progress',
      pct: 100,
      message: 'Done',
      run_id: id,
      seq: progress.at(-1)?.seq,
    });
    const done = events.at(-1);
    assert.ok(done?.type === 'done');
    assert.equal(done.state, 'completed');
  });

  it('the snapshot equals the shared reducer over all events (incl. unknown event types)', async () => {
    for (const scenario of ['agent', 'unknown-events', 'failing']) {
      const id = await createRun(mock.base, { scenario, speed: 0, seed: 3 });
      if (scenario === 'agent') {
        const { event } = await waitForEvent(mock.base, id, isNeedInput);
        assert.ok(isNeedInput(event));
        // Mid-run (waiting) snapshot first: it must carry the pending input.
        const waiting = await fetchJson<RunSnapshot>(api(`/api/runs/${id}`));
        assert.equal(waiting.body.state, 'waiting');
        assert.equal(waiting.body.pending_input?.resume_token, event.resume_token);
        assert.equal(
          (await postJson(api(`/api/runs/${id}/input`), { text: 'yes', resume_token: event.resume_token })).status,
          200,
        );
      }
      await allEvents(mock.base, id);
      const page = await fetchJson(api(`/api/runs/${id}/events?after=0&limit=10000`));
      const decodedPage = decodeEventsPage(page.body);
      assert.ok(decodedPage.ok);
      assert.deepEqual(decodedPage.value.errors, []);
      const snapshot = await fetchJson(api(`/api/runs/${id}`));
      assert.equal(snapshot.status, 200);
      const decoded = decodeSnapshot(snapshot.body);
      assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
      assert.equal(decoded.value.sequenced, true);
      const expected = toSnapshot(reduceAll(initialState(id), decodedPage.value.events));
      // Stamped as served, on the server's clock: the rest is the reducer's.
      const { server_time: served, ...state } = decoded.value.snapshot;
      assert.match(served ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'the snapshot carries server_time');
      assert.deepEqual(state, expected, scenario);
      assert.equal(decoded.value.snapshot.last_seq, decodedPage.value.events.length);
    }
  });

  it('unknown-events: unknown types travel in wire form and decode as UnknownEvent', async () => {
    const id = await createRun(mock.base, { scenario: 'unknown-events', speed: 0 });
    await allEvents(mock.base, id);
    const page = await fetchJson<EventsPage>(api(`/api/runs/${id}/events?after=0`));
    const raw = page.body.events as unknown as Record<string, unknown>[];
    const thinking = raw.find((e) => e['type'] === 'thinking');
    assert.deepEqual(thinking, {
      text: 'Considering the options…',
      type: 'thinking',
      run_id: id,
      seq: thinking?.['seq'],
    });
    const decoded = decodeEventsPage(page.body);
    assert.ok(decoded.ok);
    const unknown = decoded.value.events.filter((e) => e.type === 'unknown');
    assert.deepEqual(
      unknown.map((e) => e.event_type),
      ['thinking', 'citation'],
    );
  });

  it('failing: error tool_crashed, status failed, done failed', async () => {
    const id = await createRun(mock.base, { scenario: 'failing', speed: 0 });
    const events = await allEvents(mock.base, id);
    const error = events.find((e) => e.type === 'error');
    assert.deepEqual(error && { ...error, seq: 0 }, {
      type: 'error',
      message: 'The compile tool crashed (exit code 137)',
      code: 'tool_crashed',
      retryable: false,
      run_id: id,
      seq: 0,
    });
    assert.deepEqual(
      events.slice(-2).map((e) => (e.type === 'status' ? e.state : e.type === 'done' ? e.state : '')),
      ['failed', 'failed'],
    );
    assert.ok(events.some((e) => e.type === 'token'));
  });

  it('scenarios are deterministic for a seed (same events and tokens but the run id)', async () => {
    const play = async (seed: number): Promise<string> => {
      const { id, need } = await waitingAgent({ seed });
      await postJson(api(`/api/runs/${id}/input`), { text: 'yes', resume_token: need.resume_token });
      const events = await allEvents(mock.base, id);
      // A question carries the time it was asked (`at`): not part of the script.
      return JSON.stringify(events)
        .replaceAll(id, 'RUN')
        .replace(/"at":"[^"]+"/g, '"at":"T"');
    };
    const a = await play(7);
    const b = await play(7);
    const c = await play(8);
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it('agent: the full seed flow, approval via POST yes → completed and deployed', async () => {
    const { id, need } = await waitingAgent();
    assert.equal(need.prompt, 'Deploy to production? (yes/no)');
    assert.deepEqual(need.choices, ['yes', 'no']);
    assert.equal(need.expires_at, undefined);
    const accepted = await postJson(api(`/api/runs/${id}/input`), { text: '  YES ', resume_token: need.resume_token });
    assert.equal(accepted.status, 200);
    assert.deepEqual(accepted.body, { accepted: true });
    const events = await allEvents(mock.base, id);
    assertGapless(events);
    const types = new Set(events.map((e) => e.type));
    for (const type of [
      'status',
      'step',
      'log',
      'tool_call',
      'tool_result',
      'progress',
      'token',
      'need_input',
      'input_accepted',
      'done',
    ]) {
      assert.ok(types.has(type as RunEvent['type']), type);
    }
    const calls = events.filter((e) => e.type === 'tool_call');
    assert.equal(calls.length, 2);
    assert.ok(calls[0]?.type === 'tool_call' && calls[0].name === 'search_docs' && calls[0].call_id === 'call_1');
    const results = events.filter((e) => e.type === 'tool_result');
    assert.ok(results.every((r) => r.ok));
    const levels = new Set(events.map((e) => (e.type === 'log' ? e.level : undefined)).filter(Boolean));
    assert.ok(levels.size >= 3);
    const needIndex = events.findIndex(isNeedInput);
    assert.deepEqual(events[needIndex + 1] && { ...events[needIndex + 1], seq: 0 }, {
      type: 'status',
      state: 'waiting',
      run_id: id,
      seq: 0,
    });
    const acceptedEvent = events.find((e) => e.type === 'input_accepted');
    assert.ok(acceptedEvent?.type === 'input_accepted' && acceptedEvent.resume_token === need.resume_token);
    assert.ok(events.some((e) => e.type === 'token' && e.message_id === 'm2'));
    const done = events.at(-1);
    assert.ok(done?.type === 'done');
    assert.equal(done.state, 'completed');
    assert.equal((done.result as { deployed: boolean }).deployed, true);

    const again = await postJson(api(`/api/runs/${id}/input`), { text: 'yes', resume_token: need.resume_token });
    assert.equal(again.status, 409);
    assert.equal(errorOf(again.body).code, 'stale_resume_token');
  });

  it('agent: answering "no" → input_accepted, status cancelled, done cancelled {deployed:false}', async () => {
    const { id, need } = await waitingAgent();
    assert.equal(
      (await postJson(api(`/api/runs/${id}/input`), { text: 'no', resume_token: need.resume_token })).status,
      200,
    );
    const events = await allEvents(mock.base, id);
    const tail = events.slice(-3).map((e) => ({ ...e, seq: 0, run_id: '' }));
    assert.deepEqual(tail, [
      { type: 'input_accepted', resume_token: need.resume_token, seq: 0, run_id: '' },
      { type: 'status', state: 'cancelled', seq: 0, run_id: '' },
      { type: 'done', state: 'cancelled', result: { deployed: false }, seq: 0, run_id: '' },
    ]);
  });

  it('POST input: 400 naming the field, 409 for unknown tokens and finished runs', async () => {
    const { id, need } = await waitingAgent();
    const missingText = await postJson(api(`/api/runs/${id}/input`), { resume_token: need.resume_token });
    assert.equal(missingText.status, 400);
    assert.equal(errorOf(missingText.body).field, 'text');
    const badToken = await postJson(api(`/api/runs/${id}/input`), { text: 'yes', resume_token: 42 });
    assert.equal(badToken.status, 400);
    assert.equal(errorOf(badToken.body).field, 'resume_token');
    const unknown = await postJson(api(`/api/runs/${id}/input`), { text: 'yes', resume_token: 'rt-nope' });
    assert.equal(unknown.status, 409);
    assert.equal(errorOf(unknown.body).code, 'stale_resume_token');
    // Still waiting: the refused reply changed nothing.
    assert.equal((await fetchJson<RunSnapshot>(api(`/api/runs/${id}`))).body.state, 'waiting');

    const quick = await createRun(mock.base, { scenario: 'quick', speed: 0 });
    await allEvents(mock.base, quick);
    const finished = await postJson(api(`/api/runs/${quick}/input`), { text: 'yes', resume_token: 'whatever' });
    assert.equal(finished.status, 409);
    assert.equal(errorOf(finished.body).code, 'run_finished');
    await postJson(api(`/api/runs/${id}/cancel`), {});
  });

  it('approval_timeout_ms: expires_at, then error input_expired and done cancelled; the token is stale', async () => {
    const { id, need } = await waitingAgent({ approval_timeout_ms: 30 });
    assert.ok(need.expires_at !== undefined && Number.isFinite(Date.parse(need.expires_at)));
    const events = await allEvents(mock.base, id);
    const tail = events.slice(-3);
    assert.ok(tail[0]?.type === 'error' && tail[0].code === 'input_expired');
    assert.ok(tail[1]?.type === 'status' && tail[1].state === 'cancelled');
    assert.ok(tail[2]?.type === 'done' && tail[2].state === 'cancelled');
    const late = await postJson(api(`/api/runs/${id}/input`), { text: 'yes', resume_token: need.resume_token });
    assert.equal(late.status, 409);
    assert.equal(errorOf(late.body).code, 'stale_resume_token');
  });

  it('POST cancel: 200 {state:cancelled}, status cancelled + done cancelled; again → 409 run_finished', async () => {
    const { id } = await waitingAgent();
    const cancelled = await postJson(api(`/api/runs/${id}/cancel`), {});
    assert.equal(cancelled.status, 200);
    assert.deepEqual(cancelled.body, { state: 'cancelled' });
    const events = await allEvents(mock.base, id);
    assert.deepEqual(
      events.slice(-2).map((e) => [e.type, e.type === 'status' || e.type === 'done' ? e.state : '']),
      [
        ['status', 'cancelled'],
        ['done', 'cancelled'],
      ],
    );
    const again = await postJson(api(`/api/runs/${id}/cancel`), {});
    assert.equal(again.status, 409);
    assert.equal(errorOf(again.body).code, 'run_finished');
    assert.equal((await fetchJson<RunSnapshot>(api(`/api/runs/${id}`))).body.state, 'cancelled');
  });

  it('the run keeps playing with no client connected', async () => {
    const id = await createRun(mock.base, { scenario: 'quick', speed: 20 });
    const run = mock.server.app.registry.get(id);
    assert.ok(run);
    await run.whenFinished();
    const snapshot = await fetchJson<RunSnapshot>(api(`/api/runs/${id}`));
    assert.equal(snapshot.body.state, 'done');
    assert.equal(snapshot.body.last_seq, (await mock.server.app.runs.log.info(id))?.lastSeq);
  });

  it('speed scales the pacing: at speed 20 the run waits a twentieth of the scenario time', async () => {
    // The scenario's own pauses (~1.3 s of scenario time for quick).
    let scenarioMs = 0;
    for (const step of createScript('quick', 7, 'p')) if (step.kind === 'sleep') scenarioMs += step.ms;
    assert.ok(scenarioMs > 500, `${scenarioMs} ms of scenario time`);
    const kit = createRunKit();
    const run = await kit.create({ runId: 'run_speed' });
    const player = new ScenarioPlayer(run, {
      scenario: 'quick',
      script: createScript('quick', 7, 'p'),
      speed: 20,
      seed: 7,
    });
    // Record the waits the player asks its timers for (counted, not timed: a busy machine only
    // makes timers fire late, which the player's own clock then subtracts from the next wait).
    const waits: number[] = [];
    const engine = player as unknown as { schedule(ms: number): void };
    const schedule = engine.schedule.bind(player);
    engine.schedule = (ms) => {
      waits.push(ms);
      schedule(ms);
    };
    const started = performance.now();
    player.start();
    await player.whenFinished();
    await kit.close();
    const elapsed = performance.now() - started;
    const waited = waits.reduce((sum, ms) => sum + ms, 0);
    // Paced for real (timers never fire early), but never for longer than scenario time / speed
    // (each wait is rounded to whole ms: at most 0.5 ms more per timer).
    assert.ok(
      elapsed >= scenarioMs / 20 - waits.length,
      `played in ${elapsed.toFixed(0)} ms for ${scenarioMs} ms of scenario time`,
    );
    // (No lower bound on `waited`: on a loaded machine the first turn can start after every step
    // was already due, and then the player rightly asks for no timer at all.)
    assert.ok(
      waited <= scenarioMs / 20 + waits.length / 2,
      `waited ${waited} ms in ${waits.length} timers for ${scenarioMs} ms of scenario time`,
    );
  });
});

describe('mock server: polling', () => {
  it('pages events after N with limit, last_seq of the page and the state as of it', async () => {
    const id = await createRun(mock.base, { scenario: 'quick', speed: 0 });
    const all = await allEvents(mock.base, id);
    const page = await fetchJson<EventsPage>(api(`/api/runs/${id}/events?after=2&limit=3`));
    assert.equal(page.status, 200);
    assert.equal(page.body.run_id, id);
    assert.deepEqual(
      page.body.events.map((e) => e.seq),
      [3, 4, 5],
    );
    assert.equal(page.body.last_seq, 5);
    assert.equal(page.body.state, 'running');
    const rest = await fetchJson<EventsPage>(api(`/api/runs/${id}/events?after=5`));
    assert.equal(rest.body.events.length, all.length - 5);
    assert.equal(rest.body.state, 'done');
    const empty = await fetchJson<EventsPage>(api(`/api/runs/${id}/events?after=${all.length}`));
    assert.deepEqual(empty.body.events, []);
    assert.equal(empty.body.last_seq, all.length);
  });

  it('refuses bad after / limit / wait with 400 naming the parameter', async () => {
    const id = await createRun(mock.base, { scenario: 'quick', speed: 0 });
    for (const [query, field] of [
      ['after=-1', 'after'],
      ['after=abc', 'after'],
      ['limit=0', 'limit'],
      ['wait=soon', 'wait'],
    ]) {
      const answer = await fetchJson(api(`/api/runs/${id}/events?${query}`));
      assert.equal(answer.status, 400, query);
      assert.equal(errorOf(answer.body).field, field);
    }
  });

  it('long-poll returns as soon as an event arrives', async () => {
    const { id } = await waitingAgent();
    const lastSeq = (await fetchJson<RunSnapshot>(api(`/api/runs/${id}`))).body.last_seq;
    let answered = false;
    const poll = fetchJson<EventsPage>(api(`/api/runs/${id}/events?after=${lastSeq}&wait=${MAX_POLL_WAIT_S}`)).then(
      (answer) => {
        answered = true;
        return answer;
      },
    );
    // The poll is parked: a snapshot round trip completes while it is still open. (On the Redis log
    // parking takes round trips of its own: wait until the server holds it.)
    await fetchJson(api(`/api/runs/${id}`));
    await until(() => mock.server.openConnections(id) > 0, 'the poll to be parked');
    assert.equal(answered, false);
    const need = (await fetchJson<RunSnapshot>(api(`/api/runs/${id}`))).body.pending_input;
    assert.ok(need);
    await postJson(api(`/api/runs/${id}/input`), { text: 'yes', resume_token: need.resume_token });
    const page = await poll;
    // Answered by the first new event (the run went on at once, so a page answered when the wait
    // ran out would hold the rest of the run too), not by the clock.
    assert.deepEqual(
      page.body.events.map((e) => e.type),
      ['input_accepted'],
    );
    assert.equal(page.body.events[0]?.seq, lastSeq + 1);
    assert.ok((await fetchJson<RunSnapshot>(api(`/api/runs/${id}`))).body.last_seq > lastSeq + 1, 'the run went on');
  });

  it('long-poll returns empty when the wait runs out, and at once for a finished run', async () => {
    const { id } = await waitingAgent();
    const lastSeq = (await fetchJson<RunSnapshot>(api(`/api/runs/${id}`))).body.last_seq;
    const empty = await fetchJson<EventsPage>(api(`/api/runs/${id}/events?after=${lastSeq}&wait=0.05`));
    assert.deepEqual(empty.body.events, []);
    assert.equal(empty.body.state, 'waiting');
    await postJson(api(`/api/runs/${id}/cancel`), {});
    const total = (await allEvents(mock.base, id)).length;
    const finished = await fetchJson<EventsPage>(api(`/api/runs/${id}/events?after=${total}&wait=${MAX_POLL_WAIT_S}`));
    assert.deepEqual(finished.body.events, []);
    assert.equal(finished.body.state, 'cancelled');
  });

  it('fault switches on /events: close_after, duplicate, malformed, delay, 503 — each once per run', async () => {
    const id = await createRun(mock.base, { scenario: 'quick', speed: 0 });
    await allEvents(mock.base, id);
    const url = (query: string): string => api(`/api/runs/${id}/events?after=0&${query}`);

    const cut = await fetchJson<EventsPage>(url('fault_close_after=2'));
    assert.deepEqual(
      cut.body.events.map((e) => e.seq),
      [1, 2],
    );
    assert.equal(cut.body.last_seq, 2);
    const recovered = await fetchJson<EventsPage>(url('fault_close_after=2'));
    assert.ok(recovered.body.events.length > 2);

    const dup = await fetchJson<EventsPage>(url('fault_duplicate=2&limit=4'));
    assert.deepEqual(
      dup.body.events.map((e) => e.seq),
      [1, 2, 2, 3, 4, 4],
    );

    const bad = await fetchJson(url('fault_malformed=1&limit=2'));
    const decoded = decodeEventsPage(bad.body);
    assert.ok(decoded.ok);
    assert.equal(decoded.value.errors.length, 1);
    assert.deepEqual(
      decoded.value.events.map((e) => e.seq),
      [1, 2],
    );

    const started = Date.now();
    const slow = await fetchJson<EventsPage>(url('fault_delay=60&limit=1'));
    assert.ok(Date.now() - started >= 55);
    assert.equal(slow.body.events.length, 1);

    const unavailable = await fetchJson(url('fault_503=1'));
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers.get('retry-after'), '1');
    assert.equal(errorOf(unavailable.body).code, 'unavailable');
    assert.equal((await fetchJson(url('fault_503=1'))).status, 200);

    const twice = await createRun(mock.base, { scenario: 'quick', speed: 0 });
    const twiceUrl = api(`/api/runs/${twice}/events?fault_503=1&fault_times=2`);
    assert.equal((await fetchJson(twiceUrl)).status, 503);
    assert.equal((await fetchJson(twiceUrl)).status, 503);
    assert.equal((await fetchJson(twiceUrl)).status, 200);

    const badFault = await fetchJson(url('fault_duplicate=0'));
    assert.equal(badFault.status, 400);
    assert.equal(errorOf(badFault.body).field, 'fault_duplicate');
  });

  it('fault_503 on the snapshot GET', async () => {
    const id = await createRun(mock.base, { scenario: 'quick', speed: 0 });
    const first = await fetchJson(api(`/api/runs/${id}?fault_503=1`));
    assert.equal(first.status, 503);
    assert.equal(first.headers.get('retry-after'), '1');
    assert.equal(errorOf(first.body).code, 'unavailable');
    const second = await fetchJson<RunSnapshot>(api(`/api/runs/${id}?fault_503=1`));
    assert.equal(second.status, 200);
    assert.equal(second.body.run_id, id);
  });
});

describe(
  'mock server: long runs',
  {
    // Covered on the memory log; on Redis 100,000 tokens cost ~20 s of CI (the Redis path is covered by the other suites).
    skip: process.env['MOCK_LOG'] === 'redis' && 'long runs are checked on the memory log only',
  },
  () => {
    it('long at speed 0 streams 100,000 tokens without blocking the server', async () => {
      const id = await createRun(mock.base, { scenario: 'long', speed: 0 });
      const run = mock.server.app.registry.get(id);
      assert.ok(run);
      const log = mock.server.app.runs.log;
      const stream = await SseClient.open(api(`/api/runs/${id}/tokens`));
      // Another request is served while the run is still producing.
      const listed = await fetchJson(api('/api/scenarios'));
      assert.equal(listed.status, 200);
      assert.equal(run.finished, false, 'the long run must not finish within one request round trip');
      const end = await stream.ended;
      assert.equal(end.kind, 'end');
      assert.equal(stream.messages.length, LONG_SCENARIO_TOKENS);
      assert.ok(stream.messages.every((m) => m.event === 'token'));
      // The last token is followed by progress 100, status done and done.
      const lastSeq = (await log.info(id))?.lastSeq ?? 0;
      assert.equal(stream.messages.at(-1)?.id, String(lastSeq - 3));
      const snapshot = await fetchJson<RunSnapshot>(api(`/api/runs/${id}`));
      assert.equal(snapshot.body.state, 'done');
      const text = stream.messages.map((m) => (JSON.parse(m.data) as { content: string }).content).join('');
      assert.equal(snapshot.body.messages[0]?.text, text);
      const progress = await fetchJson<EventsPage>(api(`/api/runs/${id}/events?after=${lastSeq - 5}`));
      assert.ok(progress.body.events.some((e) => e.type === 'progress' && e.pct === 100));
    });
  },
);

describe('mock server: issue 14 scenarios (Storybook shows each)', () => {
  const answer = (id: string, body: Record<string, unknown>) => postJson(api(`/api/runs/${id}/input`), body);

  it('form: a tool call waits for a JSON Schema form; the JSON answer becomes the structured result', async () => {
    const id = await createRun(mock.base, { scenario: 'form', speed: 0 });
    const { event } = await waitForEvent(mock.base, id, isNeedInput);
    assert.ok(isNeedInput(event));
    assert.equal(event.tool_call_id, 'call_ticket');
    assert.deepEqual(event.response_schema, TICKET_SCHEMA);
    const value = { title: 'Flaky upload retries', priority: 'high', estimate: 3, notify: true, labels: ['upload'] };
    assert.equal((await answer(id, { text: 'Filed', value, resume_token: event.resume_token })).status, 200);
    const events = await allEvents(mock.base, id);
    const result = events.find((e) => e.type === 'tool_result');
    assert.ok(result?.type === 'tool_result');
    assert.equal(result.ok, true);
    assert.deepEqual({ ...(result.result as object), id: undefined }, { ...value, id: undefined });
    const done = events.at(-1);
    assert.ok(done?.type === 'done');
    assert.equal(done.state, 'completed');
  });

  it('parallel-approvals: two approvals open at once (both in the snapshot), each answered on its own', async () => {
    const id = await createRun(mock.base, { scenario: 'parallel-approvals', speed: 0 });
    await waitForEvent(mock.base, id, (e) => e.type === 'status' && e.state === 'waiting');
    const snapshot = await fetchJson<RunSnapshot>(api(`/api/runs/${id}`));
    const open = snapshot.body.pending_inputs ?? [];
    assert.deepEqual(
      open.map((r) => [r.kind, r.tool_call_id]),
      [
        ['approval', 'call_branch'],
        ['approval', 'call_keys'],
      ],
    );
    // Answered out of order: the second first, denied; then the first, approved.
    const [first, second] = open as [NeedInputEvent, NeedInputEvent];
    const deny = { text: 'Denied', value: { approved: false, reason: 'keys rotate on Monday' } };
    assert.equal((await answer(id, { ...deny, resume_token: second.resume_token })).status, 200);
    const approve = { text: 'Approved', value: { approved: true } };
    assert.equal((await answer(id, { ...approve, resume_token: first.resume_token })).status, 200);
    const events = await allEvents(mock.base, id);
    const results = events.filter((e) => e.type === 'tool_result');
    assert.deepEqual(
      results.map((r) => [r.call_id, r.ok]),
      [
        ['call_branch', true],
        ['call_keys', false],
      ],
    );
  });

  it('auto-approvals: two approvals decided by policy (logged, never pending, never answerable), then one asked', async () => {
    const id = await createRun(mock.base, { scenario: 'auto-approvals', speed: 0 });
    const { seen: sofar } = await waitForEvent(mock.base, id, (e) => e.type === 'status' && e.state === 'waiting');
    const snapshot = await fetchJson<RunSnapshot>(api(`/api/runs/${id}`));
    const open = snapshot.body.pending_inputs ?? [];
    assert.deepEqual(
      open.map((r) => [r.kind, r.tool_call_id, r.automatic ?? false]),
      [['approval', 'call_branch', false]],
      'only the asked approval is pending',
    );
    const automatic = sofar.filter((e): e is NeedInputEvent => isNeedInput(e) && e.automatic === true);
    assert.deepEqual(
      automatic.map((r) => [r.kind, r.tool_call_id]),
      [
        ['approval', 'call_read'],
        ['approval', 'call_shell'],
      ],
    );
    const decisions = automatic.map((r) =>
      sofar.find((e) => e.type === 'input_accepted' && e.resume_token === r.resume_token),
    );
    assert.deepEqual(
      decisions.map((e) => (e?.type === 'input_accepted' ? e.value : undefined)),
      [
        { approved: true, reason: AUTO_APPROVAL_REASONS.read },
        { approved: false, reason: AUTO_APPROVAL_REASONS.shell },
      ],
    );
    // A decided approval takes no answer.
    const late = await answer(id, {
      text: 'Approved',
      value: { approved: true },
      resume_token: automatic[1]!.resume_token,
    });
    assert.notEqual(late.status, 200);
    assert.equal(
      (await answer(id, { text: 'Approved', value: { approved: true }, resume_token: open[0]!.resume_token })).status,
      200,
    );
    const events = await allEvents(mock.base, id);
    assert.deepEqual(
      events.filter((e) => e.type === 'tool_result').map((r) => [r.call_id, r.ok]),
      [
        ['call_read', true],
        ['call_shell', false],
        ['call_branch', true],
      ],
    );
    const done = events.at(-1);
    assert.ok(done?.type === 'done');
    assert.deepEqual(done.result, { asked: 1, automatic: 2, approved: true });
  });

  it('expiring: the approval carries expires_at; unanswered, it expires and the run goes on without it', async () => {
    const id = await createRun(mock.base, { scenario: 'expiring', speed: 0, approval_timeout_ms: 50 });
    const { event } = await waitForEvent(mock.base, id, isNeedInput);
    assert.ok(isNeedInput(event));
    assert.equal(event.kind, 'approval');
    const expiresAt = Date.parse(event.expires_at ?? '');
    // The scenario's own expiry wins over the server-wide timeout (a countdown long enough to see).
    assert.ok(expiresAt - Date.now() > 20_000, `expires in ${expiresAt - Date.now()} ms`);
    assert.ok(expiresAt - Date.now() <= EXPIRING_APPROVAL_MS);
  });

  it('tool-renderer: streamed arguments (tool_call_delta) that add up to the call, and a structured result', async () => {
    const id = await createRun(mock.base, { scenario: 'tool-renderer', speed: 0 });
    const events = await allEvents(mock.base, id);
    const deltas = events.filter((e) => e.type === 'tool_call_delta');
    assert.ok(deltas.length > 3, `${deltas.length} deltas`);
    const call = events.find((e) => e.type === 'tool_call');
    assert.ok(call?.type === 'tool_call');
    assert.deepEqual(JSON.parse(deltas.map((d) => d.delta).join('')), call.args);
    const result = events.find((e) => e.type === 'tool_result');
    assert.ok(result?.type === 'tool_result');
    assert.deepEqual(result.result, { hits: SEARCH_HITS });
  });

  it('reasoning: every reasoning piece comes before the first token of the answer', async () => {
    const id = await createRun(mock.base, { scenario: 'reasoning', speed: 0 });
    const events = await allEvents(mock.base, id);
    const lastThought = events.findLastIndex((e) => e.type === 'reasoning');
    const firstToken = events.findIndex((e) => e.type === 'token');
    assert.ok(lastThought > 0 && firstToken > lastThought, `${lastThought} < ${firstToken}`);
  });
});
