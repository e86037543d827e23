/**
 * agentwire's WebSocket session (`/ws/runs/{id}`): the run's events out (all of them, or the
 * control plane without tokens), commands in: `ping`, `resume`, `user_reply`, `cancel`. A
 * refused command gets a `command_error` (the same code and status as on REST); the session
 * closes 1000 after the run's last event.
 */
import {
  CLOSE_EVENTS_TRIMMED,
  CLOSE_NORMAL,
  MAX_WS_MESSAGE_BYTES,
  decodeCommand,
  encodeWsMessage,
  parseJson,
  type ClientCommand,
  type CommandErrorMessage,
  type SocketPlane,
} from '../../protocol/index.ts';
import { RunKitError } from '../errors.ts';
import type { CommandOutcome, RunLog } from '../log.ts';
import { WS_HIGH_WATER_BYTES } from '../limits.ts';
import type { StoredEvent } from '../stored-event.ts';
import type { ConnectionSet } from './connections.ts';
import { EventFeed, type FeedSink, type FeedTap, type RawFrames } from './feed.ts';
import type { ServerSocket } from './request.ts';
import { toHttpError } from './respond.ts';

/** WebSocket close code sent when the run log failed (the client retries). */
export const CLOSE_LOG_UNAVAILABLE = 1011;

/** Sends a feed's events on one socket, one message each, honouring its send buffer. */
export class SocketFeedSink implements FeedSink {
  private pendingSends = 0;
  private drainWaiter: (() => void) | undefined;
  private aborting = false;
  private closed = false;

  constructor(
    private readonly socket: ServerSocket,
    private readonly encode: (record: StoredEvent) => string | undefined = (record) => record.json,
  ) {}

  write(record: StoredEvent): void {
    const text = this.encode(record);
    if (text !== undefined) this.send(text);
  }

  writeRaw(raw: RawFrames): void {
    this.send(raw.message);
  }

  /** Send one text message (also used for answers to commands). */
  send(text: string): void {
    if (this.closed || !this.socket.open) return;
    this.pendingSends++;
    this.socket.send(text, () => {
      this.pendingSends--;
      this.settle();
    });
  }

  flush(): boolean {
    return this.socket.bufferedAmount < WS_HIGH_WATER_BYTES;
  }

  onDrain(resume: () => void): void {
    this.drainWaiter = resume;
    this.settle();
  }

  abort(): void {
    this.closed = true;
    this.aborting = true;
    this.settle();
  }

  complete(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(CLOSE_NORMAL, 'run finished');
  }

  fail(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    // Behind a trim (e.g. a `resume` to a trimmed seq): the client fetches the snapshot and reconnects after its seq.
    if (error instanceof RunKitError && error.code === 'events_trimmed')
      this.socket.close(CLOSE_EVENTS_TRIMMED, 'events_trimmed');
    else this.socket.close(CLOSE_LOG_UNAVAILABLE, 'run log unavailable');
  }

  private settle(): void {
    if (this.aborting && this.pendingSends === 0) {
      this.aborting = false;
      this.socket.terminate();
      return;
    }
    if (this.drainWaiter && this.socket.bufferedAmount < WS_HIGH_WATER_BYTES / 2) {
      const resume = this.drainWaiter;
      this.drainWaiter = undefined;
      resume();
    }
  }
}

type CommandRead = { ok: true; value: ClientCommand } | { ok: false; error: CommandErrorMessage };

/** Decode one client message; refusals are `bad_command` (400) naming the field when one is to blame. */
export function readCommand(text: string | undefined): CommandRead {
  if (text === undefined) return badCommand('commands must be text messages holding JSON');
  const parsed = parseJson(text, MAX_WS_MESSAGE_BYTES);
  if (!parsed.ok) return badCommand(parsed.error.message);
  const decoded = decodeCommand(parsed.value);
  if (decoded.ok) return decoded;
  const raw = parsed.value;
  const type =
    typeof raw === 'object' && raw !== null && 'type' in raw && typeof raw.type === 'string' ? raw.type : undefined;
  return badCommand(decoded.error.message, type, decoded.error.field);
}

