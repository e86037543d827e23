/** fetch wrappers: every failure becomes a TransportError; JSON and snapshots are decoded, never trusted. */
import { decodeSnapshot, parseJson, type DecodedSnapshot } from '../protocol/index.ts';
import { networkError, protocolViolation, statusError, TransportError } from './errors.ts';
import { runUrl, type TransportContext } from './context.ts';
import { utf8Bytes, type TapFrame, type WirePlane, type WireTap } from './tap.ts';

/** A request's target and options. */
export interface RequestSpec {
  url: URL;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** JSON body (POST). */
  json?: unknown;
  signal?: AbortSignal | undefined;
  /** The wire observer, told about the request (and the body of an error answer), on `plane`. */
  tap?: { readonly tap: WireTap | undefined; readonly plane: WirePlane } | undefined;
}

/** fetch, turning a network failure into a TransportError and a non-2xx answer into an `http_status` one. */
export async function request(spec: RequestSpec): Promise<Response> {
  let response: Response;
  const body = spec.json === undefined ? undefined : JSON.stringify(spec.json);
  const tap = spec.tap?.tap;
  const plane = spec.tap?.plane ?? 'command';
  tap?.({
    kind: 'request',
    plane,
    method: spec.method ?? 'GET',
    url: spec.url.href,
    bytes: body ? utf8Bytes(body) : 0,
  });
  try {
    response = await fetch(spec.url, {
      method: spec.method ?? 'GET',
      headers: { ...(spec.json !== undefined && { 'Content-Type': 'application/json' }), ...spec.headers },
      ...(body !== undefined && { body }),
      ...(spec.signal && { signal: spec.signal }),
      cache: 'no-store',
    });
  } catch (error) {
    if (spec.signal?.aborted && spec.signal.reason instanceof TransportError) throw spec.signal.reason;
    throw networkError(error, `${spec.method ?? 'GET'} ${spec.url.pathname}`);
  }
  if (!response.ok) throw await errorOf(response, tap && ((text) => tap(inFrame(plane, text, response.status))));
  return response;
}

/** A frame received, for the tap (`bytes`: as received, when known; else the text's UTF-8 length). */
export function inFrame(plane: WirePlane, text: string, status?: number, bytes?: number): TapFrame {
  return {
    kind: 'frame',
    plane,
    direction: 'in',
    bytes: bytes ?? utf8Bytes(text),
    text,
    ...(status !== undefined && { status }),
  };
}

/** The TransportError for a non-2xx response (reads its `{error:{code,message}}` body when there is one); `seen` gets the body text. */
export async function errorOf(response: Response, seen?: (text: string) => void): Promise<TransportError> {
  let body: unknown;
  try {
    const text = await response.text();
    seen?.(text);
    const parsed = parseJson(text, 64 * 1024);
    body = parsed.ok ? parsed.value : undefined;
  } catch {
    body = undefined;
  }
  return statusError(response.status, body, response.headers.get('Retry-After'));
}

/** Read a response body as JSON; a body that is not JSON is a protocol violation. `seen` gets the text. */
export async function readJson(response: Response, seen?: (text: string) => void): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw networkError(error, 'reading the response');
  }
  seen?.(text);
  const parsed = parseJson(text);
  if (!parsed.ok) throw protocolViolation(`${response.url}: ${parsed.error.message}`, parsed.error);
  return parsed.value;
}

/** GET the run's snapshot (agentwire's or a plain server's task JSON), decoded. */
export async function fetchSnapshot(
  context: TransportContext,
  signal: AbortSignal,
  query: Record<string, string> = {},
  plane: WirePlane = 'snapshot',
): Promise<DecodedSnapshot> {
  const { tap } = context;
  const response = await request({
    url: runUrl(context, 'snapshot', query),
    headers: context.headers,
    signal,
    tap: { tap, plane },
  });
  const json = await readJson(response, tap && ((text) => tap(inFrame(plane, text, response.status))));
  const decoded = (context.decoder?.snapshot ?? decodeSnapshot)(json, { runId: context.runId });
  if (!decoded.ok) throw protocolViolation(`snapshot: ${decoded.error.message}`, decoded.error);
  return decoded.value;
}

/** Fetch the snapshot and hand it to the sink (which applies it when it is ahead of the store). */
export async function resnapshot(context: TransportContext, signal: AbortSignal): Promise<void> {
  const { snapshot, sequenced } = await fetchSnapshot(context, signal);
  if (!signal.aborted) context.sink.snapshot(snapshot, sequenced);
}
