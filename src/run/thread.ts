/** `loadThread`: a conversation's history from its backend (`GET` the thread path), decoded. */
import { DEFAULT_PATHS, decodeThread, endpointUrl, type ThreadSnapshot } from '../protocol/index.ts';
import { protocolViolation } from '../transports/errors.ts';
import { readJson, request } from '../transports/http.ts';

/** Options of `loadThread`. */
export interface LoadThreadOptions {
  /** Origin (and optional path prefix) of the backend. */
  baseUrl: string;
  /** The conversation. */
  threadId: string;
  /** Endpoint templates; `thread` (`{id}` = thread id) is the one used. */
  paths?: { thread?: string };
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/**
 * Fetch a thread's runs and messages. Rejects with a TransportError: `http_status` for an answer
 * that is not 2xx, `network`, or `protocol` when the body is not a thread.
 */
export async function loadThread(options: LoadThreadOptions): Promise<ThreadSnapshot> {
  const template = options.paths?.thread ?? DEFAULT_PATHS.thread;
  const response = await request({
    url: endpointUrl(options.baseUrl, template, options.threadId),
    headers: { Accept: 'application/json', ...options.headers },
    signal: options.signal,
  });
  const decoded = decodeThread(await readJson(response));
  if (!decoded.ok) throw protocolViolation(`the thread answer: ${decoded.error.message}`, decoded.error);
  return decoded.value;
}
