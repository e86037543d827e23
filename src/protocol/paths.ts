/** Endpoint templates of a backend; `{id}` is replaced by the URL-encoded run id (the thread id for `thread`). */
export interface EndpointPaths {
  /** `POST` starts a run. */
  runs: string;
  /** `GET` a run's snapshot. */
  snapshot: string;
  /** `GET ?after=N[&wait=S]` events after a seq (polling). */
  events: string;
  /** SSE with every event. */
  stream: string;
  /** SSE with token events only (hybrid token plane). */
  tokens: string;
  /** WebSocket control plane. */
  socket: string;
  /** `POST {text, resume_token}` answers a need_input. */
  input: string;
  /** `POST` stops the run. */
  cancel: string;
  /** `GET` a conversation's past turns (`{id}` = the thread id). */
  thread: string;
}

/** agentwire's own endpoints, the defaults of every transport and the mock server's routes. */
export const DEFAULT_PATHS: Readonly<EndpointPaths> = /* @__PURE__ */ Object.freeze({
  runs: '/api/runs',
  snapshot: '/api/runs/{id}',
  events: '/api/runs/{id}/events',
  stream: '/api/runs/{id}/stream',
  tokens: '/api/runs/{id}/tokens',
  socket: '/ws/runs/{id}',
  input: '/api/runs/{id}/input',
  cancel: '/api/runs/{id}/cancel',
  thread: '/api/threads/{id}',
});

/** Fill a path template with a run id. */
export function fillPath(template: string, runId: string): string {
  return template.replaceAll('{id}', encodeURIComponent(runId));
}

/** Resolve a path template against a base URL; the base's own path is kept as a prefix, relative bases resolve against `location`. */
export function endpointUrl(baseUrl: string, template: string, runId: string): URL {
  const path = fillPath(template, runId);
  if (/^[a-z][a-z\d+.-]*:/i.test(path)) return new URL(path);
  const joined = baseUrl.replace(/\/+$/, '') + path;
  return new URL(joined, typeof location === 'undefined' ? undefined : location.href);
}

/** The ws(s):// twin of an http(s):// URL (other schemes are kept). */
export function toWebSocketUrl(url: URL): URL {
  const out = new URL(url.href);
  if (out.protocol === 'http:') out.protocol = 'ws:';
  else if (out.protocol === 'https:') out.protocol = 'wss:';
  return out;
}
