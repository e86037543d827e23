/**
 * The contract of a wire protocol. A protocol says how a run starts (the request), how its frames
 * decode (statefully, per run), how an answer goes back, and whether — and how — a cut stream
 * resumes. Protocols only describe: they build requests and decode text, and never open a
 * connection themselves (transports do; see src/transports/stream.ts).
 *
 * Two kinds:
 * - `wire` protocols (`agentwire`, `plain`) are carried by agentwire's own transports (SSE,
 *   WebSocket, polling, hybrid): only their decoding differs.
 * - `stream` protocols (`ag-ui`, `ai-sdk`, `openai-responses`) speak HTTP streams of their own: a
 *   POST that answers with an event stream, answers sent as the next request, their own resume.
 */
import type {
  ControlMessage,
  DecodedSnapshot,
  DecodeHint,
  DecodeResult,
  EndpointPaths,
  EventsPage,
  NeedInputEvent,
  ProtocolError,
  RunEvent,
} from '../protocol/index.ts';

/** Names of the built-in protocols. */
export const PROTOCOL_NAMES = ['agentwire', 'plain', 'ag-ui', 'ai-sdk', 'openai-responses'] as const;
/** A built-in protocol's name. */
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

/** The decoders agentwire's transports call: SSE data, WebSocket messages, snapshots and events pages. */
export interface WireDecoder {
  /** One event from JSON text (an SSE data block; `hint.eventName` is the SSE event name). */
  readonly event: (text: string, hint: DecodeHint) => DecodeResult<RunEvent>;
  /** One WebSocket message: a run event or a connection-level message. */
  readonly serverMessage: (text: string, hint: DecodeHint) => DecodeResult<RunEvent | ControlMessage>;
  /** A snapshot (`GET` of the run). */
  readonly snapshot: (json: unknown, hint: DecodeHint) => DecodeResult<DecodedSnapshot>;
  /** A page of events (polling). */
  readonly eventsPage: (json: unknown, hint: DecodeHint) => DecodeResult<EventsPage & { errors: ProtocolError[] }>;
}

/** A protocol carried by agentwire's own transports: only its decoding differs. */
export interface WireProtocol {
  readonly kind: 'wire';
  /** Its name (shown in errors and the API). */
  readonly name: string;
  /** How its wire input decodes. */
  readonly decoder: WireDecoder;
}

/** An HTTP request a protocol asks its transport to make. */
export interface ProtocolRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  /** Headers of the protocol's own (the caller's headers are added by the transport). */
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON body (POST). */
  readonly json?: unknown;
}

/** One frame of an event stream, as the event-stream decoder dispatched it. */
export interface StreamFrame {
  /** The SSE `event:` name (`message` when none was given). */
  readonly event: string;
  /** The `data:` lines, joined. */
  readonly data: string;
}

/** An answer to a request, as a protocol sends it (the same shape as the transports' `Answer`). */
export interface ProtocolAnswer {
  /** The request answered. */
  readonly request: NeedInputEvent;
  /** The answer as text. */
  readonly text: string;
  /** A structured answer (an approval's `{approved, reason}`, a form's JSON). */
  readonly value?: unknown;
}

/** What a stream protocol's session is told when it opens. */
export interface SessionContext {
  /** Origin (and optional path prefix) of the backend. */
  readonly baseUrl: string;
  /** The run: a conversation (AG-UI thread, AI SDK chat) or a response (OpenAI), as the caller named it. */
  readonly runId: string;
  /** Endpoint templates: agentwire's defaults, under the protocol's, under the caller's. */
  readonly paths: Readonly<EndpointPaths>;
  /** Current time (ms since the epoch), for the `at` of events the stream does not date. */
  readonly now: () => number;
}

/** How a run starts: the request, and the run's id when it is known before the stream says it. */
export interface StartPlan {
  readonly request: ProtocolRequest;
  /** The run's id (a thread or chat id the client chose); absent when the stream names it (OpenAI). */
  readonly runId?: string;
}

/** Where the stream that is about to be read comes from. */
export type StreamOrigin = 'start' | 'attach' | 'resume' | 'continue';

