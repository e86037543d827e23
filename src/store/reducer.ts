/**
 * The pure reducer `(state, event) → state` over a run's events, plus the pure transitions for
 * what the client itself learns (connection, replies, local errors) and snapshot conversion.
 */
import {
  isLogEvent,
  lastSeqOf,
  type DoneEvent,
  type NeedInputEvent,
  type RunEvent,
  type RunSnapshot,
  type RunState,
} from '../protocol/index.ts';
import {
  DEFAULT_MESSAGE_ID,
  emptyText,
  initialState,
  type ConnectionState,
  type LogWorthyEvent,
  type RunStoreState,
  type TextState,
  type ToolStream,
  type TypedError,
} from './state.ts';
import { messageTexts } from './text.ts';
import { AppendList } from './append-list.ts';

/** Prefix of the call ids the reducer gives tool calls that came without one (`auto-1`, `auto-2`, ...). */
export const AUTO_CALL_PREFIX = 'auto-';
/** Prefix of the resume tokens the reducer makes up for requests that came without one (`local-1`, ...). */
export const LOCAL_TOKEN_PREFIX = 'local-';

/** What the reducer did with an event. */
export type ApplyOutcome = 'applied' | 'duplicate' | 'gap';

/** Classify an event against the state without applying it: duplicate (seq ≤ last), gap (seq > last + 1) or applicable. */
export function classify(state: RunStoreState, event: RunEvent): ApplyOutcome {
  if (event.seq === undefined) return 'applied';
  const end = lastSeqOf(event)!;
  if (end <= state.lastSeq) return 'duplicate';
  // A coalesced token that starts before the cursor but ends after it cannot be split: a gap (the sink rebuilds).
  if (event.seq !== state.lastSeq + 1) return 'gap';
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
    const seq = lastSeqOf(event) ?? 0;
    if (state.resync && state.resync.received >= seq) return { state, outcome };
    return { state: { ...state, resync: { expected: state.lastSeq + 1, received: seq } }, outcome };
  }
  const next = applyEvent(state, event);
  if (event.seq === undefined)
    return { state: next.sequenced === false ? next : { ...next, sequenced: false }, outcome };
  return {
    state: {
      ...next,
      lastSeq: lastSeqOf(event)!,
      sequenced: state.sequenced ?? true,
      resync: state.resync && lastSeqOf(event)! >= state.resync.received ? null : state.resync,
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
      // A terminal state is set once, by whoever ends the run first, and never overwritten.
      if (isTerminal(base.status)) return base;
      return {
        ...base,
        status: event.state,
        statusLabel: event.label ?? null,
        ...(isTerminal(event.state) && NO_REQUESTS),
      };
    // Progress and tokens mean the run is running; `idle` and `queued` are treated alike because a
    // snapshot reports `idle` as `queued` (a state rebuilt from it must evolve like the server's).
    case 'progress':
      if (base.result !== null) return base;
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
    case 'message':
      return {
        ...base,
        roles: base.roles.set(event.message_id, event.role),
        text: event.content ? appendToken(base.text, event.content, event.message_id) : base.text,
      };
    case 'reasoning':
      return {
        ...base,
        reasoning: appendToken(base.reasoning, event.content, event.message_id ?? DEFAULT_MESSAGE_ID),
        status: notStarted(base.status) ? 'running' : base.status,
      };
    case 'message_reset':
      return {
        ...base,
        text: withoutMessage(base.text, event.message_id),
        reasoning: withoutMessage(base.reasoning, event.message_id),
      };
    case 'tool_call_delta': {
      const stream = base.toolStreams.get(event.call_id);
      const toolStreams = new Map(base.toolStreams);
      toolStreams.set(event.call_id, {
        name: event.name ?? stream?.name ?? null,
        args: (stream?.args ?? '') + event.delta,
        pieces: (stream?.pieces ?? AppendList.empty<string>()).push(event.delta),
      });
      const started = { ...base, toolStreams, status: notStarted(base.status) ? 'running' : base.status } as const;
      // The call's row appears with its first piece; the complete `tool_call` updates it.
      if (stream !== undefined) return started;
      return appendLog(started, {
        type: 'tool_call',
        call_id: event.call_id,
        name: event.name ?? '',
        args: {},
        ...(event.at !== undefined && { at: event.at }),
      });
    }
    case 'tool_call': {
      if (event.call_id === undefined || !base.toolStreams.has(event.call_id)) return appendLog(base, event);
      const toolStreams = new Map(base.toolStreams);
      toolStreams.delete(event.call_id);
      return appendLog({ ...base, toolStreams }, event);
    }
    case 'need_input':
      return openRequest(base, event);
    case 'input_accepted': {
      const pendingInputs = base.pendingInputs.filter((r) => r.resume_token !== event.resume_token);
      const answered = pendingInputs.length !== base.pendingInputs.length;
      return {
        ...appendLog(base, event),
        accepted: base.accepted.set(event.resume_token, event),
        ...requests(pendingInputs),
        status: answered && pendingInputs.length === 0 && base.status === 'waiting' ? 'running' : base.status,
      };
    }
    case 'usage': {
      const { type: _type, run_id: _run, seq: _seq, at: _at, ...usage } = event;
      return { ...base, usage };
    }
    case 'source':
      return { ...base, sources: base.sources.push(event) };
    case 'agent_state':
      return { ...base, agentState: event.state };
    case 'done':
      if (base.result !== null) return base;
      return {
        ...base,
        result: event,
        status: isTerminal(base.status) ? base.status : statusOfDone(event),
        ...NO_REQUESTS,
      };
    case 'step':
    case 'tool_result':
    case 'log':
    case 'error':
    case 'unknown':
      return appendLog(base, event);
  }
}

