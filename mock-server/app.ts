/**
 * The mock backend, built on the server kit: scenarios are a producer (player.ts), faults a
 * decorator (faults.ts), the plain dialect a few routes of its own (plain.ts). Mountable into a
 * plain node:http server or Vite; with a shared RunLog (Redis) any instance serves any run.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  RunKitError,
  createRunKit,
  createRunServer,
  jsonReply,
  type RunKit,
  type RunLog,
  type RunServer,
} from '../src/server/index.ts';
import { createNodeHandler } from '../src/server/node/index.ts';
import { parseCreateBody, type CreateRunOptions } from './create-options.ts';
import { devRoutes } from './dev-routes.ts';
import { faultPlanner } from './faults.ts';
import { plainRoutes, plainSocket } from './plain.ts';
import { ScenarioPlayer } from './player.ts';
import { createProtocolRoutes } from './protocols/index.ts';
import { MockRegistry } from './registry.ts';
import { USER_TURN_MESSAGE_ID } from './limits.ts';
import { OWNED_PREFIXES, SCENARIOS_PATH } from './routes.ts';
import { createScript, listScenarios } from './scenarios.ts';
import { TrafficMeter, type TrafficCounts } from './traffic.ts';

/** Options of `createMockApp`. */
export interface MockAppOptions {
  /** SSE heartbeat interval (default `SSE_HEARTBEAT_MS`); `?heartbeat=<ms>` overrides it per request. */
  heartbeatMs?: number;
  /** Where runs live (default: in memory; a RedisRunLog shares them with other instances). */
  log?: RunLog;
  /** Also answer the dev-only endpoints (`POST /api/_dev/drop-connections`; the Vite plugin). */
  devRoutes?: boolean;
}

/** The mock backend, mountable into a plain node:http server or Vite. */
export interface MockApp {
  /** Connect-style middleware: answers `/api/`, `/ws/`, `/plain/` and `/protocols/` paths, calls `next()` for the rest. */
  handle(req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void;
  /** Take a WebSocket upgrade on our socket paths; false (untouched) for anything else, e.g. Vite HMR. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Cut every open SSE / WebSocket / long-poll connection at once; returns how many. Runs keep playing. */
  dropConnections(): number;
  /** What this instance sent and received for a run, counted as a page sees it (see traffic.ts); undefined before its first request. */
  traffic(runId: string): TrafficCounts | undefined;
  /** Number of open SSE / WebSocket / long-poll connections (all runs, or one run's). */
  openConnections(runId?: string): number;
  /** Cut every connection, stop every run's timers and close the run log. */
  close(): Promise<void>;
  /** This instance's records of runs (for tests and tools). */
  readonly registry: MockRegistry;
  /** The run kit (its log, snapshots). */
  readonly runs: RunKit;
  /** The kit's server. */
  readonly server: RunServer;
}

/** Build the mock backend. */
export function createMockApp(options: MockAppOptions = {}): MockApp {
  const runs = createRunKit(options.log ? { log: options.log } : {});
  const registry = new MockRegistry(runs.log);
  const instance = randomBytes(3).toString('hex');
  const traffic = new TrafficMeter();
  let counter = 0;
  let plainCounter = 0;
  const protocols = createProtocolRoutes();

  const play = (options: CreateRunOptions) => (run: Parameters<Parameters<RunKit['spawn']>[1]>[0]) => {
    // A turn of a conversation: the run opens with what the user said (kept in the thread's history).
    if (options.threadId !== undefined)
      run.emit({ type: 'message', message_id: USER_TURN_MESSAGE_ID, role: 'user', content: options.prompt });
    const player = new ScenarioPlayer(run, {
      scenario: options.scenario,
      script: createScript(options.scenario, options.seed, options.prompt, options.replay),
      speed: options.speed,
      seed: options.seed,
      approvalTimeoutMs: options.approvalTimeoutMs,
      stamp: options.stamp,
    });
    registry.adopt(run.id, player);
    player.start();
    return player.whenFinished();
  };

  /** Plain-style ids (`t-1`, `t-2`, …): on a shared log, the next free one. */
  const startPlain = async (createOptions: CreateRunOptions): Promise<string> => {
    for (;;) {
      const runId = `t-${++plainCounter}`;
      try {
        return (await runs.spawn({ runId }, play(createOptions))).id;
      } catch (error) {
        if (!(error instanceof RunKitError && error.code === 'run_exists')) throw error;
      }
    }
  };

  const server: RunServer = createRunServer({
    runs,
    heartbeatMs: options.heartbeatMs,
    ownedPrefixes: OWNED_PREFIXES,
    onCreate: ({ body }) => {
      const createOptions = parseCreateBody(body);
      return {
        runId: `run_${instance}_${++counter}`,
        ...(createOptions.threadId !== undefined && { threadId: createOptions.threadId }),
        produce: play(createOptions),
      };
    },
    connections: faultPlanner(registry, runs.log, () => server.connections),
    routes: [
      ...(options.devRoutes ? devRoutes(traffic) : []),
      {
        method: 'GET',
        template: SCENARIOS_PATH,
        handle: () =>
          jsonReply(200, { scenarios: listScenarios().map(({ name, description }) => ({ name, description })) }),
      },
      ...plainRoutes(startPlain),
      // AG-UI, AI SDK and OpenAI Responses backends (mock-server/protocols/), played with their own packages.
      ...protocols.routes,
    ],
    sockets: [plainSocket],
    onReply: (runId, reply, outcome) =>
      registry.record(runId).recordReply({
        resumeToken: reply.resume_token,
        text: reply.text,
        accepted: outcome.ok,
        refusal: outcome.ok ? undefined : outcome.error.code,
      }),
  });
  const node = createNodeHandler(server);

  let closing: Promise<void> | undefined;
  return {
    handle(req, res, next) {
      traffic.observeHttp(req, res);
      node(req, res, next);
    },
    handleUpgrade(req, socket, head) {
      traffic.observeUpgrade(req, socket);
      return node.upgrade(req, socket, head);
    },
    traffic: (runId) => traffic.get(runId),
    dropConnections: () => server.dropConnections(),
    openConnections: (runId) => server.openConnections(runId),
    close: () =>
      (closing ??= (async () => {
        server.close();
        protocols.close();
        node.close();
        registry.closeAll();
        await runs.close();
      })()),
    registry,
    runs,
    server,
  };
}
