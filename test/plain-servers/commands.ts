/**
 * Server commands the plain-server browser tests (test/browser/plain-servers/) call through
 * `executeServerCommand`: the URL of a fixture server (started on first use, then shared by every
 * test file of the run), what it logged, and a wait for a line it is about to print. Every server
 * started is stopped with the test runner.
 */
import type { TestRunnerPlugin } from '@web/test-runner';
import {
  PLAIN_LANGUAGES,
  PLAIN_PATTERNS,
  startPlainServer,
  type LoggedRequest,
  type PlainLanguage,
  type PlainPattern,
  type PlainServer,
} from './harness.ts';

/** Which server: a pattern, a language, and environment switches (SPEED, ...). */
export interface PlainServerKey {
  pattern: PlainPattern;
  language: PlainLanguage;
  env?: Record<string, string>;
}

/** What `plain-server-log` answers. */
export interface PlainServerLog {
  lines: string[];
  requests: LoggedRequest[];
}

/** `plain-server-wait`: resolve once `count` lines match `source` (a RegExp source), within `timeoutMs`. */
export interface PlainServerWait {
  url: string;
  source: string;
  count?: number;
  timeoutMs?: number;
}

function isKey(payload: unknown): payload is PlainServerKey {
  const p = payload as Partial<PlainServerKey> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    (PLAIN_PATTERNS as readonly unknown[]).includes(p.pattern) &&
    (PLAIN_LANGUAGES as readonly unknown[]).includes(p.language)
  );
}

/** The plain-server commands; servers start on demand, once per key, and stop with the runner. */
export function plainServerCommands(): TestRunnerPlugin {
  const starting = new Map<string, Promise<PlainServer>>();
  const byUrl = new Map<string, PlainServer>();

  const serverAt = (url: unknown): PlainServer => {
    const server = typeof url === 'string' ? byUrl.get(url) : undefined;
    if (!server) throw new Error(`no plain server runs at ${String(url)}`);
    return server;
  };

  return {
    name: 'agentwire-plain-server-commands',
    async executeCommand({ command, payload }) {
      switch (command) {
        case 'plain-server-url': {
          if (!isKey(payload)) throw new Error(`plain-server-url: bad key ${JSON.stringify(payload)}`);
          const env = Object.fromEntries(Object.entries(payload.env ?? {}).sort());
          const id = JSON.stringify([payload.pattern, payload.language, env]);
          let server = starting.get(id);
          if (!server) {
            server = startPlainServer(payload.pattern, payload.language, env);
            starting.set(id, server);
            // A failed start is reported to every test that asks, and not retried.
            server.then((s) => byUrl.set(s.url, s)).catch(() => undefined);
          }
          return (await server).url;
        }
        case 'plain-server-log': {
          const server = serverAt((payload as { url?: unknown } | undefined)?.url);
          const log: PlainServerLog = { lines: server.lines(), requests: server.requests() };
          return log;
        }
        case 'plain-server-wait': {
          const wait = payload as PlainServerWait;
          return serverAt(wait.url).waitForLines(new RegExp(wait.source), wait.count, wait.timeoutMs);
        }
        default:
          return undefined;
      }
    },
    async serverStop() {
      const all = await Promise.allSettled([...starting.values()]);
      const running = all.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      await Promise.all(running.map((s) => s.stop()));
    },
  };
}
