/**
 * The agentwire wire format: every server event, client command and snapshot, defined once.
 * Imported by the client (store, transports) and by the mock server.
 */

/** Lifecycle states of a run, as carried by `status` events and snapshots. */
export const RUN_STATES = ['queued', 'running', 'waiting', 'done', 'failed', 'cancelled'] as const;
/** A run's lifecycle state. */
export type RunState = (typeof RUN_STATES)[number];

/** Severity levels of `log` events. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** A log line's severity. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** States of a `step` event. */
export const STEP_STATES = ['started', 'finished', 'failed'] as const;
/** A step's state. */
export type StepState = (typeof STEP_STATES)[number];

/** Terminal states carried by `done`. */
export const DONE_STATES = ['completed', 'cancelled', 'failed'] as const;
/** How a run ended. */
export type DoneState = (typeof DONE_STATES)[number];

/** Who speaks in a message of a conversation. */
export const MESSAGE_ROLES = ['user', 'assistant', 'tool', 'system'] as const;
/** A message's speaker. */
export type MessageRole = (typeof MESSAGE_ROLES)[number];

/** Kinds of request for input: a free answer (text, a choice, a form) or an approval of an action. */
export const REQUEST_KINDS = ['input', 'approval'] as const;
/** A request's kind. */
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** Fields every server event carries. `seq` is absent only on events from plain (unsequenced) servers. */
export interface EventBase {
  /** The run this event belongs to (absent when a plain server does not say). */
  run_id?: string;
  /** Per-run sequence number: starts at 1, gapless, strictly increasing. */
  seq?: number;
  /** When the server emitted it (ISO 8601); absent when the server does not say. */
  at?: string;
}

/** The run changed lifecycle state. */
export interface StatusEvent extends EventBase {
  type: 'status';
  state: RunState;
  /** The server's own word when it is not a RunState ("planning", "searching"): shown as the label. */
  label?: string;
}
/** The run reports progress; `pct` null means indeterminate. */
export interface ProgressEvent extends EventBase {
  type: 'progress';
  pct: number | null;
  message?: string;
}
/** A piece of streamed text, grouped by `message_id`. */
export interface TokenEvent extends EventBase {
  type: 'token';
  content: string;
  message_id?: string;
  /**
   * Set on a coalesced token: this one event stands for the seqs `seq..seq_end` (consecutive
   * tokens of one message, merged by a server for a connection that does not keep up). Applying
   * it moves the cursor to `seq_end`. Always greater than `seq`.
   */
  seq_end?: number;
}

/** The last seq an event stands for: its `seq_end` (a coalesced token) or its `seq`. */
export function lastSeqOf(event: {
  readonly seq?: number | undefined;
  readonly seq_end?: number | undefined;
}): number | undefined {
  return event.seq_end ?? event.seq;
}
/** A message of the conversation begins: who speaks, and its whole text when it is not streamed as tokens. */
export interface MessageEvent extends EventBase {
  type: 'message';
  message_id: string;
  role: MessageRole;
  /** The message's text (a user's turn, a system note); assistant text usually streams as tokens instead. */
  content?: string;
}
/** A piece of streamed reasoning ("thinking"), shown apart from the answer. */
export interface ReasoningEvent extends EventBase {
  type: 'reasoning';
  content: string;
  message_id?: string;
}
/** A message's output is withdrawn (the step that produced it is being retried): its text and reasoning are dropped. */
export interface MessageResetEvent extends EventBase {
  type: 'message_reset';
  message_id: string;
}
/** A log line from the agent. */
export interface LogEvent extends EventBase {
  type: 'log';
  level: LogLevel;
  message: string;
}
/** A named step of the agent's plan started or finished. */
export interface StepEvent extends EventBase {
  type: 'step';
  name: string;
  state?: StepState;
}
/** The agent calls a tool; its result arrives later with the same `call_id`. */
export interface ToolCallEvent extends EventBase {
  type: 'tool_call';
  call_id?: string;
  name: string;
  args: unknown;
}
/** A piece of a tool call's arguments as they stream (JSON text); the complete `tool_call` follows. */
export interface ToolCallDeltaEvent extends EventBase {
  type: 'tool_call_delta';
  call_id: string;
  /** The tool, when known before the call completes. */
  name?: string;
  /** The next characters of the arguments' JSON text. */
  delta: string;
}
/** The result of a tool call, paired with its call by `call_id`. */
export interface ToolResultEvent extends EventBase {
  type: 'tool_result';
  call_id?: string;
  /** One line for people ('' when only `result` says it). */
  summary: string;
  ok?: boolean;
  /** The structured result, for renderers (JSON). */
  result?: unknown;
}
/**
 * The run waits for a human answer; reply with `user_reply` carrying `resume_token`. Several may be
 * open at once (parallel tool approvals); each is answered on its own.
 */
