/** The kit's endpoints (agentwire's DEFAULT_PATHS plus the chat-style start) and a matcher for `{id}` templates. */
import { DEFAULT_PATHS, type EndpointPaths } from '../../protocol/index.ts';

/** Endpoint templates of a server: the client's, plus `createStream` (chat-style start). */
export interface ServerPaths extends EndpointPaths {
  /** `POST` creates a run and answers with its SSE stream (header `X-Run-Id`). */
  createStream: string;
}

/** The kit's default endpoints. */
export const SERVER_PATHS: Readonly<ServerPaths> = Object.freeze({
  ...DEFAULT_PATHS,
  createStream: `${DEFAULT_PATHS.runs}/stream`,
});

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

/** Parse a request target (path + query) without trusting its host. */
export function parseRequestUrl(target: string | undefined): URL {
  const path = target ?? '/';
  return path.startsWith('/') ? new URL(`http://agentwire.invalid${path}`) : new URL(path, 'http://agentwire.invalid');
}
