/**
 * Small real-network clients for tests and tools that talk to the mock server from Node:
 * an SSE reader over fetch streams, a WebSocket client with a message queue, and REST helpers.
 * They wait for what arrives; they never sleep.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { WebSocket } from 'ws';
import type { ApiErrorBody, EventsPage, RunEvent } from '../src/protocol/index.ts';
import { rawDataText } from './raw-data.ts';

/** How an SSE or WebSocket connection ended, as a client saw it. */
export type StreamEnd = { kind: 'end' } | { kind: 'error'; error: unknown };

/** A queue of items that arrive over time, with promise-based waiting. */
class Inbox<T> {
  readonly items: T[] = [];
  private read = 0;
  private waiters: (() => void)[] = [];
  private finished = false;

  push(item: T): void {
    this.items.push(item);
    this.wake();
  }

  finish(): void {
    this.finished = true;
    this.wake();
  }

  /** The next unread item, or undefined once the source ended with nothing left. */
  async next(): Promise<T | undefined> {
    while (this.read >= this.items.length) {
      if (this.finished) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.items[this.read++];
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** An SSE response read with eventsource-parser. */
export class SseClient {
  /** Comments seen (heartbeats are `ping`). */
  readonly comments: string[] = [];
  /** Resolves when the body ended (cleanly or not). */
  readonly ended: Promise<StreamEnd>;
  /** Set when the first body byte arrived. */
  firstByteAt: number | undefined;
  private readonly inbox = new Inbox<EventSourceMessage>();
  private commentWaiters: (() => void)[] = [];
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;

  private constructor(
    /** The HTTP response. */
    readonly response: Response,
    private readonly controller: AbortController,
  ) {
    this.ended = this.pump();
  }

  /** Open an SSE request (GET unless `init` says otherwise). */
  static async open(url: string | URL, init: RequestInit = {}): Promise<SseClient> {
    const controller = new AbortController();
    const response = await fetch(url, { ...init, signal: controller.signal });
    return new SseClient(response, controller);
  }

  /** Every message received so far. */
  get messages(): readonly EventSourceMessage[] {
    return this.inbox.items;
  }

  /** The next message, or undefined when the stream ended. */
  next(): Promise<EventSourceMessage | undefined> {
    return this.inbox.next();
  }

  /** Read messages until one matches (returned); undefined when the stream ended first. */
  async until(predicate: (message: EventSourceMessage) => boolean): Promise<EventSourceMessage | undefined> {
    for (;;) {
      const message = await this.next();
      if (message === undefined || predicate(message)) return message;
    }
  }

  /** Resolve on the next comment. */
  nextComment(): Promise<void> {
    return new Promise((resolve) => this.commentWaiters.push(resolve));
  }

  /** Read to the end; returns every message. */
  async all(): Promise<readonly EventSourceMessage[]> {
    await this.ended;
    return this.messages;
  }

  /** Abort the request (disconnect). */
  close(): void {
    this.controller.abort();
    // An abort after the body was complete can leave a pending read unsettled (undici): cancel the reader too.
    this.reader?.cancel(this.controller.signal.reason).catch(() => undefined);
  }

  private async pump(): Promise<StreamEnd> {
    const parser = createParser({
      onEvent: (message) => this.inbox.push(message),
      onComment: (comment) => {
        this.comments.push(comment.trim());
        const waiters = this.commentWaiters;
        this.commentWaiters = [];
        for (const wake of waiters) wake();
      },
    });
    try {
      if (!this.response.body) return { kind: 'end' };
      const decoder = new TextDecoder();
      this.reader = this.response.body.getReader();
      for (;;) {
        const { done, value } = await this.reader.read();
        if (done) break;
        this.firstByteAt ??= Date.now();
        parser.feed(decoder.decode(value, { stream: true }));
      }
      if (this.controller.signal.aborted) return { kind: 'error', error: this.controller.signal.reason };
      return { kind: 'end' };
    } catch (error) {
      return { kind: 'error', error };
    } finally {
      this.inbox.finish();
    }
  }
}

/** A close as the client saw it. */
export interface WsClose {
  code: number;
  reason: string;
}

/** A `ws` client that queues text messages. */
export class WsClient {
  /** Resolves when the socket closed. */
  readonly closed: Promise<WsClose>;
  private readonly inbox = new Inbox<string>();

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.inbox.finish();
        resolve({ code, reason: reason.toString('utf8') });
      });
    });
    socket.on('message', (data) => this.inbox.push(rawDataText(data)));
    socket.on('error', () => undefined);
  }

  /** Connect; rejects when the handshake fails (e.g. a 503), with the HTTP status when there was one. */
  static open(url: string | URL): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const client = new WsClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) => {
        reject(new Error(`unexpected response ${res.statusCode ?? 0}`, { cause: res.statusCode }));
        socket.terminate();
      });
      socket.once('error', reject);
    });
  }

  /** Every message received so far. */
  get messages(): readonly string[] {
    return this.inbox.items;
  }

  /** The next message text, or undefined once closed. */
  next(): Promise<string | undefined> {
    return this.inbox.next();
  }

  /** The next message parsed as JSON, or undefined once closed. */
  async nextJson(): Promise<Record<string, unknown> | undefined> {
    const text = await this.next();
    return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
  }

  /** Read JSON messages until one matches (returned); undefined when closed first. */
  async until(predicate: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown> | undefined> {
    for (;;) {
      const text = await this.next();
      if (text === undefined) return undefined;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        continue;
      }
      if (typeof value === 'object' && value !== null && predicate(value as Record<string, unknown>))
        return value as Record<string, unknown>;
    }
  }

  /** Send a JSON message (or raw text). */
  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Close and wait for the close to complete. */
  async close(): Promise<WsClose> {
    if (this.socket.readyState === WebSocket.CONNECTING || this.socket.readyState === WebSocket.OPEN)
      this.socket.close();
    return this.closed;
  }
}

