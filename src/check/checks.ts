/**
 * The conformance checks: what a backend must do for the agentwire client, checked over the
 * wire against a base URL (any language). Each check is named, passes, fails with what it saw,
 * or is skipped with the reason (e.g. no `--ask-body`: the approval checks need a run that asks).
 */
import {
  DEFAULT_PATHS,
  decodeEventText,
  decodeEventsPage,
  decodeSnapshot,
  fillPath,
  type EndpointPaths,
  type EventsPage,
  type RunEvent,
} from '../protocol/index.ts';
import { openSocket, postJson, readSse, request, webSocketClass, type Answer, type Wire } from './wire.ts';

/** Options of `checkServer`. */
export interface CheckOptions {
  /** The backend, e.g. `http://127.0.0.1:8787`. */
  readonly baseUrl: string;
  /** Body of `POST /api/runs` for a run that ends by itself (default `{}`). */
  readonly body?: unknown;
  /** Body for a run that asks for input (need_input) and waits: enables the input, cancel and live checks. */
  readonly askBody?: unknown;
  /** Headers sent with every request (e.g. `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per request / per wait, ms (default 15,000). */
  readonly timeoutMs?: number;
  /** Endpoint templates when the backend uses other paths. */
  readonly paths?: Partial<EndpointPaths> & { createStream?: string };
  /** Check CORS (default true). */
  readonly cors?: boolean;
  /** Check the WebSocket endpoint (default true; skipped when no WebSocket client is available). */
  readonly socket?: boolean;
  /**
   * The backend trims run logs to about this many events (it keeps fewer than `2 × maxEvents`):
   * enables the `trimmed` check (docs/PROTOCOL.md, "Trimming"). Without it that check is skipped.
   * The other checks' runs (`body`, `askBody`) must then stay under this many events.
   */
  readonly maxEvents?: number;
  /** Body of `POST /api/runs` for the `trimmed` check: a run that ends by itself with more than `2 × maxEvents + 1` events (default `body`). */
  readonly trimBody?: unknown;
}

/** How a check ended. */
export type CheckStatus = 'pass' | 'fail' | 'skip';

/** One check's outcome. */
export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  /** What was seen (for a failure), why it was skipped, or a note. */
  readonly detail: string;
  readonly ms: number;
}

/** Every check's outcome. */
export interface CheckReport {
  readonly baseUrl: string;
  readonly results: readonly CheckResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

class Failure extends Error {}
class Skip extends Error {}

function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Failure(message);
}