export interface NeedInputEvent extends EventBase {
  type: 'need_input';
  prompt: string;
  /** Identifies the request; answers carry it back. */
  resume_token: string;
  /**
   * True when the server gave no resume_token (a plain server): the client made this one up to tell
   * requests apart, and never sends it. Such answers cannot be confirmed exactly once.
   */
  local_token?: boolean;
  /** ISO 8601 instant after which the request is no longer answerable. */
  expires_at?: string;
  choices?: string[];
  /** `approval`: approve or deny an action (with an optional reason); `input` (default): a free answer. */
  kind?: RequestKind;
  /** The tool call this request is about (the prompt shows its name and arguments). */
  tool_call_id?: string;
  /** A JSON Schema the answer's `value` must satisfy (a form is shown). */
  response_schema?: unknown;
  /** Decided by policy, not by a human: shown as such, never asked (its decision follows in `input_accepted`). */
  automatic?: boolean;
}
/** The server accepted the answer to the request identified by `resume_token`. */
export interface InputAcceptedEvent extends EventBase {
  type: 'input_accepted';
  resume_token: string;
  /** The answer's text, as the server took it. */
  text?: string;
  /** The answer's structured value (a form's JSON, an approval's `{approved, reason}`). */
  value?: unknown;
}
/** The run reports an error; `retryable` says whether the run may go on. */
export interface ErrorEvent extends EventBase {
  type: 'error';
  message: string;
  code?: string;
  retryable?: boolean;
}
/** The run ended. */
export interface DoneEvent extends EventBase {
  type: 'done';
  state: DoneState;
  result?: unknown;
  finish_reason?: string;
}
/** Token counts of the run so far; each usage event replaces the previous one. */
export interface UsageEvent extends EventBase {
  type: 'usage';
  input_tokens?: number;
  output_tokens?: number;
  reasoning_tokens?: number;
  total_tokens?: number;
}
/** A source the answer cites (a web page, a document). */
export interface SourceEvent extends EventBase {
  type: 'source';
  source_id: string;
  url?: string;
  title?: string;
  /** The message that cites it. */
  message_id?: string;
}
/** The agent's shared state, whole; each one replaces the previous. */
export interface AgentStateEvent extends EventBase {
  type: 'agent_state';
  state: unknown;
}
/** An event whose type this version does not know: kept as raw data, never dropped. */
export interface UnknownEvent extends EventBase {
  type: 'unknown';
  /** The type name the server sent. */
  event_type: string;
  /** The event's JSON as received. */
  data: unknown;
}

/** Every server event of a run. */
export type RunEvent =
  | StatusEvent
  | ProgressEvent
  | TokenEvent
  | MessageEvent
  | ReasoningEvent
  | MessageResetEvent
  | LogEvent
  | StepEvent
  | ToolCallEvent
  | ToolCallDeltaEvent
  | ToolResultEvent
  | NeedInputEvent
  | InputAcceptedEvent
  | UsageEvent
  | SourceEvent
  | AgentStateEvent
  | ErrorEvent
  | DoneEvent
  | UnknownEvent;

/** The `type` of a server event. */
export type RunEventType = RunEvent['type'];

/** The event types this version of the protocol knows (everything but `unknown`). */
export const KNOWN_EVENT_TYPES = [
  'status',
  'progress',
  'token',
  'message',
  'reasoning',
  'message_reset',
  'log',
  'step',
  'tool_call',
  'tool_call_delta',
  'tool_result',
  'need_input',
  'input_accepted',
  'usage',
  'source',
  'agent_state',
  'error',
  'done',
] as const satisfies readonly Exclude<RunEventType, 'unknown'>[];

/** A server event as the mock server emits it: sequenced and tagged with its run. */
export type SequencedEvent = RunEvent & { run_id: string; seq: number };

/** Answer a pending `need_input`. */
export interface UserReplyCommand {
  type: 'user_reply';
  /** The answer as text (for a structured answer, what people read of it). */
  text: string;
  /** The request answered. */
  resume_token: string;
  /** A structured answer: a form's JSON, an approval's `{approved, reason}`. */
  value?: unknown;
}
/** Stop the run (not the same as disconnecting, which leaves it running). */
export interface CancelCommand {
  type: 'cancel';
}
/** Ask the server to (re)send events after `after_seq` on this connection. */
export interface ResumeCommand {
  type: 'resume';
  after_seq: number;
}
/** Application-level heartbeat (browsers cannot send WebSocket ping frames). */
export interface PingCommand {
  type: 'ping';
  id?: string;
}
/** Every client → server command. */
export type ClientCommand = UserReplyCommand | CancelCommand | ResumeCommand | PingCommand;

/** Answer to `ping` on a WebSocket (connection-level, not a run event: no `seq`). */
export interface PongMessage {
  type: 'pong';
  id?: string;
}
/** A command on a WebSocket was refused (connection-level, not a run event: no `seq`). */
export interface CommandErrorMessage {
  type: 'command_error';
  /** Machine-readable reason, e.g. `stale_resume_token`, `bad_command`, `run_finished`. */
  code: string;
  message: string;
  /** The HTTP status the same refusal gets on the REST endpoint. */
  status: number;
  /** The command type that was refused. */
  command?: string;
  /** The resume_token of a refused `user_reply`. */
  resume_token?: string;
  /** The offending field of a `bad_command`. */
  field?: string;
}
/** Connection-level server messages on a WebSocket that are not run events. */
export type ControlMessage = PongMessage | CommandErrorMessage;

