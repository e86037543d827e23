/**
 * The plain fixture servers (examples/servers/, written as the common tutorials write them, in
 * Python and in Node) as real processes on free loopback ports: started on demand, ready once
 * their port accepts a connection, their output kept line by line (the access log and the
 * "disconnected …" lines the servers print), and stopped with the test run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { resolve } from 'node:path';

/** The four patterns the tutorials teach. */
export const PLAIN_PATTERNS = ['rest-task', 'sse-task', 'ws-agent', 'hybrid'] as const;
/** A tutorial pattern. */
export type PlainPattern = (typeof PLAIN_PATTERNS)[number];

/** Each pattern is written twice. */
export const PLAIN_LANGUAGES = ['python', 'node'] as const;
/** The language of a fixture server. */
export type PlainLanguage = (typeof PLAIN_LANGUAGES)[number];

/** Debian's Python, which has fastapi, uvicorn and websockets (`python3` on PATH may be another one). */
export const PYTHON = process.env['PLAIN_PYTHON'] ?? '/usr/bin/python3';

/** What the Python servers need, and how CI installs it. */
export const PYTHON_HINT = 'apt-get install -y python3-fastapi python3-uvicorn python3-websockets';

const REPO = resolve(import.meta.dirname, '../..');

/** The source file of a fixture server. */
export function serverFile(pattern: PlainPattern, language: PlainLanguage): string {
  return language === 'python'
    ? resolve(REPO, 'examples/servers/python', `${pattern.replace('-', '_')}.py`)
    : resolve(REPO, 'examples/servers/node', `${pattern}.mjs`);
}

/** One request or connection a server logged (uvicorn's access log, or the Node servers' own lines). */
export interface LoggedRequest {
  /** `http` (any method), `websocket` (an upgrade, accepted or refused) or `disconnected` (a socket or stream the client left). */
  kind: 'http' | 'websocket' | 'disconnected';
  /** The HTTP method, for `http`. */
  method?: string;
  /** Path with its query, as logged. */
  path: string;
  /** Path without the query. */
  pathname: string;
  /** False for a WebSocket the server refused (uvicorn logs `403`). */
  accepted?: boolean;
}

const HTTP_METHODS = 'GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD';
const UVICORN_HTTP = new RegExp(`"(${HTTP_METHODS}) (\\S+) HTTP/[\\d.]+" \\d{3}`);
const UVICORN_WS = /"WebSocket (\S+)" (\[accepted\]|\d{3})/;
const NODE_HTTP = new RegExp(`^(${HTTP_METHODS}) (/\\S*)$`);
const NODE_WS = /^WebSocket (\S+) \[accepted\]$/;
const DISCONNECTED = /^disconnected (\S+)$/;

/** Read one log line; null for lines that are not about a request (startup banners, ...). */
export function parseLogLine(line: string): LoggedRequest | null {
  const pathname = (path: string): string => path.split('?')[0]!;
  const text = line.trim();
  let m = UVICORN_HTTP.exec(text) ?? NODE_HTTP.exec(text);
  if (m) return { kind: 'http', method: m[1]!, path: m[2]!, pathname: pathname(m[2]!) };
  m = UVICORN_WS.exec(text);
  if (m) return { kind: 'websocket', path: m[1]!, pathname: pathname(m[1]!), accepted: m[2] === '[accepted]' };
  m = NODE_WS.exec(text);
  if (m) return { kind: 'websocket', path: m[1]!, pathname: pathname(m[1]!), accepted: true };
  m = DISCONNECTED.exec(text);
  if (m) return { kind: 'disconnected', path: m[1]!, pathname: pathname(m[1]!) };
  return null;
}

/** A running fixture server. */
export interface PlainServer {
  readonly pattern: PlainPattern;
  readonly language: PlainLanguage;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every line it printed so far (stdout and stderr). */
  lines(): string[];
  /** The requests and connections among those lines. */
  requests(): LoggedRequest[];
  /** Resolve with the matching lines once `count` lines match `match`; reject after `timeoutMs`. */
  waitForLines(match: RegExp, count?: number, timeoutMs?: number): Promise<string[]>;
  /** Stop the process (SIGTERM, then SIGKILL after 3 s). */
  stop(): Promise<void>;
}

/** Ask the OS for a free loopback port. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

/** True once something accepts a TCP connection on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/**
 * Start a fixture server on a free loopback port and resolve once its port accepts connections.
 * `env` adds switches (SPEED, IGNORE_PINGS, ...). Rejects with the server's output when it exits
 * first (e.g. Python without fastapi) or is not listening within `readyTimeoutMs`.
 */
export async function startPlainServer(
  pattern: PlainPattern,
  language: PlainLanguage,
  env: Record<string, string> = {},
  readyTimeoutMs = 20_000,
): Promise<PlainServer> {
  const port = await freePort();
  const file = serverFile(pattern, language);
  const [cmd, args] = language === 'python' ? [PYTHON, [file]] : [process.execPath, [file]];
  const child = spawn(cmd, args, {
    cwd: REPO,
    env: { ...process.env, ...env, PORT: String(port), PYTHONUNBUFFERED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const partial = { stdout: '', stderr: '' };
  const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const parts = (partial[stream] + chunk.toString()).split('\n');
    partial[stream] = parts.pop()!;
    lines.push(...parts);
    for (const wake of [...waiters]) wake();
  };
  child.stdout.on('data', collect('stdout'));
  child.stderr.on('data', collect('stderr'));
  const closed = new Promise<void>((done) => {
    child.once('close', () => done());
    child.once('error', (error) => {
      lines.push(`cannot start ${cmd}: ${error.message}`);
      done();
    });
  });

  const describe = `${language} ${pattern} (${file})`;
  const started = Date.now();
  for (;;) {
    if (exited(child) || child.pid === undefined) {
      await closed;
      const output = lines.join('\n');
      const hint = language === 'python' && output.includes('No module named') ? `\nInstall: ${PYTHON_HINT}` : '';
      throw new Error(`${describe} exited before listening:\n${output}${hint}`);
    }
    if (await accepts(port)) break;
    if (Date.now() - started > readyTimeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${describe} was not listening on ${port} within ${readyTimeoutMs} ms:\n${lines.join('\n')}`);
    }
    // Poll the port again on the next turn of the event loop after a short wait for the process.
    await new Promise((next) => setTimeout(next, 25));
  }

  return {
    pattern,
    language,
    url: `http://127.0.0.1:${port}`,
    lines: () => [...lines],
    requests: () => lines.map(parseLogLine).filter((r): r is LoggedRequest => r !== null),
    waitForLines(match, count = 1, timeoutMs = 10_000) {
      return new Promise((done, fail) => {
        const check = (): void => {
          const found = lines.filter((line) => match.test(line));
          if (found.length < count) return;
          finish();
          done(found);
        };
        const timer = setTimeout(() => {
          finish();
          fail(
            new Error(
              `${describe}: no ${count} line(s) matching ${match} within ${timeoutMs} ms:\n${lines.join('\n')}`,
            ),
          );
        }, timeoutMs);
        const finish = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (exited(child)) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await closed;
      clearTimeout(killer);
    },
  };
}
