/** fetch wrappers: every failure becomes a TransportError; JSON and snapshots are decoded, never trusted. */
import { decodeSnapshot, parseJson, type DecodedSnapshot } from '../protocol/index.ts';
import { networkError, protocolViolation, statusError, TransportError } from './errors.ts';
import { runUrl, type TransportContext } from './context.ts';

/** A request's target and options. */
export interface RequestSpec {
  url: URL;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** JSON body (POST). */
  json?: unknown;
  signal?: AbortSignal | undefined;
}

/** fetch, turning a network failure into a TransportError and a non-2xx answer into an `http_status` one. */
export async function request(spec: RequestSpec): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(spec.url, {
      method: spec.method ?? 'GET',
      headers: { ...(spec.json !== undefined && { 'Content-Type': 'application/json' }), ...spec.headers },
      ...(spec.json !== undefined && { body: JSON.stringify(spec.json) }),
      ...(spec.signal && { signal: spec.signal }),
      cache: 'no-store',
    });
  } catch (error) {
    if (spec.signal?.aborted && spec.signal.reason instanceof TransportError) throw spec.signal.reason;
    throw networkError(error, `${spec.method ?? 'GET'} ${spec.url.pathname}`);
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

/** The TransportError for a non-2xx response (reads its `{error:{code,message}}` body when there is one). */
export async function errorOf(response: Response): Promise<TransportError> {
  let body: unknown;
  try {
    const parsed = parseJson(await response.text(), 64 * 1024);
    body = parsed.ok ? parsed.value : undefined;
  } catch {
    body = undefined;
  }
  return statusError(response.status, body, response.headers.get('Retry-After'));
}

/** Read a response body as JSON; a body that is not JSON is a protocol violation. */
export async function readJson(response: Response): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw networkError(error, 'reading the response');
  }
  const parsed = parseJson(text);
  if (!parsed.ok) throw protocolViolation(`${response.url}: ${parsed.error.message}`, parsed.error);
  return parsed.value;
}

/** GET the run's snapshot (agentwire's or a plain server's task JSON), decoded. */
export async function fetchSnapshot(
  context: TransportContext,
  signal: AbortSignal,
  query: Record<string, string> = {},
): Promise<DecodedSnapshot> {
  const response = await request({ url: runUrl(context, 'snapshot', query), headers: context.headers, signal });
  const decoded = (context.decoder?.snapshot ?? decodeSnapshot)(await readJson(response), { runId: context.runId });
  if (!decoded.ok) throw protocolViolation(`snapshot: ${decoded.error.message}`, decoded.error);
  return decoded.value;
}

/** Fetch the snapshot and hand it to the sink (which applies it when it is ahead of the store). */
export async function resnapshot(context: TransportContext, signal: AbortSignal): Promise<void> {
  const { snapshot, sequenced } = await fetchSnapshot(context, signal);
  if (!signal.aborted) context.sink.snapshot(snapshot, sequenced);
}
