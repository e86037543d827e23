/**
 * The kit's neutral view of HTTP, so every handler is written once for Node's http server,
 * Connect/Express and fetch runtimes: a request to read, a reply to give (a body, or a stream
 * fed through a sink with backpressure), and a socket for WebSocket sessions.
 */

/** One incoming request, whatever server received it. */
export interface ServerRequest {
  /** `GET`, `POST`, … */
  readonly method: string;
  /** Path and query (the host is not trusted: `http://agentwire.invalid/...`). */
  readonly url: URL;
  /** A request header (case-insensitive name), or undefined. */
  header(name: string): string | undefined;
  /** The body as UTF-8 text; rejects with HttpError 413 over `limit` bytes. */
  readText(limit: number): Promise<string>;
  /** Aborted when the client went away. */
  readonly signal: AbortSignal;
  /** Cut the connection now, without an answer (dropped connections, injected faults). */
  destroy(): void;
  /** The peer's address, when the server knows it. */
  readonly remoteAddress: string | undefined;
  /** The server's own request object (`IncomingMessage`, `Request`), for hooks that need more. */
  readonly raw: unknown;
}

/** Where a streamed reply writes, with backpressure. */
export interface StreamSink {
  /** Write text; false when the peer is backed up (wait for `onDrain` before writing much more). */
  write(text: string): boolean;
  /** Call `listener` once when a backed-up sink can take more. */
  onDrain(listener: () => void): void;
  /** True while writes would not back up. */
  readonly writable: boolean;
  /** End the body normally. */
  end(): void;
  /** Cut the body mid-stream once what was written went out (the client sees it end unexpectedly). */
  abort(): void;
  /** Call `listener` once when the reply is over: ended, aborted, or the client went away. */
  onClose(listener: () => void): void;
  /** True once the reply is over. */
  readonly closed: boolean;
}

/** A complete answer. */
export interface BodyReply {
  readonly kind: 'body';
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body text ('' for none). */
  readonly body: string;
}

/** A streamed answer: headers first, then whatever `start` writes to the sink. */
export interface StreamReply {
  readonly kind: 'stream';
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Called once the headers went out. */
  start(sink: StreamSink): void;
}

/** No answer at all: the connection was cut or the client went away meanwhile. */
export interface NoReply {
  readonly kind: 'none';
  readonly status: 0;
  readonly headers: Readonly<Record<string, string>>;
}

/** What a handler answers. */
export type Reply = BodyReply | StreamReply | NoReply;

/** The answer for a connection that is already gone. */
export const NO_REPLY: NoReply = Object.freeze({ kind: 'none', status: 0, headers: Object.freeze({}) });

/** A WebSocket, whatever library or runtime holds it. */
export interface ServerSocket {
  /** Send a text message; `sent` is called once it was handed to the network (or failed). */
  send(text: string, sent?: () => void): void;
  /** Bytes queued and not yet sent. */
  readonly bufferedAmount: number;
  /** True while messages can be sent. */
  readonly open: boolean;
  /** Close with a code and a reason (at most 123 bytes). */
  close(code: number, reason: string): void;
  /** Cut the connection without a close frame. */
  terminate(): void;
  /** Each message: its text, or undefined for a binary message. */
  onMessage(listener: (text: string | undefined) => void): void;
  /** Once, when the socket closed (either side). */
  onClose(listener: () => void): void;
}
