/**
 * The plain-TS core of `<agent-log>`'s rows: from the row index, the log, the client's receipt
 * times, the streaming tool arguments and the tracked replies, what one row shows. Built only for
 * the rows in view, at render time. No DOM.
 */
import type {
  ErrorEvent,
  InputAcceptedEvent,
  LogEvent,
  LogLevel,
  NeedInputEvent,
  StepEvent,
  ToolCallEvent,
  ToolResultEvent,
  UnknownEvent,
} from '../../protocol/index.ts';
import type { Replies } from '../../run/reply-tracker.ts';
import type { AppendList, LogEntry, LogTimesView, LogWorthyEvent, TypedError } from '../../store/index.ts';
import type { LogRowsView } from '../../store/log-rows.ts';
import type { ToolStream } from '../../store/state.ts';
import type { StreamedArgs } from '../../store/streamed-args.ts';
import { jsonPreview } from '../shared/json-text.ts';
import { answerText, isApprovalValue } from '../shared/answer-text.ts';
import type { EndedStatus } from '../shared/run-ending.ts';

/**
 * Where a tool call stands: its arguments still streaming, waiting for its result, or finished.
 * A call without a result when the run ended is `ended` (the run was done), `cancelled` or
 * `failed` (with the run).
 */
export type ToolStatus = 'streaming' | 'running' | 'done' | 'failed' | 'ended' | 'cancelled';

/** Where a request for input stands, as the log shows it (`closed`: the run ended before it was answered). */
export type RequestStatus = 'waiting' | 'answered' | 'automatic' | 'expired' | 'closed';

/** A request for input tied to a tool call (an approval of that call). */
export interface ToolApproval {
  /** The request's resume token. */
  readonly resumeToken: string;
  /** Where the request stands (waiting, answered, automatic, expired, or closed with the run). */
  readonly status: RequestStatus;
  /** The answer, when given ("Approved", "Denied: too risky", a choice). */
  readonly answer: string | null;
  /** True, false, or null when the answer is not an approve / deny. */
  readonly approved: boolean | null;
}

/** One tool call as the log knows it now: what a tool renderer receives. */
export interface ToolView {
  /** The call's id (made up by the client when the server sent none). */
  readonly callId: string;
  /** The tool's name ('' while unknown). */
  readonly name: string;
  /** Where the call stands (see ToolStatus). */
  readonly status: ToolStatus;
  /** The arguments: complete, or what their streamed JSON text says so far (parsed leniently). */
  readonly args: unknown;
  /** The arguments' JSON text while they stream; null once the call is complete. */
  readonly argsText: string | null;
  /** The arguments as one line of JSON, cut at 80 characters with "…" (what a collapsed call shows). */
  readonly preview: string;
  /** The result's one line for people; null before the result. */
  readonly summary: string | null;
  /** The structured result (JSON); undefined when the server sent none. */
  readonly result: unknown;
  /** When the call started (ms since the epoch; the server's `at`, else when this client received it). */
  readonly startedAt: number | null;
  /** When its result arrived (the same clocks), or null before. */
  readonly finishedAt: number | null;
  /** How long the call took, ms (null while it runs, or when unknown). */
  readonly durationMs: number | null;
  /** The request approving this call, if any. */
  readonly approval: ToolApproval | null;
}

/** Fields every row view has. */
interface RowBase {
  /** The row's number in the index. */
  readonly row: number;
  /** Its stable key: the log index of the entry that opened it. */
  readonly key: number;
  /** Steps it is nested in. */
  readonly depth: number;
  /** When it happened (ms since the epoch), or null when unknown. */
  readonly time: number | null;
}

/**
 * Where a step stands (null: a step event without a state). A step still open when the run ended
 * is `failed` or `cancelled` with the run, or `ended` (the run was done without finishing it).
 */
export type StepStatus = 'running' | 'finished' | 'failed' | 'cancelled' | 'ended' | null;

/** The row after every other once the run has ended: how it ended, its result or why it failed. */
export interface EndView {
  readonly status: EndedStatus;
  /** The result as text (see `resultText`), or null. */
  readonly result: string | null;
  /** "Failed: disk full", "Stopped before it finished"; null for a done run. */
  readonly ending: string | null;
  /** When the run ended (ms since the epoch), or null when unknown. */
  readonly time: number | null;
}