function skip(reason: string): never {
  throw new Skip(reason);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorCode(answer: Answer): string | undefined {
  const error = isRecord(answer.json) ? answer.json['error'] : undefined;
  return isRecord(error) && typeof error['code'] === 'string' && typeof error['message'] === 'string'
    ? error['code']
    : undefined;
}

function describe(answer: Answer): string {
  return `${answer.status} ${answer.text.slice(0, 200)}`;
}

const TERMINAL = ['done', 'failed', 'cancelled'];

interface Context {
  readonly wire: Wire;
  readonly paths: EndpointPaths & { createStream: string };
  readonly options: CheckOptions;
  /** A run played to its end, with every event. */
  finished?: { runId: string; events: RunEvent[] };
  /** A run waiting on a need_input. */
  asking?: { runId: string; lastSeq: number; need: Extract<RunEvent, { type: 'need_input' }> };
}

const path = (ctx: Context, key: keyof EndpointPaths, runId: string): string => fillPath(ctx.paths[key], runId);

async function createRun(ctx: Context, body: unknown): Promise<string> {
  const answer = await postJson(ctx.wire, ctx.paths.runs, body ?? {});
  expect(answer.status === 201 || answer.status === 200, `POST ${ctx.paths.runs} answered ${describe(answer)}`);
  const runId = isRecord(answer.json) ? answer.json['run_id'] : undefined;
  expect(
    typeof runId === 'string' && runId !== '',
    `POST ${ctx.paths.runs}: no run_id in ${answer.text.slice(0, 200)}`,
  );
  return runId;
}

/** Long-poll events until `match` or the run's end; every event seen. */
async function pollUntil(ctx: Context, runId: string, match: (event: RunEvent) => boolean): Promise<RunEvent[]> {
  const seen: RunEvent[] = [];
  let cursor = 0;
  const deadline = Date.now() + ctx.wire.timeoutMs * 4;
  while (Date.now() < deadline) {
    const answer = await request(ctx.wire, `${path(ctx, 'events', runId)}?after=${cursor}&wait=5`);
    expect(answer.status === 200, `GET events answered ${describe(answer)}`);
    const page = decodeEventsPage(answer.json);
    expect(page.ok, `GET events: not an events page: ${page.ok ? '' : page.error.message}`);
    expect(
      page.value.errors.length === 0,
      `GET events: undecodable events: ${page.value.errors.map((e) => e.message).join('; ')}`,
    );
    for (const event of page.value.events) {
      seen.push(event);
      if (match(event)) return seen;
    }
    if (page.value.events.length === 0 && TERMINAL.includes(page.value.state)) return seen;
    expect(page.value.last_seq >= cursor, `GET events: last_seq went back from ${cursor} to ${page.value.last_seq}`);
    cursor = page.value.last_seq;
  }
  throw new Failure(`run ${runId} did not get there within ${ctx.wire.timeoutMs * 4} ms`);
}

async function finishedRun(ctx: Context): Promise<{ runId: string; events: RunEvent[] }> {
  if (ctx.finished) return ctx.finished;
  const runId = await createRun(ctx, ctx.options.body);
  const events = await pollUntil(ctx, runId, (event) => event.type === 'done');
  expect(events.at(-1)?.type === 'done', `run ${runId} ended without a done event`);
  return (ctx.finished = { runId, events });
}

async function askingRun(ctx: Context): Promise<NonNullable<Context['asking']>> {
  if (ctx.options.askBody === undefined) skip('needs --ask-body: a run that asks for input');
  if (ctx.asking) return ctx.asking;
  const runId = await createRun(ctx, ctx.options.askBody);
  const events = await pollUntil(ctx, runId, (event) => event.type === 'need_input');
  const need = events.at(-1);
  expect(need?.type === 'need_input', `the --ask-body run never sent need_input (last: ${need?.type ?? 'nothing'})`);
  const snapshot = await request(ctx.wire, path(ctx, 'snapshot', runId));
  const lastSeq =
    isRecord(snapshot.json) && typeof snapshot.json['last_seq'] === 'number'
      ? snapshot.json['last_seq']
      : (need.seq ?? 0);
  return (ctx.asking = { runId, lastSeq, need });
}

/** Wait for the run's end without reading its events from the start (they may be trimmed meanwhile); its snapshot. */
async function endedSnapshot(ctx: Context, runId: string): Promise<{ lastSeq: number; state: string }> {
  const deadline = Date.now() + ctx.wire.timeoutMs * 4;
  while (Date.now() < deadline) {
    const answer = await request(ctx.wire, path(ctx, 'snapshot', runId));
    expect(answer.status === 200, `GET run answered ${describe(answer)}`);
    const decoded = decodeSnapshot(answer.json);
    expect(decoded.ok, `GET run: not a snapshot: ${decoded.ok ? '' : decoded.error.message}`);
    expect(decoded.value.sequenced, 'GET run: no last_seq');
    const { state, last_seq: lastSeq } = decoded.value.snapshot;
    if (TERMINAL.includes(state)) return { lastSeq, state };
    // Park until something follows the snapshot (a 410 here only means the run moved on fast).
    await request(ctx.wire, `${path(ctx, 'events', runId)}?after=${lastSeq}&wait=5`);
  }
  throw new Failure(`run ${runId} did not end within ${ctx.wire.timeoutMs * 4} ms`);
}

/** A 410 whose body is `{error:{code:"events_trimmed",message}}`; what is wrong with `answer` otherwise. */
function trimmedRefusal(answer: Answer): string | undefined {
  if (answer.status === 410 && errorCode(answer) === 'events_trimmed') return undefined;
  return `expected 410 {error:{code:"events_trimmed",message}}, got ${describe(answer)}`;
}

interface Check {
  readonly id: string;
  readonly title: string;
  run(ctx: Context): Promise<string | undefined>;
}

const CHECKS: readonly Check[] = [
  {
    id: 'create',
    title: 'POST runs → 201 {run_id}',
    async run(ctx) {
      const answer = await postJson(ctx.wire, ctx.paths.runs, ctx.options.body ?? {});
      expect(answer.status === 201, `expected 201, got ${describe(answer)}`);
      const runId = isRecord(answer.json) ? answer.json['run_id'] : undefined;
      expect(typeof runId === 'string' && runId !== '', `no run_id string in ${answer.text.slice(0, 200)}`);
      const header = answer.headers.get('x-run-id');
      return header === runId ? 'X-Run-Id set' : 'note: no X-Run-Id header (recommended)';
    },
  },
  {
    id: 'errors',
    title: 'errors are JSON {error:{code,message}}: 404 unknown run, 400 malformed body',
    async run(ctx) {
      const missing = await request(ctx.wire, path(ctx, 'snapshot', `agentwire-check-${Date.now()}`));
      expect(missing.status === 404, `unknown run: expected 404, got ${describe(missing)}`);
      expect(
        errorCode(missing) !== undefined,
        `unknown run: the body is not {error:{code,message}}: ${missing.text.slice(0, 200)}`,
      );
      const { runId } = await finishedRun(ctx);
      const malformed = await postJson(ctx.wire, path(ctx, 'input', runId), '{"text":');
      expect(malformed.status === 400, `malformed JSON body: expected 400, got ${describe(malformed)}`);
      expect(
        errorCode(malformed) !== undefined,
        `malformed JSON body: not {error:{code,message}}: ${malformed.text.slice(0, 200)}`,
      );
    },
  },
  {
    id: 'events',
    title: 'events: seq from 1, gapless, run_id on every event, the last one done',
    async run(ctx) {
      const { runId, events } = await finishedRun(ctx);
      events.forEach((event, i) => {
        expect(event.seq === i + 1, `event ${i} has seq ${String(event.seq)}, expected ${i + 1}`);
        expect(event.run_id === runId, `event ${event.seq} has run_id ${String(event.run_id)}`);
      });
      return `${events.length} events`;
    },
  },
  {
    id: 'events-page',
    title: 'events?after=N&limit=L: a page’s own last_seq and state; an empty page past the end',
    async run(ctx) {
      const { runId, events } = await finishedRun(ctx);
      const one = await request(ctx.wire, `${path(ctx, 'events', runId)}?after=0&limit=1`);
      const page = one.json as EventsPage;
      expect(one.status === 200 && Array.isArray(page.events), `limit=1: ${describe(one)}`);
      expect(
        page.events.length === 1 && page.events[0]?.seq === 1,
        `limit=1: expected exactly event 1, got ${page.events.length} events`,
      );
      expect(page.last_seq === 1, `limit=1: last_seq must be the page's own last seq (1), got ${page.last_seq}`);
      expect(
        !TERMINAL.includes(page.state) || events.length === 1,
        `limit=1: state ${page.state} claims the run is over at seq 1`,
      );
      const end = await request(ctx.wire, `${path(ctx, 'events', runId)}?after=${events.length}`);
      const last = end.json as EventsPage;
      expect(
        end.status === 200 && Array.isArray(last.events) && last.events.length === 0,
        `after the end: ${describe(end)}`,
      );
      expect(last.last_seq === events.length, `after the end: last_seq ${last.last_seq}, expected ${events.length}`);
      expect(TERMINAL.includes(last.state), `after the end: state ${last.state} is not terminal`);
    },
  },
  {
    id: 'long-poll',
    title: 'events?wait=S answers at once for a finished run (it never parks)',
    async run(ctx) {
      const { runId, events } = await finishedRun(ctx);
      const started = Date.now();
      const answer = await request(ctx.wire, `${path(ctx, 'events', runId)}?after=${events.length}&wait=10`);
      const ms = Date.now() - started;
      expect(answer.status === 200, describe(answer));
      expect(ms < 5000, `took ${ms} ms`);
    },
  },
  {
    id: 'snapshot',
    title: 'GET run: a sequenced snapshot (state, messages, log, pending_input, result, last_seq)',
    async run(ctx) {
      const { runId, events } = await finishedRun(ctx);
      const answer = await request(ctx.wire, path(ctx, 'snapshot', runId));
      expect(answer.status === 200, describe(answer));
      const decoded = decodeSnapshot(answer.json);
      expect(decoded.ok, `not a snapshot: ${decoded.ok ? '' : decoded.error.message}`);
      expect(decoded.value.sequenced, 'no last_seq: the snapshot is not sequenced');
      expect(decoded.value.snapshot.run_id === runId, `run_id ${decoded.value.snapshot.run_id}`);
      expect(
        decoded.value.snapshot.last_seq === events.length,
        `last_seq ${decoded.value.snapshot.last_seq}, expected ${events.length}`,
      );
      expect(TERMINAL.includes(decoded.value.snapshot.state), `state ${decoded.value.snapshot.state} after done`);
    },
  },
  {
    id: 'sse',
    title: 'SSE: text/event-stream, id = seq, event = type, every event once, ends after done',
    async run(ctx) {
      const { runId, events } = await finishedRun(ctx);
      const read = await readSse(ctx.wire, path(ctx, 'stream', runId));
      expect(read.status === 200, `status ${read.status}`);
      expect(
        (read.headers.get('content-type') ?? '').startsWith('text/event-stream'),
        `content-type ${read.headers.get('content-type') ?? 'missing'}`,
      );
      expect(
        (read.headers.get('cache-control') ?? '').includes('no-cache'),
        `cache-control ${read.headers.get('cache-control') ?? 'missing'} (no-cache keeps proxies from buffering)`,
      );
      expect(read.ending === 'end', `the stream did not end after done (${read.ending})`);
      expect(read.messages.length === events.length, `${read.messages.length} events, expected ${events.length}`);
      read.messages.forEach((message, i) => {
        const decoded = decodeEventText(message.data, message.event === undefined ? {} : { eventName: message.event });
        expect(decoded.ok, `frame ${i}: ${decoded.ok ? '' : decoded.error.message}`);
        expect(
          message.id === String(decoded.value.seq) && decoded.value.seq === i + 1,
          `frame ${i}: id ${String(message.id)}, seq ${String(decoded.value.seq)}`,
        );
        const name = decoded.value.type === 'unknown' ? decoded.value.event_type : decoded.value.type;
        expect(message.event === name, `frame ${i}: event: ${String(message.event)}, type ${name}`);
      });
      return read.headers.get('x-accel-buffering') === 'no'
        ? undefined
        : 'note: no X-Accel-Buffering: no (recommended behind nginx)';
    },
  },
  {
    id: 'sse-resume',
    title: 'SSE resume: Last-Event-ID (or ?after=) sends what follows; the header wins over ?after',
    async run(ctx) {
      const { runId, events } = await finishedRun(ctx);
      if (events.length < 3) skip('the run has fewer than 3 events');
      const k = Math.floor(events.length / 2);
      const stream = path(ctx, 'stream', runId);
      const byHeader = await readSse(ctx.wire, stream, { headers: { 'Last-Event-ID': String(k) } });
      expect(
        byHeader.messages[0]?.id === String(k + 1),
        `Last-Event-ID ${k}: first id ${String(byHeader.messages[0]?.id)}`,
      );
      expect(byHeader.messages.length === events.length - k, `Last-Event-ID ${k}: ${byHeader.messages.length} events`);
      const byQuery = await readSse(ctx.wire, `${stream}?after=${k}`);
      expect(byQuery.messages[0]?.id === String(k + 1), `?after=${k}: first id ${String(byQuery.messages[0]?.id)}`);
      const both = await readSse(ctx.wire, `${stream}?after=1`, { headers: { 'Last-Event-ID': String(k) } });
      expect(
        both.messages[0]?.id === String(k + 1),
        `?after=1 with Last-Event-ID ${k}: first id ${String(both.messages[0]?.id)} (the header must win)`,
      );
    },
  },
  {
    id: 'sse-204',
    title: 'SSE of a finished run with nothing left → 204 (EventSource stops reconnecting)',
    async run(ctx) {
      const { runId, events } = await finishedRun(ctx);
      const read = await readSse(ctx.wire, path(ctx, 'stream', runId), {
        headers: { 'Last-Event-ID': String(events.length) },
      });
      expect(read.status === 204, `expected 204, got ${read.status}`);
      return undefined;
    },
  },
  {
    id: 'tokens',
    title: 'SSE token plane: token events only, resumable by seq',
    async run(ctx) {
      const { runId, events } = await finishedRun(ctx);
      const tokens = events.filter((event) => event.type === 'token');
      if (tokens.length === 0) skip('the run sent no tokens');
      const read = await readSse(ctx.wire, path(ctx, 'tokens', runId));
      expect(read.status === 200, `status ${read.status}`);
      expect(
        read.messages.every((m) => m.event === 'token'),
        `non-token events: ${read.messages
          .filter((m) => m.event !== 'token')
          .map((m) => m.event)
          .join(', ')}`,
      );
      expect(
        read.messages.map((m) => m.id).join(',') === tokens.map((t) => String(t.seq)).join(','),
        'the token seqs differ from the run’s',
      );
    },
  },
  {
    id: 'sse-live',
    title: 'SSE of a live run: a first byte at once (a comment), before any event',
    async run(ctx) {
      const asking = await askingRun(ctx);
      const read = await readSse(ctx.wire, `${path(ctx, 'stream', asking.runId)}?after=${asking.lastSeq}`, {
        stop: (r) => r.firstByteMs !== undefined,
      });
      expect(read.status === 200, `status ${read.status}`);
      expect(
        read.firstByteMs !== undefined && read.firstByteMs < 3000,
        `no first byte within 3 s (${String(read.firstByteMs)})`,
      );
      return `first byte after ${read.firstByteMs} ms`;
    },
  },
  {
    id: 'socket',
    title:
      'WebSocket: events after ?after=, ping → pong, bad command → command_error; 4404 unknown run, 4400 bad query',
    async run(ctx) {
      if (ctx.options.socket === false) skip('--no-socket');
      const Socket = await webSocketClass();
      if (!Socket) skip('no WebSocket client here (Node < 22 without the ws package)');
      const asking = await askingRun(ctx);
      const socket = await openSocket(Socket, ctx.wire, `${path(ctx, 'socket', asking.runId)}?after=0&plane=control`);
      const need = await socket.until((m) => m['type'] === 'need_input');
      expect(need?.['resume_token'] === asking.need.resume_token, 'the pending need_input did not arrive');
      socket.send(JSON.stringify({ type: 'ping', id: 'check' }));
      const pong = await socket.until((m) => m['type'] === 'pong');
      expect(pong?.['id'] === 'check', `ping → ${JSON.stringify(pong)}`);
      socket.send('{"type":');
      const refusal = await socket.until((m) => m['type'] === 'command_error');
      expect(refusal?.['code'] === 'bad_command', `malformed command → ${JSON.stringify(refusal)}`);
      socket.close();
      const unknown = await openSocket(Socket, ctx.wire, path(ctx, 'socket', `agentwire-check-${Date.now()}`)).then(
        (s) => s.closed(),
        () => -1,
      );
      expect(unknown === 4404, `unknown run: close ${unknown}, expected 4404`);
      const bad = await openSocket(Socket, ctx.wire, `${path(ctx, 'socket', asking.runId)}?after=-1`).then(
        (s) => s.closed(),
        () => -1,
      );
      expect(bad === 4400, `?after=-1: close ${bad}, expected 4400`);
    },
  },
  {
    id: 'input',
    title: 'input: input_accepted is in the log before the 200; a used or unknown token → 409 stale_resume_token',
    async run(ctx) {
      const asking = await askingRun(ctx);
      const input = path(ctx, 'input', asking.runId);
      const wrong = await postJson(ctx.wire, input, { text: 'yes', resume_token: `${asking.need.resume_token}-not` });
      expect(wrong.status === 409 && errorCode(wrong) === 'stale_resume_token', `unknown token: ${describe(wrong)}`);
      const ok = await postJson(ctx.wire, input, { text: 'yes', resume_token: asking.need.resume_token });
      expect(ok.status === 200, `the answer: ${describe(ok)}`);
      const page = await request(
        ctx.wire,
        `${path(ctx, 'events', asking.runId)}?after=${asking.need.seq ?? 0}&limit=1000`,
      );
      const events = (page.json as EventsPage | undefined)?.events ?? [];
      expect(
        events.some((e) => e.type === 'input_accepted' && e.resume_token === asking.need.resume_token),
        'input_accepted was not in the log when the 200 arrived',
      );
      const again = await postJson(ctx.wire, input, { text: 'yes', resume_token: asking.need.resume_token });
      expect(
        again.status === 409 && errorCode(again) === 'stale_resume_token',
        `the same token again: ${describe(again)}`,
      );
      ctx.asking = undefined;
    },
  },
  {
    id: 'cancel',
    title: 'cancel: 200, then status/done cancelled; again → 409 run_finished',
    async run(ctx) {
      const asking = await askingRun(ctx);
      ctx.asking = undefined;
      const cancel = path(ctx, 'cancel', asking.runId);
      const ok = await postJson(ctx.wire, cancel, {});
      expect(ok.status === 200, describe(ok));
      const events = await pollUntil(ctx, asking.runId, (e) => e.type === 'done');
      const done = events.at(-1);
      expect(done?.type === 'done' && done.state === 'cancelled', `the run ended with ${JSON.stringify(done)}`);
      const again = await postJson(ctx.wire, cancel, {});
      expect(again.status === 409 && errorCode(again) === 'run_finished', `cancel again: ${describe(again)}`);
    },
  },
  {
    id: 'chat-start',
    title: 'POST runs/stream: creates a run and answers with its SSE (X-Run-Id)',
    async run(ctx) {
      const read = await readSse(ctx.wire, ctx.paths.createStream, {
        method: 'POST',
        body: JSON.stringify(ctx.options.body ?? {}),
        headers: { 'Content-Type': 'application/json' },
      });
      if (read.status === 404 || read.status === 405) skip('the backend has no chat-style start (optional)');
      expect(read.status === 200, `status ${read.status}`);
      const runId = read.headers.get('x-run-id');
      expect(runId, 'no X-Run-Id header');
      expect(read.messages[0]?.id === '1', `first id ${String(read.messages[0]?.id)}`);
      expect(read.messages.at(-1)?.event === 'done', 'the stream did not run to done');
    },
  },
  {
    id: 'trimmed',
    title:
      'trimming (--max-events): 410 events_trimmed behind the trim (events, SSE, WebSocket 4410); the snapshot is whole; resuming after its last_seq works',
    async run(ctx) {
      const maxEvents = ctx.options.maxEvents;
      if (maxEvents === undefined)
        skip('not enabled: pass --max-events N (the backend trims run logs to about N events) to check trimming');
      const runId = await createRun(ctx, ctx.options.trimBody ?? ctx.options.body);
      const { lastSeq } = await endedSnapshot(ctx, runId);
      expect(
        lastSeq > 2 * maxEvents + 1,
        `the run has ${lastSeq} events; --max-events ${maxEvents} needs a run of more than ${2 * maxEvents + 1} (--trim-body)`,
      );
      const events = path(ctx, 'events', runId);
      // A backend may trim a little after the events were written: ask again until the first events are gone.
      const deadline = Date.now() + ctx.wire.timeoutMs;
      let behind = await request(ctx.wire, `${events}?after=1`);
      while (behind.status === 200 && Date.now() < deadline) behind = await request(ctx.wire, `${events}?after=1`);
      const refused = trimmedRefusal(behind);
      expect(
        refused === undefined,
        `events?after=1 of a run of ${lastSeq} events (more than twice --max-events): ${refused ?? ''}`,
      );
      const stream = path(ctx, 'stream', runId);
      const sse = { Accept: 'text/event-stream' };
      const byHeader = trimmedRefusal(await request(ctx.wire, stream, { headers: { ...sse, 'Last-Event-ID': '1' } }));
      expect(byHeader === undefined, `SSE with Last-Event-ID: 1: ${byHeader ?? ''}`);
      const byQuery = trimmedRefusal(await request(ctx.wire, `${stream}?after=1`, { headers: sse }));
      expect(byQuery === undefined, `SSE ?after=1: ${byQuery ?? ''}`);
      // The snapshot answers the whole run, trimmed events included, up to its last event.
      const snapshot = await request(ctx.wire, path(ctx, 'snapshot', runId));
      const decoded = decodeSnapshot(snapshot.json);
      expect(snapshot.status === 200 && decoded.ok, `GET run after the trim: ${describe(snapshot)}`);
      expect(
        decoded.value.snapshot.last_seq === lastSeq,
        `GET run after the trim: last_seq ${decoded.value.snapshot.last_seq}, expected ${lastSeq}`,
      );
      // Resuming after the snapshot's last_seq (and just before it) is answered as usual.
      const tailPage = await request(ctx.wire, `${events}?after=${lastSeq - 1}`);
      const page = tailPage.json as EventsPage | undefined;
      expect(
        tailPage.status === 200 && page?.events.length === 1 && page.events[0]?.seq === lastSeq,
        `events?after=${lastSeq - 1} (kept): expected the last event, got ${describe(tailPage)}`,
      );
      const atEnd = await request(ctx.wire, `${events}?after=${lastSeq}`);
      expect(
        atEnd.status === 200 && (atEnd.json as EventsPage | undefined)?.events.length === 0,
        `events?after=${lastSeq} (the snapshot's last_seq): ${describe(atEnd)}`,
      );
      const resumed = await readSse(ctx.wire, stream, { headers: { 'Last-Event-ID': String(lastSeq - 1) } });
      expect(
        resumed.status === 200 && resumed.messages.length === 1 && resumed.messages[0]?.id === String(lastSeq),
        `SSE with Last-Event-ID: ${lastSeq - 1} (kept): status ${resumed.status}, ids ${resumed.messages.map((m) => m.id).join(',')}`,
      );
      const none = await readSse(ctx.wire, stream, { headers: { 'Last-Event-ID': String(lastSeq) } });
      expect(
        none.status === 204,
        `SSE with Last-Event-ID: ${lastSeq} (the snapshot's last_seq): status ${none.status}, expected 204`,
      );
      if (ctx.options.socket === false) return `${lastSeq} events; WebSocket not checked (--no-socket)`;
      const Socket = await webSocketClass();
      if (!Socket) return `${lastSeq} events; WebSocket not checked (no WebSocket client here)`;
      const code = await openSocket(Socket, ctx.wire, `${path(ctx, 'socket', runId)}?after=1`).then(
        (socket) => socket.closed(),
        () => -1,
      );
      expect(code === 4410, `WebSocket ?after=1: close ${code}, expected 4410 (events_trimmed)`);
      return `${lastSeq} events`;
    },
  },
  {
    id: 'cors',
    title: 'CORS: a preflight is answered with Access-Control-Allow-Origin',
    async run(ctx) {
      if (ctx.options.cors === false) skip('--no-cors');
      const answer = await request(ctx.wire, ctx.paths.runs, {
        method: 'OPTIONS',
        headers: {
          Origin: 'http://agentwire-check.invalid',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type, last-event-id',
        },
      });
      expect(answer.status === 204 || answer.status === 200, `preflight: ${describe(answer)}`);
      expect(answer.headers.get('access-control-allow-origin'), 'no Access-Control-Allow-Origin on the preflight');
    },
  },
];

/** Run every check against a backend. */
export async function checkServer(options: CheckOptions): Promise<CheckReport> {
  const ctx: Context = {
    wire: { baseUrl: options.baseUrl, headers: { ...options.headers }, timeoutMs: options.timeoutMs ?? 15_000 },
    paths: { ...DEFAULT_PATHS, createStream: `${DEFAULT_PATHS.runs}/stream`, ...options.paths },
    options,
  };
  const results: CheckResult[] = [];
  for (const check of CHECKS) {
    const started = Date.now();
    let status: CheckStatus = 'pass';
    let detail: string;
    try {
      detail = (await check.run(ctx)) ?? '';
    } catch (error) {
      status = error instanceof Skip ? 'skip' : 'fail';
      detail = error instanceof Error ? error.message : String(error);
    }
    results.push({ id: check.id, title: check.title, status, detail, ms: Date.now() - started });
  }
  return {
    baseUrl: options.baseUrl,
    results,
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    skipped: results.filter((r) => r.status === 'skip').length,
  };
}

/** The report as text, one line per check. */
export function formatReport(report: CheckReport): string {
  const mark: Record<CheckStatus, string> = { pass: '✔', fail: '✖', skip: '–' };
  const lines = report.results.map(
    (r) => `${mark[r.status]} ${r.id.padEnd(12)} ${r.title}${r.detail ? `\n    ${r.detail}` : ''}`,
  );
  lines.push(
    `\nagentwire-check-server ${report.baseUrl}: ${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`,
  );
  return lines.join('\n');
}