/** No open request. */
const NO_REQUESTS = { pendingInputs: [], pendingInput: null } as const;

/** The open requests, and the oldest of them. */
function requests(pendingInputs: readonly NeedInputEvent[]): Pick<RunStoreState, 'pendingInputs' | 'pendingInput'> {
  return { pendingInputs, pendingInput: pendingInputs[0] ?? null };
}

/**
 * A request for input opens (logged, and waiting for its answer) unless the run is over, the
 * request was decided by policy (`automatic`: logged only), or it is already open or answered
 * (a replay). A plain server's request without a resume_token gets one made up on the client.
 */
function openRequest(state: RunStoreState, event: NeedInputEvent): RunStoreState {
  let request = event;
  let localTokens = state.localTokens;
  if (request.resume_token === '') {
    localTokens++;
    request = { ...request, resume_token: `${LOCAL_TOKEN_PREFIX}${localTokens}`, local_token: true };
  }
  const logged = { ...appendLog(state, request), localTokens };
  const token = request.resume_token;
  const known = state.accepted.has(token) || state.pendingInputs.some((r) => r.resume_token === token);
  if (state.result !== null || request.automatic === true || known) return logged;
  return { ...logged, ...requests([...state.pendingInputs, request]), status: 'waiting' };
}

/** `text` without the chunks of one message. O(text). */
function withoutMessage(text: TextState, messageId: string): TextState {
  if (!text.runs.toArray().some((run) => run.messageId === messageId)) return text;
  let next = emptyText();
  const runs = text.runs.toArray();
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    if (run.messageId === messageId) continue;
    const end = runs[r + 1]?.start ?? text.chunks.length;
    for (const chunk of text.chunks.slice(run.start, end)) next = appendToken(next, chunk, run.messageId);
  }
  return next;
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
  if (state.sequenced !== false || !state.pendingInputs.some((r) => r.resume_token === resumeToken)) return state;
  const pendingInputs = state.pendingInputs.filter((r) => r.resume_token !== resumeToken);
  return {
    ...state,
    ...requests(pendingInputs),
    status: state.status === 'waiting' && pendingInputs.length === 0 ? 'running' : state.status,
  };
}

/**
 * Rebuild the state from a server snapshot: the server's truth replaces everything but the
 * connection. Events after `snapshot.last_seq` then apply on top.
 */
export function fromSnapshot(state: RunStoreState, snapshot: RunSnapshot, sequenced = true): RunStoreState {
  let next: RunStoreState = { ...initialState(snapshot.run_id || state.runId), connection: state.connection };
  for (const event of snapshot.log) if (isLogEvent(event)) next = applyEvent(next, event);
  let text: TextState = next.text;
  let roles = next.roles;
  for (const message of snapshot.messages) {
    text = appendToken(text, message.text, message.message_id);
    if (message.role !== undefined) roles = roles.set(message.message_id, message.role);
  }
  let reasoning = emptyText();
  for (const part of snapshot.reasoning ?? []) reasoning = appendToken(reasoning, part.text, part.message_id);
  // Calls that came without an id carry their assigned `auto-N` in the snapshot; those still
  // unanswered stay open, so a later id-less result pairs with them as it does on the server.
  const openAutoCalls: string[] = [];
  let localTokens = 0;
  for (const entry of next.log) {
    if (entry.kind !== 'event') continue;
    if (entry.event.type === 'need_input' && entry.event.local_token === true) localTokens++;
    const id = entry.event.type === 'tool_call' ? entry.event.call_id : undefined;
    if (
      id?.startsWith(AUTO_CALL_PREFIX) &&
      /^\d+$/.test(id.slice(AUTO_CALL_PREFIX.length)) &&
      !next.toolResults.has(id)
    )
      openAutoCalls.push(id);
  }
  const toolStreams = new Map<string, ToolStream>();
  for (const stream of snapshot.tool_streams ?? []) {
    toolStreams.set(stream.call_id, {
      name: stream.name ?? null,
      args: stream.args,
      pieces: AppendList.from([stream.args]),
    });
  }
  let sources = next.sources;
  for (const source of snapshot.sources ?? []) sources = sources.push(source);
  const pending = snapshot.pending_inputs ?? (snapshot.pending_input ? [snapshot.pending_input] : []);
  return {
    ...next,
    text,
    roles,
    reasoning,
    openAutoCalls,
    localTokens,
    toolStreams,
    sources,
    usage: snapshot.usage ?? null,
    agentState: snapshot.agent_state,
    status: snapshot.state,
    statusLabel: snapshot.status_label ?? null,
    progress: { ...snapshot.progress },
    ...requests(pending),
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
  const snapshot: RunSnapshot = {
    run_id: state.runId ?? '',
    state: state.status === 'idle' ? 'queued' : state.status,
    status_label: state.statusLabel,
    progress: { ...state.progress },
    messages: messageTexts(state.text).map(([message_id, text]) => {
      const role = state.roles.get(message_id);
      return role === undefined ? { message_id, text } : { message_id, text, role };
    }),
    reasoning: messageTexts(state.reasoning).map(([message_id, text]) => ({ message_id, text })),
    log,
    tool_streams: [...state.toolStreams].map(([call_id, { name, args }]) =>
      name === null ? { call_id, args } : { call_id, name, args },
    ),
    pending_input: state.pendingInput,
    pending_inputs: [...state.pendingInputs],
    usage: state.usage,
    sources: state.sources.toArray(),
    result: state.result,
    last_seq: state.lastSeq,
  };
  if (state.agentState !== undefined) snapshot.agent_state = state.agentState;
  return snapshot;
}
