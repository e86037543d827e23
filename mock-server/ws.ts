/**
 * WebSocket endpoints: agentwire's control plane (`/ws/runs/:id`) and the plain dialect
 * (`/plain/ws/agent/:id`). Events go out through an EventFeed; commands come in through
 * `decodeCommand`. Oversized messages close with 1009 (ws `maxPayload`).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  CLOSE_BAD_REQUEST,
  CLOSE_RUN_NOT_FOUND,
  DEFAULT_PATHS,
  MAX_WS_MESSAGE_BYTES,
  decodeCommand,
  encodeWsMessage,
  isTokenPlaneEvent,
  parseJson,
  type ApiErrorBody,
  type ClientCommand,
  type RunEvent,
  type CommandErrorMessage,
  type SocketPlane,
} from '../src/protocol/index.ts';
import type { ConnectionSet } from './connections.ts';
import { HttpError } from './errors.ts';
import { EventFeed } from './feed.ts';
import { activateFaults, armKill, parseFaults, unavailableError, type EndpointKind, type Faults } from './faults.ts';
import { enumParam, intParam } from './params.ts';
import { PLAIN_WS_HELLO, plainWsError, plainWsMessage } from './plain-shapes.ts';
import { rawDataText } from './raw-data.ts';
import type { RunRegistry } from './registry.ts';
import { PLAIN_PATHS, matchPath, parseRequestUrl } from './routes.ts';
import type { Run } from './run.ts';
import { WsSink } from './ws-sink.ts';

/** WebSocket planes a client may ask for. */
export const SOCKET_PLANES: readonly SocketPlane[] = ['all', 'control'];
/** Longest close reason RFC 6455 allows, in bytes. */
const MAX_CLOSE_REASON_BYTES = 123;

/** What the gateway needs from the app. */
export interface WsGatewayDeps {
  registry: RunRegistry;
  connections: ConnectionSet;
}

type Dialect = 'agentwire' | 'plain';

function closeReason(text: string): string {
  let out = text;
  while (Buffer.byteLength(out) > MAX_CLOSE_REASON_BYTES) out = out.slice(0, -1);
  return out;
}