/** A JSON REST answer. */
export interface JsonAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Fetch and parse JSON (whatever the status). */
export async function fetchJson<T = unknown>(url: string | URL, init: RequestInit = {}): Promise<JsonAnswer<T>> {
  const response = await fetch(url, init);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text === '' ? undefined : JSON.parse(text)) as T,
  };
}

/** POST JSON and parse the JSON answer. */
export function postJson<T = unknown>(url: string | URL, body: unknown): Promise<JsonAnswer<T>> {
  return fetchJson<T>(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Start a run; throws unless the server answered 201. */
export async function createRun(baseUrl: string, body: Record<string, unknown> = {}): Promise<string> {
  const answer = await postJson<{ run_id: string } | ApiErrorBody>(`${baseUrl}/api/runs`, body);
  if (answer.status !== 201 || !('run_id' in answer.body))
    throw new Error(`createRun failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.run_id;
}

/** Long-poll `/events` until an event matches (returned, with every event seen up to it). */
export async function waitForEvent(
  baseUrl: string,
  runId: string,
  predicate: (event: RunEvent) => boolean,
  after = 0,
): Promise<{ event: RunEvent; seen: RunEvent[] }> {
  const seen: RunEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await fetchJson<EventsPage>(
      `${baseUrl}/api/runs/${encodeURIComponent(runId)}/events?after=${cursor}&wait=10`,
    );
    if (page.status !== 200) throw new Error(`poll failed: ${page.status} ${JSON.stringify(page.body)}`);
    for (const event of page.body.events) {
      seen.push(event);
      if (predicate(event)) return { event, seen };
    }
    if (
      page.body.events.length === 0 &&
      ['done', 'failed', 'cancelled'].includes(page.body.state) &&
      page.body.last_seq <= cursor
    ) {
      throw new Error(`run ${runId} ended without a matching event`);
    }
    cursor = page.body.last_seq;
  }
}

/** Every event of a run (long-polling until its `done`). */
export async function allEvents(baseUrl: string, runId: string): Promise<RunEvent[]> {
  return (await waitForEvent(baseUrl, runId, (event) => event.type === 'done')).seen;
}