/** What one row shows. */
export type RowView =
  | (RowBase & {
      readonly kind: 'step';
      readonly event: StepEvent;
      readonly status: StepStatus;
      readonly durationMs: number | null;
      /** Rows inside it. */
      readonly size: number;
    })
  | (RowBase & {
      readonly kind: 'tool';
      readonly tool: ToolView;
      readonly call: ToolCallEvent;
      /** The pieces of the arguments while they stream (their end is read from these), else null. */
      readonly pieces: AppendList<string> | null;
    })
  | (RowBase & { readonly kind: 'result'; readonly event: ToolResultEvent })
  | (RowBase & { readonly kind: 'log'; readonly event: LogEvent; readonly level: LogLevel })
  | (RowBase & { readonly kind: 'error'; readonly event: ErrorEvent })
  | (RowBase & { readonly kind: 'client_error'; readonly error: TypedError<string> })
  | (RowBase & {
      readonly kind: 'request';
      readonly event: NeedInputEvent;
      readonly status: RequestStatus;
      readonly answer: string | null;
      /** The tool call it approves: its name and row (-1 when not in the log). */
      readonly tool: { readonly name: string; readonly row: number } | null;
    })
  | (RowBase & { readonly kind: 'accepted'; readonly event: InputAcceptedEvent; readonly answer: string | null })
  | (RowBase & { readonly kind: 'unknown'; readonly event: UnknownEvent });

/** Everything a row view is read from. */
export interface RowSource {
  readonly index: LogRowsView;
  readonly log: AppendList<LogEntry>;
  readonly times: LogTimesView | null;
  readonly streams: ReadonlyMap<string, ToolStream>;
  /** Parses the streaming arguments in `streams` as they grow. */
  readonly args: StreamedArgs;
  readonly replies: Replies | undefined;
  /** Current time, ms since the epoch (for expiry). */
  readonly now: number;
  /** How the run ended, or null while it goes on: what is still open ended with it. */
  readonly ended: EndedStatus | null;
}