/** Accepts WebSocket upgrades for the app's socket paths. */
export class WsGateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_MESSAGE_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  });

  constructor(private readonly deps: WsGatewayDeps) {}

  /** Take the upgrade when the path is one of ours; false leaves it to others (e.g. Vite HMR). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = parseRequestUrl(req.url);
    let dialect: Dialect = 'agentwire';
    let id = matchPath(DEFAULT_PATHS.socket, url.pathname);
    if (id === undefined) {
      id = matchPath(PLAIN_PATHS.socket, url.pathname);
      dialect = 'plain';
    }
    if (id === undefined) return false;
    socket.on('error', () => socket.destroy());

    const run = this.deps.registry.get(id);
    if (!run) {
      this.acceptAndClose(req, socket, head, CLOSE_RUN_NOT_FOUND, 'run not found');
      return true;
    }
    let faults: Faults;
    let after = 0;
    let plane: SocketPlane = 'all';
    try {
      const kind: EndpointKind = dialect === 'plain' ? 'plain-ws' : 'ws';
      const request = parseFaults(url.searchParams);
      if (dialect === 'agentwire') {
        after = intParam(url.searchParams, 'after', { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 0;
        plane = enumParam(url.searchParams, 'plane', SOCKET_PLANES) ?? 'all';
      }
      faults = activateFaults(run, kind, request);
    } catch (err) {
      const message = err instanceof HttpError ? err.message : 'bad request';
      this.acceptAndClose(req, socket, head, CLOSE_BAD_REQUEST, message);
      return true;
    }
    if (faults.unavailable) {
      run.countFault('503');
      rejectUpgrade(socket, unavailableError());
      return true;
    }
    armKill(run, faults, this.deps.connections);
    const accept = (): void => {
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        if (dialect === 'plain') this.plainSession(ws, run, faults);
        else this.session(ws, run, { after, plane, faults });
      });
    };
    if (faults.delayMs > 0) {
      run.countFault('delay');
      const forget = this.deps.connections.add({ kill: () => socket.destroy() }, run.id);
      const timer = setTimeout(() => {
        forget();
        if (!socket.destroyed) accept();
      }, faults.delayMs);
      socket.once('close', () => {
        clearTimeout(timer);
        forget();
      });
    } else {
      accept();
    }
    return true;
  }

  /** Close every socket and the server. */
  close(): void {
    this.wss.close();
  }

  private acceptAndClose(req: IncomingMessage, socket: Duplex, head: Buffer, code: number, reason: string): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      ws.close(code, closeReason(reason));
    });
  }

  private track(ws: WebSocket, run: Run, feed: EventFeed): void {
    const forget = this.deps.connections.add({ kill: () => ws.terminate() }, run.id);
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      feed.stop();
      forget();
    });
  }

  private session(ws: WebSocket, run: Run, options: { after: number; plane: SocketPlane; faults: Faults }): void {
    const sink = new WsSink(ws, (record) => record.json);
    const filter = options.plane === 'control' ? (event: RunEvent) => !isTokenPlaneEvent(event) : undefined;
    const feed = new EventFeed(run, sink, { after: options.after, filter, faults: options.faults });
    this.track(ws, run, feed);
    ws.on('message', (data, isBinary) => {
      const command = readCommand(data, isBinary);
      if (!command.ok) {
        sink.send(encodeWsMessage(command.error));
        return;
      }
      const refusal = this.execute(run, feed, sink, command.value);
      if (refusal) sink.send(encodeWsMessage(refusal));
    });
    feed.start();
  }

  private execute(run: Run, feed: EventFeed, sink: WsSink, command: ClientCommand): CommandErrorMessage | undefined {
    switch (command.type) {
      case 'ping':
        sink.send(encodeWsMessage(command.id === undefined ? { type: 'pong' } : { type: 'pong', id: command.id }));
        return undefined;
      case 'resume':
        feed.rewind(command.after_seq);
        return undefined;
      case 'user_reply': {
        const outcome = run.reply(command.text, command.resume_token);
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
        const outcome = run.cancel();
        if (outcome.ok) return undefined;
        const { code, message, status } = outcome.error;
        return { type: 'command_error', code, message, status, command: 'cancel' };
      }
    }
  }

  private plainSession(ws: WebSocket, run: Run, faults: Faults): void {
    const sink = new WsSink(ws, (record) => plainWsMessage(record.event));
    const feed = new EventFeed(run, sink, { after: 0, faults });
    this.track(ws, run, feed);
    sink.send(PLAIN_WS_HELLO);
    ws.on('message', (data, isBinary) => {
      const command = readCommand(data, isBinary);
      if (!command.ok) {
        sink.send(plainWsError(command.error.code, command.error.message));
        return;
      }
      const value = command.value;
      if (value.type === 'user_reply' || value.type === 'cancel') {
        const outcome = value.type === 'cancel' ? run.cancel() : run.reply(value.text, value.resume_token);
        if (!outcome.ok) sink.send(plainWsError(outcome.error.code, outcome.error.message));
      } else if (value.type === 'ping') {
        sink.send(JSON.stringify({ type: 'pong' }));
      }
    });
    feed.start();
  }
}

type CommandRead = { ok: true; value: ClientCommand } | { ok: false; error: CommandErrorMessage };

/** Decode one client message; refusals are `bad_command` (400) naming the field when one is to blame. */
function readCommand(data: RawData, isBinary: boolean): CommandRead {
  if (isBinary) return badCommand('commands must be text messages holding JSON');
  const parsed = parseJson(rawDataText(data), MAX_WS_MESSAGE_BYTES);
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

/** Refuse an upgrade with a plain HTTP answer (what a real 503 in front of a WebSocket looks like). */
function rejectUpgrade(socket: Duplex, error: HttpError): void {
  const body: ApiErrorBody = { error: { code: error.code, message: error.message } };
  const json = JSON.stringify(body);
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(json)),
    'Access-Control-Allow-Origin': '*',
    Connection: 'close',
    ...error.headers,
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${error.status} Service Unavailable\r\n${head}\r\n${json}`);
}