/** What the transport does when no stream is open. */
export type NextStep =
  /** Open this stream: attach to a running run, resume a cut one, or continue with answers given while a stream was open. */
  | {
      readonly type: 'request';
      readonly request: ProtocolRequest;
      readonly origin: 'attach' | 'resume' | 'continue';
      /** The answers a `continue` request carries (`answered` is called with them once the server took it). */
      readonly answers?: readonly ProtocolAnswer[];
    }
  /** Nothing to read until an answer continues the run. */
  | { readonly type: 'wait' }
  /** The run is over. */
  | { readonly type: 'finished' }
  /** The stream was cut and this protocol (or this server) cannot pick it up again: said as it is. */
  | { readonly type: 'cannot_resume'; readonly message: string };

/** What becomes of an answer. */
export type AnswerPlan =
  /** Refused before anything was sent (not open, already answered, not an answer the request takes). */
  | { readonly type: 'refused'; readonly message: string }
  /**
   * Taken and kept until the run's other open requests are answered too, or until the open stream
   * ends (they go back together, as the protocol's own clients send them).
   */
  | { readonly type: 'held'; readonly events: readonly RunEvent[] }
  /** Send this request; its answer is the stream the run goes on with. */
  | { readonly type: 'send'; readonly request: ProtocolRequest; readonly answers: readonly ProtocolAnswer[] };

/** How a run is stopped: a request to the server (when the protocol has one), then what the store learns. */
export interface CancelPlan {
  readonly request: ProtocolRequest | null;
  /** The stop took (the request was answered 2xx, or there was none): the session ends the run; the events say so. */
  confirm(): readonly RunEvent[];
}

/**
 * One run's session: the protocol's state across every stream of the run (open messages and tool
 * calls, open requests, the conversation to send back, the resume cursor). Events it returns are
 * stamped: `run_id`, `at`, and a `seq` numbering everything the session emitted, gapless, so the
 * ordered sink applies each once (where the protocol can resume, frames a resumed stream repeats
 * are recognised here and skipped, never re-emitted).
 */
export interface StreamSession {
  /** The request that starts the run, from the caller's body. */
  start(body: unknown): StartPlan;
  /** The run's id: given, chosen at start, or learned from the stream. */
  readonly runId: string;
  /** A stream from `origin` begins. */
  open(origin: StreamOrigin): void;
  /** Decode one frame of the open stream: events for the store, or typed errors (the stream goes on). */
  frame(frame: StreamFrame): readonly DecodeResult<RunEvent>[];
  /** The open stream ended: `end` when its body closed, `error` when it broke. True when it ended at a point the protocol defines (not cut). */
  close(how: 'end' | 'error'): boolean;
  /** A request that should have opened a stream answered "nothing to stream" (HTTP 204): what the store learns. */
  noStream(): readonly RunEvent[];
  /** What to do while no stream is open. */
  next(): NextStep;
  /** Answer an open request. */
  answer(answer: ProtocolAnswer): AnswerPlan;
  /** The server took answers sent with a `send` plan (its stream follows): what the store learns. */
  answered(answers: readonly ProtocolAnswer[]): readonly RunEvent[];
  /** The request of a `send` plan failed: its answers may be given again. */
  unsent(answers: readonly ProtocolAnswer[]): void;
  /** Stop the run. */
  cancel(): CancelPlan;
}

/** A protocol with HTTP streams of its own. */
export interface StreamProtocol {
  readonly kind: 'stream';
  /** Its name. */
  readonly name: string;
  /** Its endpoint templates (over agentwire's defaults; the caller's `paths` win). */
  readonly paths: Readonly<Partial<EndpointPaths>>;
  /** Open a session for one run. */
  readonly session: (context: SessionContext) => StreamSession;
  /** The run's id, when a frame names it (a run whose id the stream gives: the first frames are read for it). */
  readonly runIdOf?: (frame: StreamFrame) => string | undefined;
}

/** Any protocol. */
export type Protocol = WireProtocol | StreamProtocol;
