/** The mock server's paths: agentwire's DEFAULT_PATHS plus its own extras, and a matcher for `{id}` templates. */
import { DEFAULT_PATHS } from '../src/protocol/index.ts';

/** `POST` starts a run and answers with its SSE stream directly (chat-style start). */
export const CHAT_STREAM_PATH = `${DEFAULT_PATHS.runs}/stream`;
/** `GET` lists the scenarios. */
export const SCENARIOS_PATH = '/api/scenarios';

/** Endpoints of the plain (tutorial-style) dialect. */
export const PLAIN_PATHS = Object.freeze({
  /** `POST {scenario?}` → `{task_id}`. */
  tasks: '/plain/tasks',
  /** `GET` → `{task_id, status, progress, result}`. */
  task: '/plain/tasks/{id}',
  /** SSE without ids, event name = type. */
  stream: '/plain/tasks/{id}/stream',
  /** WebSocket with plain JSON messages. */
  socket: '/plain/ws/agent/{id}',
});

/** Path prefixes the app owns; everything else goes to `next()`. */
export const OWNED_PREFIXES: readonly string[] = ['/api/', '/ws/', '/plain/'];

const compiled = new Map<string, RegExp>();

function compile(template: string): RegExp {
  let re = compiled.get(template);
  if (!re) {
    const parts = template.split('{id}').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    re = new RegExp(`^${parts.join('([^/]+)')}/?$`);
    compiled.set(template, re);
  }
  return re;
}

/** The decoded `{id}` when `pathname` matches `template` ('' for templates without `{id}`), else undefined. */
export function matchPath(template: string, pathname: string): string | undefined {
  const match = compile(template).exec(pathname);
  if (!match) return undefined;
  const raw = match[1];
  if (raw === undefined) return '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** True when the app owns this path. */
export function isOwnedPath(pathname: string): boolean {
  return OWNED_PREFIXES.some((prefix) => pathname.startsWith(prefix) || pathname === prefix.slice(0, -1));
}

/** Parse a request URL (path + query) without trusting its host. */
export function parseRequestUrl(url: string | undefined): URL {
  const path = url ?? '/';
  return path.startsWith('/') ? new URL(`http://mock.invalid${path}`) : new URL(path, 'http://mock.invalid');
}
