/**
 * The plain fixture servers (examples/servers/), as the browser tests reach them: through the
 * test runner's server commands (test/plain-servers/commands.ts), which start each on first use.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import { createRun } from '../../../src/bundle.ts';
import type { PlainServerKey, PlainServerLog, PlainServerWait } from '../../plain-servers/commands.ts';
import type { LoggedRequest, PlainLanguage, PlainPattern } from '../../plain-servers/harness.ts';

export type { LoggedRequest, PlainLanguage, PlainPattern };

/** Both variants of every pattern are tested. */
export const LANGUAGES: readonly PlainLanguage[] = ['python', 'node'];

/**
 * The base URL of a fixture server (started once per test run and key). `env` sets its defaults:
 * the REST and SSE tasks run at their real pace (about 2 s) unless a test asks for `speed=0`.
 */
export async function plainServer(
  pattern: PlainPattern,
  language: PlainLanguage,
  env: Record<string, string> = {},
): Promise<string> {
  const url = await executeServerCommand<unknown, PlainServerKey>('plain-server-url', { pattern, language, env });
  if (typeof url !== 'string') throw new Error('the test runner has no plain-server commands');
  return url;
}

/** What a fixture server logged so far. */
export function serverLog(url: string): Promise<PlainServerLog> {
  return executeServerCommand<PlainServerLog, { url: string }>('plain-server-log', { url });
}

/** Requests and connections a server logged whose path (without the query) is `pathname`. */
export async function requestsTo(url: string, pathname: string): Promise<LoggedRequest[]> {
  return (await serverLog(url)).requests.filter((r) => r.pathname === pathname);
}

/** Resolve once the server printed `count` lines matching `match` (event-driven on the runner's side). */
export function serverPrinted(url: string, match: RegExp, count = 1, timeoutMs = 10_000): Promise<string[]> {
  return executeServerCommand<string[], PlainServerWait>('plain-server-wait', {
    url,
    source: match.source,
    count,
    timeoutMs,
  });
}

/**
 * Start a task or run with the bundle's `createRun` (`POST <path>`), which reads the id the
 * server answers with (`{task_id}` or `{run_id}`); `switches` go in the query (speed, fail, ...).
 */
export function startTask(url: string, path: string, switches: Record<string, string> = {}): Promise<string> {
  const query = new URLSearchParams(switches).toString();
  return createRun({ baseUrl: url, paths: { runs: query ? `${path}?${query}` : path } });
}

/** Escape a string for a RegExp source. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
