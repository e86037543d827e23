/**
 * The pure reducer `(state, event) → state` over a run's events, plus the pure transitions for
 * what the client itself learns (connection, replies, local errors) and snapshot conversion.
 */
import { isLogEvent, type DoneEvent, type RunEvent, type RunSnapshot, type RunState } from '../protocol/index.ts';
import {
  DEFAULT_MESSAGE_ID,
  initialState,
  type ConnectionState,
  type LogWorthyEvent,
  type RunStoreState,
  type TextState,
  type TypedError,
} from './state.ts';
import { messageTexts } from './text.ts';

/** Prefix of the call ids the reducer gives tool calls that came without one (`auto-1`, `auto-2`, ...). */
export const AUTO_CALL_PREFIX = 'auto-';

/** What the reducer did with an event. */
export type ApplyOutcome = 'applied' | 'duplicate' | 'gap';

/** Classify an event against the state without applying it: duplicate (seq ≤ last), gap (seq > last + 1) or applicable. */
export function classify(state: RunStoreState, event: RunEvent): ApplyOutcome {
  if (event.seq === undefined) return 'applied';
  if (event.seq <= state.lastSeq) return 'duplicate';
  if (event.seq > state.lastSeq + 1) return 'gap';
  return 'applied';
}

/** What `step` did with an event, and the state after it. */
export interface StepResult {
  readonly state: RunStoreState;
  readonly outcome: ApplyOutcome;
}

/**
 * Apply one server event, classifying it once. Duplicates (seq ≤ last applied) leave the same
 * state object; a gap (seq > last + 1) is not applied but recorded in `resync`, so it is never
 * papered over. Events without `seq` (plain servers) apply in arrival order and mark the run
 * unsequenced.
 */
export function step(state: RunStoreState, event: RunEvent): StepResult {
  const outcome = classify(state, event);
  if (outcome === 'duplicate') return { state, outcome };
  if (outcome === 'gap') {
    const seq = event.seq ?? 0;
    if (state.resync && state.resync.received >= seq) return { state, outcome };
    return { state: { ...state, resync: { expected: state.lastSeq + 1, received: seq } }, outcome };
  }
  const next = applyEvent(state, event);
  if (event.seq === undefined)
    return { state: next.sequenced === false ? next : { ...next, sequenced: false }, outcome };
  return {
    state: {
      ...next,
      lastSeq: event.seq,
      sequenced: state.sequenced ?? true,
      resync: state.resync && event.seq >= state.resync.received ? null : state.resync,
    },
    outcome,
  };
}

/** Apply one server event (see `step`): the state after it. */
export function reduce(state: RunStoreState, event: RunEvent): RunStoreState {
  return step(state, event).state;
}

/** Apply many events in order (same result as folding `reduce`). */
export function reduceAll(state: RunStoreState, events: Iterable<RunEvent>): RunStoreState {
  let next = state;
  for (const event of events) next = reduce(next, event);
  return next;
}

function statusOfDone(done: DoneEvent): RunState {
  return done.state === 'completed' ? 'done' : done.state;
}

function notStarted(status: RunStoreState['status']): boolean {
  return status === 'idle' || status === 'queued';
}

function isTerminal(status: RunStoreState['status']): boolean {
  return status === 'done' || status === 'failed' || status === 'cancelled';
}

function appendToken(text: TextState, content: string, messageId: string): TextState {
  const last = text.runs.at(-1);
  return {
    chunks: text.chunks.push(content),
    runs: last?.messageId === messageId ? text.runs : text.runs.push({ messageId, start: text.chunks.length }),
    length: text.length + content.length,
  };
}

function appendLog(state: RunStoreState, event: LogWorthyEvent): RunStoreState {
  if (event.type === 'tool_call') {
    const count = state.toolCallCount + 1;
    if (event.call_id !== undefined)
      return { ...state, toolCallCount: count, log: state.log.push({ kind: 'event', event }) };
    const callId = `${AUTO_CALL_PREFIX}${count}`;
    return {
      ...state,
      toolCallCount: count,
      openAutoCalls: [...state.openAutoCalls, callId],
      log: state.log.push({ kind: 'event', event: { ...event, call_id: callId } }),
    };
  }
  if (event.type === 'tool_result') {
    let result = event;
    let openAutoCalls = state.openAutoCalls;
    if (result.call_id === undefined && openAutoCalls.length > 0) {
      result = { ...result, call_id: openAutoCalls[0]! };
      openAutoCalls = openAutoCalls.slice(1);
    }
    const toolResults =
      result.call_id === undefined ? state.toolResults : state.toolResults.set(result.call_id, result);
    return { ...state, openAutoCalls, toolResults, log: state.log.push({ kind: 'event', event: result }) };
  }
  return { ...state, log: state.log.push({ kind: 'event', event }) };
}