function badCommand(message: string, command?: string, field?: string): { ok: false; error: CommandErrorMessage } {
  return {
    ok: false,
    error: {
      type: 'command_error',
      code: 'bad_command',
      message,
      status: 400,
      ...(command !== undefined && { command }),
      ...(field !== undefined && { field }),
    },
  };
}

/** Called with every reply a run receives, and what became of it (e.g. to keep a record). */
export type ReplyObserver = (
  runId: string,
  reply: { text: string; resume_token: string },
  outcome: CommandOutcome,
) => void;

/** Everything one agentwire session needs. */
export interface SocketSessionOptions {
  readonly socket: ServerSocket;
  readonly log: RunLog;
  readonly connections: ConnectionSet;
  readonly runId: string;
  readonly after: number;
  readonly plane: SocketPlane;
  readonly tap?: FeedTap | undefined;
  readonly onReply?: ReplyObserver | undefined;
  /** Turns an unexpected failure into its report (the server's `onError`). */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/** Run agentwire's session on an open socket. */
export function agentwireSession(options: SocketSessionOptions): void {
  const { socket, log, runId } = options;
  const sink = new SocketFeedSink(socket);
  const filter = options.plane === 'control' ? (record: StoredEvent) => record.type !== 'token' : undefined;
  const feed = new EventFeed(log.tail(runId, options.after), sink, { filter, tap: options.tap });
  const forget = options.connections.add({ kill: () => socket.terminate() }, runId);
  socket.onClose(() => {
    feed.stop();
    forget();
  });
  // Commands run one after the other, in the order they arrived.
  let queue: Promise<void> = Promise.resolve();
  socket.onMessage((text) => {
    const command = readCommand(text);
    if (!command.ok) {
      sink.send(encodeWsMessage(command.error));
      return;
    }
    queue = queue.then(async () => {
      const answer = await execute(command.value, options, feed);
      if (answer) sink.send(encodeWsMessage(answer));
    });
  });
  feed.start();
}

async function execute(
  command: ClientCommand,
  options: SocketSessionOptions,
  feed: EventFeed,
): Promise<CommandErrorMessage | { type: 'pong'; id?: string } | undefined> {
  switch (command.type) {
    case 'ping':
      return command.id === undefined ? { type: 'pong' } : { type: 'pong', id: command.id };
    case 'resume':
      feed.rewind(command.after_seq);
      return undefined;
    case 'user_reply': {
      let outcome: CommandOutcome;
      try {
        outcome = await options.log.answer(options.runId, command);
      } catch (error) {
        return failure(error, options, 'user_reply', command.resume_token);
      }
      options.onReply?.(options.runId, command, outcome);
      if (outcome.ok) return undefined;
      const { code, message, status } = outcome.error;
      return {
        type: 'command_error',
        code,
        message,
        status,
        command: 'user_reply',
        resume_token: command.resume_token,
      };
    }
    case 'cancel': {
      let outcome: CommandOutcome;
      try {
        outcome = await options.log.cancel(options.runId);
      } catch (error) {
        return failure(error, options, 'cancel');
      }
      if (outcome.ok) return undefined;
      const { code, message, status } = outcome.error;
      return { type: 'command_error', code, message, status, command: 'cancel' };
    }
  }
}

function failure(
  error: unknown,
  options: SocketSessionOptions,
  command: string,
  resumeToken?: string,
): CommandErrorMessage {
  const http = toHttpError(error);
  if (http.status >= 500 && http.code === 'internal_error') options.onError?.(error);
  return {
    type: 'command_error',
    code: http.code,
    message: http.message,
    status: http.status,
    command,
    ...(resumeToken !== undefined && { resume_token: resumeToken }),
  };
}
