/** The checker's own small clients: JSON over fetch, an SSE reader, a WebSocket reader (through `ws` when there is no global WebSocket). */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** A JSON answer. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: unknown;
}

/** Options every request of a check run shares. */
export interface Wire {
  readonly baseUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/** The URL of `path` on the server under test. */
export function urlOf(wire: Wire, path: string): string {
  return `${wire.baseUrl.replace(/\/+$/, '')}${path}`;
}

/** Fetch and read the whole body. */
export async function request(wire: Wire, path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(urlOf(wire, path), {
    ...init,
    headers: { ...wire.headers, ...(init.headers as Record<string, string> | undefined) },
    signal: AbortSignal.timeout(wire.timeoutMs),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** POST a JSON body. */
export function postJson(wire: Wire, path: string, body: unknown): Promise<Answer> {
  return request(wire, path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** What an SSE answer held. */
export interface SseRead {
  readonly status: number;
  readonly headers: Headers;
  readonly messages: EventSourceMessage[];
  readonly comments: string[];
  /** How it ended: `end` (the body ended), `limit` (read what was asked and stopped), `timeout`, `error`. */
  readonly ending: 'end' | 'limit' | 'timeout' | 'error';
  /** Milliseconds from the request to the first body byte (undefined when none came). */
  readonly firstByteMs: number | undefined;
}

/** Read an SSE answer until it ends, `stop` says so, or the timeout. */
export async function readSse(
  wire: Wire,
  path: string,
  options: { headers?: Record<string, string>; method?: string; body?: string; stop?: (read: SseRead) => boolean } = {},
): Promise<SseRead> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), wire.timeoutMs);
  const started = Date.now();
  const read: { -readonly [K in keyof SseRead]: SseRead[K] } = {
    status: 0,
    headers: new Headers(),
    messages: [],
    comments: [],
    ending: 'end',
    firstByteMs: undefined,
  };
  try {
    const response = await fetch(urlOf(wire, path), {
      method: options.method ?? 'GET',
      headers: { Accept: 'text/event-stream', ...wire.headers, ...options.headers },
      ...(options.body !== undefined && { body: options.body }),
      signal: controller.signal,
    });
    read.status = response.status;
    read.headers = response.headers;
    if (!response.body || response.status !== 200) {
      await response.body?.cancel();
      return read;
    }
    const parser = createParser({
      onEvent: (message) => read.messages.push(message),
      onComment: (comment) => read.comments.push(comment.trim()),
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      read.firstByteMs ??= Date.now() - started;
      parser.feed(decoder.decode(value, { stream: true }));
      if (options.stop?.(read)) {
        read.ending = 'limit';
        await reader.cancel().catch(() => undefined);
        break;
      }
    }
    return read;
  } catch {
    read.ending = controller.signal.aborted ? 'timeout' : 'error';
    return read;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** A WebSocket as the checker uses it. */
export interface SocketRead {
  /** Text messages received, in order. */
  readonly messages: string[];
  /** The close code (0 while open). */
  code: number;
  send(text: string): void;
  /** Resolves with the first message matching, or undefined when the socket closed first or the timeout ran out. */
  until(match: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown> | undefined>;
  /** Resolves with the close code (0 on timeout). */
  closed(): Promise<number>;
  close(): void;
}

interface SocketLike {
  send(data: string): void;
  close(code?: number): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onopen: ((event: unknown) => void) | null;
}

type SocketConstructor = new (url: string) => SocketLike;

/** The WebSocket class: the global one, else `ws` (an optional peer dependency); undefined when neither exists. */
export async function webSocketClass(): Promise<SocketConstructor | undefined> {
  const global = (globalThis as { WebSocket?: SocketConstructor }).WebSocket;
  if (global) return global;
  try {
    const ws = (await import('ws')) as unknown as { WebSocket: SocketConstructor };
    return ws.WebSocket;
  } catch {
    return undefined;
  }
}

/** Open a WebSocket to `path` (ws:// or wss:// of the base URL); rejects when it does not open. */
export function openSocket(Socket: SocketConstructor, wire: Wire, path: string): Promise<SocketRead> {
  const url = urlOf(wire, path).replace(/^http/, 'ws');
  return new Promise((resolve, reject) => {
    const socket = new Socket(url);
    const waiters: (() => void)[] = [];
    let position = 0;
    const wake = (): void => {
      for (const waiter of waiters.splice(0)) waiter();
    };
    const read: SocketRead = {
      messages: [],
      code: 0,
      send: (text) => socket.send(text),
      async until(match) {
        const deadline = Date.now() + wire.timeoutMs;
        for (;;) {
          while (position < read.messages.length) {
            let value: unknown;
            try {
              value = JSON.parse(read.messages[position++]!);
            } catch {
              continue;
            }
            if (typeof value === 'object' && value !== null && match(value as Record<string, unknown>))
              return value as Record<string, unknown>;
          }
          if (read.code !== 0 || Date.now() > deadline) return undefined;
          await new Promise<void>((done) => {
            waiters.push(done);
            setTimeout(done, Math.max(0, deadline - Date.now()));
          });
        }
      },
      async closed() {
        const deadline = Date.now() + wire.timeoutMs;
        while (read.code === 0 && Date.now() < deadline)
          await new Promise<void>((done) => {
            waiters.push(done);
            setTimeout(done, Math.max(0, deadline - Date.now()));
          });
        return read.code;
      },
      close: () => socket.close(),
    };
    socket.onmessage = (event) => {
      read.messages.push(typeof event.data === 'string' ? event.data : String(event.data));
      wake();
    };
    socket.onclose = (event) => {
      read.code = event.code;
      wake();
    };
    socket.onerror = () => {
      if (read.code === 0) reject(new Error(`WebSocket ${url} failed to open`));
    };
    socket.onopen = () => resolve(read);
  });
}