function applyEvent(state: RunStoreState, event: RunEvent): RunStoreState {
  const runId = state.runId ?? event.run_id ?? null;
  const base = runId === state.runId ? state : { ...state, runId };
  switch (event.type) {
    case 'status':
      return {
        ...base,
        status: event.state,
        pendingInput: event.state === 'waiting' || !isTerminal(event.state) ? base.pendingInput : null,
      };
    // Progress and tokens mean the run is running; `idle` and `queued` are treated alike because a
    // snapshot reports `idle` as `queued` (a state rebuilt from it must evolve like the server's).
    case 'progress':
      return {
        ...base,
        progress: { pct: event.pct, message: event.message ?? null },
        status: notStarted(base.status) ? 'running' : base.status,
      };
    case 'token':
      return {
        ...base,
        text: appendToken(base.text, event.content, event.message_id ?? DEFAULT_MESSAGE_ID),
        status: notStarted(base.status) ? 'running' : base.status,
      };
    case 'need_input':
      return { ...appendLog(base, event), pendingInput: event, status: 'waiting' };
    case 'input_accepted': {
      const matches = base.pendingInput?.resume_token === event.resume_token;
      return {
        ...appendLog(base, event),
        accepted: base.accepted.set(event.resume_token, event),
        pendingInput: matches ? null : base.pendingInput,
        status: matches && base.status === 'waiting' ? 'running' : base.status,
      };
    }
    case 'done':
      return { ...base, result: event, status: statusOfDone(event), pendingInput: null };
    case 'step':
    case 'tool_call':
    case 'tool_result':
    case 'log':
    case 'error':
    case 'unknown':
      return appendLog(base, event);
  }
}

/** Record an error raised on the client (a malformed frame, a refused command) as a visible log entry. */
export function withClientError(state: RunStoreState, error: TypedError): RunStoreState {
  return {
    ...state,
    log: state.log.push({ kind: 'client_error', error: { code: error.code, message: error.message } }),
  };
}

/** Update the connection state (shallow merge). */
export function withConnection(state: RunStoreState, patch: Partial<ConnectionState>): RunStoreState {
  return { ...state, connection: { ...state.connection, ...patch } };
}

/**
 * A plain (unsequenced) server took the answer to `resumeToken` and will never confirm it with
 * `input_accepted`: the request it answered is settled.
 */
export function withDeliveredAnswer(state: RunStoreState, resumeToken: string): RunStoreState {
  if (state.sequenced !== false || state.pendingInput?.resume_token !== resumeToken) return state;
  return { ...state, pendingInput: null, status: state.status === 'waiting' ? 'running' : state.status };
}

/**
 * Rebuild the state from a server snapshot: the server's truth replaces everything but the
 * connection.
 * Events after `snapshot.last_seq` then apply on top.
 */
export function fromSnapshot(state: RunStoreState, snapshot: RunSnapshot, sequenced = true): RunStoreState {
  let next: RunStoreState = { ...initialState(snapshot.run_id || state.runId), connection: state.connection };
  for (const event of snapshot.log) if (isLogEvent(event)) next = applyEvent(next, event);
  let text: TextState = next.text;
  for (const message of snapshot.messages) text = appendToken(text, message.text, message.message_id);
  // Calls that came without an id carry their assigned `auto-N` in the snapshot; those still
  // unanswered stay open, so a later id-less result pairs with them as it does on the server.
  const openAutoCalls: string[] = [];
  for (const entry of next.log) {
    const id = entry.kind === 'event' && entry.event.type === 'tool_call' ? entry.event.call_id : undefined;
    if (
      id?.startsWith(AUTO_CALL_PREFIX) &&
      /^\d+$/.test(id.slice(AUTO_CALL_PREFIX.length)) &&
      !next.toolResults.has(id)
    )
      openAutoCalls.push(id);
  }
  return {
    ...next,
    text,
    openAutoCalls,
    status: snapshot.state,
    progress: { ...snapshot.progress },
    pendingInput: snapshot.pending_input,
    result: snapshot.result,
    lastSeq: snapshot.last_seq,
    sequenced,
    resync: null,
  };
}

/** The server-shaped snapshot of a state: what `GET /api/runs/{id}` would answer for it. */
export function toSnapshot(state: RunStoreState): RunSnapshot {
  const log = [];
  for (const entry of state.log) if (entry.kind === 'event') log.push(entry.event);
  return {
    run_id: state.runId ?? '',
    state: state.status === 'idle' ? 'queued' : state.status,
    progress: { ...state.progress },
    messages: messageTexts(state.text).map(([message_id, text]) => ({ message_id, text })),
    log,
    pending_input: state.pendingInput,
    result: state.result,
    last_seq: state.lastSeq,
  };
}
