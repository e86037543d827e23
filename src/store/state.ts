/** The shape of a run's client-side state, kept by the reducer and exposed through the run stores. */
import type {
  ClientErrorCode,
  DoneEvent,
  ErrorEvent,
  InputAcceptedEvent,
  LogEvent,
  MessageRole,
  NeedInputEvent,
  SourceEvent,
  UsageEvent,
  RunState,
  StepEvent,
  ToolCallEvent,
  ToolResultEvent,
  UnknownEvent,
} from '../protocol/index.ts';
import { AppendList, WriteOnceMap } from './append-list.ts';

/**
 * An error raised on the client: a decoder's ProtocolError or a TransportError (kept as the very
 * object, so its code union and its own fields — `field`, `status`, `serverCode` — survive).
 */
export interface TypedError<C extends string = ClientErrorCode> {
  /** Machine-readable reason. */
  readonly code: C;
  /** Human-readable description. */
  readonly message: string;
}

/** A run's status as the UI sees it: the server's RunState, or `idle` before anything is known. */
export type RunStatus = RunState | 'idle';

/** Where a connection stands. */
export type ConnectionStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed' | 'failed';

/** The live connection of a run, as reported by its transport. */
export interface ConnectionState {
  status: ConnectionStatus;
  /** Name of the transport carrying the run (for `auto`, the one that won). */
  transport: string | null;
  /** Reconnect attempt since the last successful open (0 when open). */
  attempt: number;
  /** The last error the transport saw, cleared on a successful open. */
  error: TypedError | null;
}

/** The events that show as log entries. */
export type LogWorthyEvent =
  | StepEvent
  | ToolCallEvent
  | ToolResultEvent
  | LogEvent
  | ErrorEvent
  | NeedInputEvent
  | InputAcceptedEvent
  | UnknownEvent;

/** One entry of the agent log: a server event, or an error raised on the client (malformed frame, refused command). */
export type LogEntry =
  | { readonly kind: 'event'; readonly event: LogWorthyEvent }
  | { readonly kind: 'client_error'; readonly error: TypedError };

/** A stretch of consecutive tokens belonging to one message. */
export interface TextRun {
  readonly messageId: string;
  /** Index of the run's first chunk in `TextState.chunks`. */
  readonly start: number;
}

/** All streamed text: chunks in arrival order, grouped into runs by message id. Appending is O(token). */
export interface TextState {
  /** Every applied token's content, in order. */
  readonly chunks: AppendList<string>;
  /** A new run starts whenever the message id changes. */
  readonly runs: AppendList<TextRun>;
  /** Total length of all chunks, in UTF-16 code units. */
  readonly length: number;
}

/** A gap in the sequence: events after `expected` are held back until the run is resynced. */
export interface ResyncNeed {
  readonly expected: number;
  readonly received: number;
}

/** The whole client-side state of one run. */
export interface RunStoreState {
  readonly runId: string | null;
  readonly status: RunStatus;
  /** The server's own word for the status when it used one ("planning"); null otherwise. */
  readonly statusLabel: string | null;
  readonly progress: { readonly pct: number | null; readonly message: string | null };
  /** Seq of the last applied event (0 before any). */
  readonly lastSeq: number;
  /** null until the first event; false when the server sends events without `seq` (no exactly-once). */
  readonly sequenced: boolean | null;
  /** Set when a gap was seen; cleared once the missing event or a snapshot arrives. */
  readonly resync: ResyncNeed | null;
  readonly text: TextState;
  /** Who speaks in each message that declared a role (a `message` event); others are the assistant's. */
  readonly roles: WriteOnceMap<string, MessageRole>;
  /** Streamed reasoning, grouped by message like `text`. */
  readonly reasoning: TextState;
  readonly log: AppendList<LogEntry>;
  /** Tool results paired with their call by call_id (first result wins; later ones stay unpaired in the log). */
  readonly toolResults: WriteOnceMap<string, ToolResultEvent>;
  /** Auto-assigned ids of calls from plain servers that send no call_id, oldest first, not yet answered. */
  readonly openAutoCalls: readonly string[];
  /** Number of tool calls seen (used to name calls that came without an id). */
  readonly toolCallCount: number;
  /** Arguments of tool calls still streaming (`tool_call_delta`), by call_id; a call leaves once complete. */
  readonly toolStreams: ReadonlyMap<string, ToolStream>;
  /** Every open request for input, oldest first. */
  readonly pendingInputs: readonly NeedInputEvent[];
  /** The oldest open request (`pendingInputs[0]`), or null. */
  readonly pendingInput: NeedInputEvent | null;
  /** Requests made up for a plain server's need_input without a resume_token (see NeedInputEvent `local_token`). */
  readonly localTokens: number;
  /** The server's confirmations of answered requests (`input_accepted`), by resume token. */
  readonly accepted: WriteOnceMap<string, InputAcceptedEvent>;
  /** Token counts so far (the latest `usage`), or null. */
  readonly usage: Usage | null;
  /** Sources the answer cites, in arrival order. */
  readonly sources: AppendList<SourceEvent>;
  /** The agent's shared state (the latest `agent_state`); undefined until one arrives. */
  readonly agentState: unknown;
  readonly result: DoneEvent | null;
  readonly connection: ConnectionState;
}

/** A tool call whose arguments are streaming. */
export interface ToolStream {
  readonly name: string | null;
  /** The arguments' JSON text so far (possibly incomplete). */
  readonly args: string;
  /**
   * The pieces `args` was made of, as they arrived: a view that follows the text reads the new
   * ones. Reading `args` itself costs its whole length each time it has grown (the engine joins
   * the pieces), which a view drawn every frame should not pay.
   */
  readonly pieces: AppendList<string>;
}

/** Token counts of a run. */
export type Usage = Readonly<Omit<UsageEvent, 'type' | 'run_id' | 'seq' | 'at'>>;

/** Message id given to tokens that carry none. */
export const DEFAULT_MESSAGE_ID = 'default';

/** The state of a run nothing is known about yet. */
export function initialState(runId: string | null = null): RunStoreState {
  return {
    runId,
    status: 'idle',
    statusLabel: null,
    progress: { pct: null, message: null },
    lastSeq: 0,
    sequenced: null,
    resync: null,
    text: emptyText(),
    roles: WriteOnceMap.empty(),
    reasoning: emptyText(),
    log: AppendList.empty(),
    toolResults: WriteOnceMap.empty(),
    openAutoCalls: [],
    toolCallCount: 0,
    toolStreams: new Map(),
    pendingInputs: [],
    pendingInput: null,
    localTokens: 0,
    accepted: WriteOnceMap.empty(),
    usage: null,
    sources: AppendList.empty(),
    agentState: undefined,
    result: null,
    connection: { status: 'idle', transport: null, attempt: 0, error: null },
  };
}

/** Text with nothing in it. */
export function emptyText(): TextState {
  return { chunks: AppendList.empty(), runs: AppendList.empty(), length: 0 };
}