/** A paired tool call as kept in the log and the snapshot. */
export interface ToolCallRecord {
  call: ToolCallEvent;
  result?: ToolResultEvent;
}

/** A run's full state, as `GET /api/runs/{id}` returns it. Rebuild = snapshot + events after `last_seq`. */
export interface RunSnapshot {
  run_id: string;
  state: RunState;
  /** The server's own word for the state, when it used one (see StatusEvent `label`). */
  status_label?: string | null;
  progress: { pct: number | null; message: string | null };
  /** Streamed text per message, in first-token order; `role` when the message declared one. */
  messages: { message_id: string; text: string; role?: MessageRole }[];
  /** Streamed reasoning per message, in first-piece order. */
  reasoning?: { message_id: string; text: string }[];
  /** Every event that shows in the log (steps, tool calls and results, logs, errors, input requests and their acceptance, unknown), in seq order. */
  log: RunEvent[];
  /** Tool calls whose arguments are streaming (no complete `tool_call` yet): the JSON text so far. */
  tool_streams?: { call_id: string; name?: string; args: string }[];
  /** The first open request (the only one in the original protocol). */
  pending_input: NeedInputEvent | null;
  /** Every open request, oldest first. */
  pending_inputs?: NeedInputEvent[];
  usage?: Omit<UsageEvent, 'type' | 'run_id' | 'seq' | 'at'> | null;
  sources?: SourceEvent[];
  /** The agent's shared state (absent when it has none). */
  agent_state?: unknown;
  result: DoneEvent | null;
  /** Seq of the last event included in this snapshot (0 when none). */
  last_seq: number;
  /**
   * When the server served this snapshot (ISO 8601, its own clock): with events' `at`, how the
   * client reads the server's clock for deadlines like `expires_at` (optional).
   */
  server_time?: string;
}

/** Body of `POST /api/runs`. */
export interface CreateRunRequest {
  scenario?: string;
  /** What the user asked: in a thread, the user's turn (the run's first event is its `message` with role `user`). */
  prompt?: string;
  /** The conversation the run continues (or starts, when the server has none of that id). */
  thread_id?: string;
  /** Timing multiplier: 2 plays twice as fast; 0 as fast as possible. */
  speed?: number;
  /** Seed for the scenario's deterministic randomness. */
  seed?: number;
  /** When set, a need_input expires this many milliseconds after it is asked (real time). */
  approval_timeout_ms?: number;
}
/** Answer of `POST /api/runs`. */
export interface CreateRunResponse {
  run_id: string;
  /** The conversation the run belongs to, when it belongs to one. */
  thread_id?: string;
}

/** One run of a conversation, as `GET /api/threads/{id}` lists it. */
export interface ThreadRun {
  run_id: string;
  /** The run's state now: a run that has not ended is the one a client connects to. */
  state: RunState;
  /** When the run was created (ISO 8601). */
  created_at?: string;
}

/** One message (turn) of a conversation: who said what, in which run. */
export interface ThreadMessage {
  message_id: string;
  run_id: string;
  role: MessageRole;
  text: string;
}

/** A conversation's history, as `GET /api/threads/{id}` returns it: its runs in creation order, and every message of them in order. */
export interface ThreadSnapshot {
  thread_id: string;
  runs: ThreadRun[];
  messages: ThreadMessage[];
}
/** Answer of `GET /api/runs/{id}/events?after=N`: at most `limit` events after N, in seq order. */
export interface EventsPage {
  run_id: string;
  /** The events of this page (nested events use their wire form, see `toWireEvent`). */
  events: RunEvent[];
  /** Seq of the last event in this page (N when the page is empty): the cursor for the next request. */
  last_seq: number;
  /** The run's state as of `last_seq`, so a page cut short by `limit` never looks finished. */
  state: RunState;
}
/** Body of `POST /api/runs/{id}/input`. */
export interface InputRequest {
  text: string;
  resume_token: string;
  /** A structured answer (see UserReplyCommand). */
  value?: unknown;
}
/** JSON body of every error answer of the REST API. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

/** Which plane a WebSocket carries: everything, or everything but tokens (hybrid control plane). */
export type SocketPlane = 'all' | 'control';

/** True when the event belongs on the token plane (`/tokens` SSE in the hybrid stack). */
export function isTokenPlaneEvent(event: RunEvent): boolean {
  return event.type === 'token';
}

/** True for event types shown in the log (and kept in the snapshot's `log`). */
export function isLogEvent(event: RunEvent): boolean {
  switch (event.type) {
    case 'step':
    case 'tool_call':
    case 'tool_result':
    case 'log':
    case 'error':
    case 'need_input':
    case 'input_accepted':
    case 'unknown':
      return true;
    default:
      return false;
  }
}
