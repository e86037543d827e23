/**
 * Server commands of the trimming browser test (test/browser/transports/trimmed.test.ts): a kit
 * server on a free loopback port whose memory log keeps 20 events per run, runs produced on
 * command, and a "fall behind" step that holds new connections at a gate, drops the open ones,
 * produces enough for the trim to pass the client's cursor, then opens the gate. Counts the 410
 * answers and the snapshot requests, so the test knows the client went through the recovery.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TestRunnerPlugin } from '@web/test-runner';
import {
  MemoryRunLog,
  createRunKit,
  createRunServer,
  type ProducerRun,
  type RunKit,
  type RunServer,
} from '../../src/server/index.ts';
import { createNodeHandler } from '../../src/server/node/index.ts';

/** Events each run keeps. */
export const TRIM_MAX_EVENTS = 20;

/** The token the test server emits as its `i`-th (multi-byte text, so a byte-level slip shows). */
export function trimToken(i: number): string {
  return `tok ${i} — ✓ 日本 `;
}

interface TrimServer {
  url: string;
  kit: RunKit;
  server: RunServer;
  runs: Map<string, { run: ProducerRun; emitted: number }>;
  counts: Map<string, { gone: number; snapshots: number }>;
  gate: { closed: Promise<void> | undefined; open: () => void };
  close(): Promise<void>;
}

async function startTrimServer(): Promise<TrimServer> {
  const kit = createRunKit({ log: new MemoryRunLog({ maxEvents: TRIM_MAX_EVENTS }) });
  const gate: TrimServer['gate'] = { closed: undefined, open: () => undefined };
  const server = createRunServer({
    runs: kit,
    cors: { origins: '*' },
    // Reads wait at the gate while the test makes the client fall behind.
    authorize: async () => {
      await gate.closed;
      return true;
    },
  });
  const counts = new Map<string, { gone: number; snapshots: number }>();
  const countOf = (runId: string): { gone: number; snapshots: number } => {
    let c = counts.get(runId);
    if (!c) counts.set(runId, (c = { gone: 0, snapshots: 0 }));
    return c;
  };
  const handler = createNodeHandler(server);
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/api\/runs\/([^/?]+)(\/[^?]*)?/.exec(req.url ?? '');
    if (match) {
      const runId = decodeURIComponent(match[1]!);
      if (req.method === 'GET' && match[2] === undefined) countOf(runId).snapshots++;
      res.once('finish', () => {
        if (res.statusCode === 410) countOf(runId).gone++;
      });
    }
    handler(req, res);
  });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!handler.upgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    kit,
    server,
    runs: new Map(),
    counts,
    gate,
    async close() {
      server.close();
      handler.close();
      await kit.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function emit(entry: { run: ProducerRun; emitted: number }, tokens: number): Promise<void> {
  for (let i = 0; i < tokens; i++) {
    entry.run.token(trimToken(entry.emitted++), 'm1');
    // One append per token: the log checkpoints and trims as it goes.
    await entry.run.flush();
  }
}

/** The trimming commands; the server starts on first use and stops with the runner. */
export function trimServerCommands(): TestRunnerPlugin {
  let started: Promise<TrimServer> | undefined;
  const get = (): Promise<TrimServer> => (started ??= startTrimServer());
  return {
    name: 'agentwire-trim-commands',
    async executeCommand({ command, payload }) {
      if (!command.startsWith('trim-')) return undefined;
      const trim = await get();
      const p = (payload ?? {}) as { runId?: string; tokens?: number };
      const entryOf = (): { run: ProducerRun; emitted: number } => {
        const entry = trim.runs.get(String(p.runId));
        if (!entry) throw new Error(`no trim run ${String(p.runId)}`);
        return entry;
      };
      switch (command) {
        case 'trim-server-url':
          return trim.url;
        case 'trim-run-create': {
          const run = await trim.kit.create();
          run.status('running');
          const entry = { run, emitted: 0 };
          trim.runs.set(run.id, entry);
          await emit(entry, p.tokens ?? 0);
          return run.id;
        }
        case 'trim-fall-behind': {
          const entry = entryOf();
          trim.gate.closed = new Promise<void>((resolve) => {
            trim.gate.open = resolve;
          });
          const dropped = trim.server.openConnections(entry.run.id);
          trim.server.dropConnections();
          await emit(entry, p.tokens ?? 0);
          const info = await trim.kit.log.info(entry.run.id);
          trim.gate.open();
          trim.gate.closed = undefined;
          return { dropped, trimmedThrough: info?.trimmedThrough ?? 0, lastSeq: info?.lastSeq ?? 0 };
        }
        case 'trim-finish': {
          const entry = entryOf();
          await emit(entry, p.tokens ?? 0);
          await entry.run.done({});
          const info = await trim.kit.log.info(entry.run.id);
          return {
            text: Array.from({ length: entry.emitted }, (_, i) => trimToken(i)).join(''),
            lastSeq: info?.lastSeq ?? 0,
          };
        }
        case 'trim-counts':
          return trim.counts.get(String(p.runId)) ?? { gone: 0, snapshots: 0 };
        default:
          return undefined;
      }
    },
    async serverStop() {
      if (started) await (await started).close();
    },
  };
}