/** What a call, step or request left open says once the run ended `ended`. */
const OPEN_AT_END: Readonly<Record<EndedStatus, 'ended' | 'failed' | 'cancelled'>> = {
  done: 'ended',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** The event of log entry `index` (a row only points at event entries, except client errors). */
function eventAt(source: RowSource, index: number): LogWorthyEvent | undefined {
  const entry = source.log.at(index);
  return entry?.kind === 'event' ? entry.event : undefined;
}

/** When entry `index` happened: the server's `at`, else when the client applied it. */
export function entryTime(source: RowSource, index: number): number | null {
  const event = eventAt(source, index);
  const at = event?.at === undefined ? Number.NaN : Date.parse(event.at);
  if (!Number.isNaN(at)) return at;
  return source.times?.at(index) ?? null;
}

/** Start, end and duration of a span between two entries, from one clock: the server's when both have `at`, else the client's. */
export function span(
  source: RowSource,
  from: number,
  to: number,
): { startedAt: number | null; finishedAt: number | null; durationMs: number | null } {
  const startedAt = entryTime(source, from);
  if (to < 0) return { startedAt, finishedAt: null, durationMs: null };
  const a = eventAt(source, from)?.at;
  const b = eventAt(source, to)?.at;
  const server = a !== undefined && b !== undefined && !Number.isNaN(Date.parse(a)) && !Number.isNaN(Date.parse(b));
  const start = server ? Date.parse(a) : (source.times?.at(from) ?? null);
  const end = server ? Date.parse(b) : (source.times?.at(to) ?? null);
  const finishedAt = entryTime(source, to);
  return { startedAt, finishedAt, durationMs: start === null || end === null ? null : Math.max(0, end - start) };
}

/** A decision made by policy as people read it: "Approved automatically (by policy): reason". */
function automaticText(accepted: InputAcceptedEvent | undefined, approved: boolean | null): string {
  const value: unknown = accepted?.value;
  const reason = isApprovalValue(value) ? value.reason?.trim() : undefined;
  if (approved !== null)
    return `${approved ? 'Approved' : 'Denied'} automatically (by policy)${reason ? `: ${reason}` : ''}`;
  const text = accepted ? answerText(accepted, undefined) : null;
  return text ? `${text} (decided automatically, by policy)` : 'Decided automatically (by policy)';
}

/** How a request stands, and its answer. */
function requestState(
  source: RowSource,
  request: NeedInputEvent,
  end: number,
): { status: RequestStatus; answer: string | null; approved: boolean | null } {
  const accepted = end >= 0 ? (eventAt(source, end) as InputAcceptedEvent | undefined) : undefined;
  const reply = source.replies?.get(request.resume_token);
  const approved = isApprovalValue(accepted?.value)
    ? accepted.value.approved
    : isApprovalValue(reply?.value) && accepted
      ? reply.value.approved
      : null;
  if (request.automatic === true) return { status: 'automatic', answer: automaticText(accepted, approved), approved };
  if (accepted) return { status: 'answered', answer: answerText(accepted, reply), approved };
  // A plain server takes an answer without ever confirming it.
  if (reply?.status === 'sent') return { status: 'answered', answer: answerText(undefined, reply), approved };
  const deadline = request.expires_at === undefined ? Number.NaN : Date.parse(request.expires_at);
  if (!Number.isNaN(deadline) && deadline <= source.now) return { status: 'expired', answer: null, approved: null };
  if (source.ended !== null) return { status: 'closed', answer: null, approved: null };
  return { status: 'waiting', answer: null, approved: null };
}

/** The tool call of tool row `row`. */
export function toolView(source: RowSource, row: number): ToolView {
  const { index } = source;
  const first = eventAt(source, index.entry(row)) as ToolCallEvent;
  const latest = eventAt(source, index.latest(row)) as ToolCallEvent;
  const end = index.end(row);
  const result = end >= 0 ? (eventAt(source, end) as ToolResultEvent) : undefined;
  const callId = latest.call_id ?? first.call_id ?? '';
  const stream = source.streams.get(callId);
  const streaming = stream !== undefined && result === undefined;
  const args = streaming ? source.args.value(source.streams, callId) : latest.args;
  // While they stream, from their start alone: the string being written may have grown long.
  const preview = jsonPreview(streaming ? source.args.peek(source.streams, callId) : args);
  const status: ToolStatus = result
    ? result.ok === false
      ? 'failed'
      : 'done'
    : source.ended !== null
      ? OPEN_AT_END[source.ended]
      : streaming
        ? 'streaming'
        : 'running';
  const token = index.approvalOf(callId);
  let approval: ToolApproval | null = null;
  if (token !== undefined) {
    const requestRow = index.rowOfRequest(token);
    const request = requestRow >= 0 ? (eventAt(source, index.entry(requestRow)) as NeedInputEvent) : undefined;
    if (request) approval = { resumeToken: token, ...requestState(source, request, index.end(requestRow)) };
  }
  return {
    callId,
    name: [latest.name, first.name, stream?.name ?? ''].find((n) => n !== '') ?? '',
    status,
    args,
    argsText: streaming ? stream.args : null,
    preview,
    summary: result ? result.summary : null,
    result: result?.result,
    ...span(source, index.entry(row), end),
    approval,
  };
}

/** What row `row` shows. */
export function rowView(source: RowSource, row: number): RowView {
  const { index } = source;
  const key = index.entry(row);
  const base = { row, key, depth: index.depth(row), time: entryTime(source, key) };
  const kind = index.kind(row);
  if (kind === 'client_error') {
    const entry = source.log.at(key);
    const error: TypedError<string> = entry?.kind === 'client_error' ? entry.error : { code: 'unknown', message: '' };
    return { ...base, kind, error };
  }
  const event = eventAt(source, key)!;
  switch (event.type) {
    case 'step': {
      const end = index.end(row);
      const last = end >= 0 ? (eventAt(source, end) as StepEvent) : undefined;
      const status: StepStatus =
        event.state === 'started'
          ? last?.state === 'failed'
            ? 'failed'
            : last
              ? 'finished'
              : source.ended !== null
                ? OPEN_AT_END[source.ended]
                : 'running'
          : (event.state ??
            // A step without a state (a plain server's "now at step X") is where a run that failed or stopped was.
            (row === index.lastBareStep && source.ended !== null && source.ended !== 'done'
              ? OPEN_AT_END[source.ended]
              : null));
      const { durationMs } = span(source, key, end);
      return { ...base, kind: 'step', event, status, durationMs, size: index.size(row) };
    }
    case 'tool_call': {
      const tool = toolView(source, row);
      const pieces = tool.argsText === null ? null : (source.streams.get(tool.callId)?.pieces ?? null);
      return { ...base, kind: 'tool', tool, call: event, pieces };
    }
    case 'tool_result':
      return { ...base, kind: 'result', event };
    case 'log':
      return { ...base, kind: 'log', event, level: event.level };
    case 'error':
      return { ...base, kind: 'error', event };
    case 'need_input': {
      const state = requestState(source, event, index.end(row));
      const callRow = event.tool_call_id === undefined ? -1 : index.rowOfCall(event.tool_call_id);
      const call = callRow >= 0 ? (eventAt(source, index.latest(callRow)) as ToolCallEvent) : undefined;
      const tool =
        event.tool_call_id === undefined
          ? null
          : {
              name:
                [call?.name, source.streams.get(event.tool_call_id)?.name ?? undefined].find(
                  (n): n is string => n !== undefined && n !== '',
                ) ?? event.tool_call_id,
              row: callRow,
            };
      return { ...base, kind: 'request', event, status: state.status, answer: state.answer, tool };
    }
    case 'input_accepted':
      return {
        ...base,
        kind: 'accepted',
        event,
        answer: answerText(event, source.replies?.get(event.resume_token)),
      };
    case 'unknown':
      return { ...base, kind: 'unknown', event };
  }
}
