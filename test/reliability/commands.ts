/**
 * Server commands the reliability tests (test/browser/reliability/) call through
 * `executeServerCommand`: heap and DOM counters read over the Chrome DevTools Protocol after a
 * forced garbage collection, the mock server's open connections and run listeners, the leak-cycle
 * size, and a report channel for the figures of a full-size run (`npm run leaks`).
 */
import type { TestRunnerPlugin } from '@web/test-runner';
import type { ChromeLauncher } from '@web/test-runner-chrome';
import type { MockServer } from '../../mock-server/server.ts';

/** Cycles the leak tests run by default (`npm test`); `LEAK_CYCLES` overrides it (`npm run leaks`: 1,000). */
export const DEFAULT_LEAK_CYCLES = 200;

/** What `reliability-config` answers. */
export interface ReliabilityConfig {
  /** Connect/disconnect and reconnect cycles per leak test. */
  cycles: number;
  /** Print the figures (full-size runs); tests stay quiet otherwise. */
  report: boolean;
}

/** What `heap` answers: measured after two forced full garbage collections. */
export interface HeapFigures {
  /** Bytes of the V8 heap in use. */
  usedSize: number;
  /** Live JavaScript event listeners (Blink's counter: on every target still alive). */
  jsEventListeners: number;
  /** Live DOM nodes. */
  nodes: number;
  /** Live documents. */
  documents: number;
}

interface CdpSession {
  send(method: string, params?: object): Promise<unknown>;
  detach(): Promise<void>;
}

function isChrome(browser: unknown): browser is ChromeLauncher {
  return (
    typeof browser === 'object' && browser !== null && typeof (browser as { getPage?: unknown }).getPage === 'function'
  );
}

async function heap(session: CdpSession): Promise<HeapFigures> {
  await session.send('HeapProfiler.enable');
  for (let i = 0; i < 2; i++) await session.send('HeapProfiler.collectGarbage');
  const usage = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
  const counters = (await session.send('Memory.getDOMCounters')) as {
    documents: number;
    nodes: number;
    jsEventListeners: number;
  };
  return { usedSize: usage.usedSize, ...counters };
}

/** The reliability commands, bound to the mock server the config started. */
export function reliabilityCommands(mock: MockServer): TestRunnerPlugin {
  const raw = process.env['LEAK_CYCLES'];
  const cycles = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  const sized = Number.isSafeInteger(cycles) && cycles > 0;
  const config: ReliabilityConfig = {
    cycles: sized ? cycles : DEFAULT_LEAK_CYCLES,
    report: process.env['LEAK_REPORT'] === '1' || sized,
  };
  return {
    name: 'agentwire-reliability-commands',
    async executeCommand({ command, payload, session }) {
      switch (command) {
        case 'reliability-config':
          return config;
        case 'heap': {
          if (!isChrome(session.browser)) throw new Error('heap figures need the Chrome launcher');
          const cdp = (await session.browser.getPage(session.id).createCDPSession()) as CdpSession;
          try {
            return await heap(cdp);
          } finally {
            await cdp.detach();
          }
        }
        case 'mock-open-connections': {
          const runId = (payload as { runId?: string } | undefined)?.runId;
          return mock.openConnections(runId);
        }
        case 'mock-run-listeners': {
          const runId = (payload as { runId: string }).runId;
          return mock.app.registry.get(runId)?.listenerCount ?? -1;
        }
        case 'reliability-report': {
          if (config.report) process.stdout.write(`${(payload as { lines: string[] }).lines.join('\n')}\n`);
          return true;
        }
        default:
          return undefined;
      }
    },
  };
}
