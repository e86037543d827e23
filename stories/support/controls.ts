/** Controls shared by the live stories: scenario, transport, pacing and the mock server's fault switches. */
import type { ArgTypes } from '@storybook/web-components-vite';
import type { TransportName } from '../../src/transports/index.ts';

/** The mock server's scenarios (see mock-server/README.md). */
export const SCENARIOS = [
  'quick',
  'agent',
  'long',
  'failing',
  'approvals',
  'unknown-events',
  'markdown',
  'form',
  'parallel-approvals',
  'auto-approvals',
  'expiring',
  'tool-renderer',
  'reasoning',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** The transports a visitor can pick. */
export const TRANSPORT_NAMES: readonly TransportName[] = ['auto', 'sse', 'websocket', 'hybrid', 'poll'];

/** The fault switches as story args; 0 / false = off. */
export interface FaultArgs {
  /** `fault_close_after`: cut the connection after N events. */
  closeAfter: number;
  /** `fault_duplicate`: send every K-th event twice. */
  duplicate: number;
  /** `fault_delay`: delay headers and every event by this many ms. */
  delay: number;
  /** `fault_malformed`: after N events, one frame that is not JSON. */
  malformed: number;
  /** `fault_503`: refuse the connection with 503 + Retry-After. */
  unavailable: boolean;
  /** `fault_buffer`: a proxy that holds every SSE byte until the run ends (or 64 KiB piled up). */
  buffered: boolean;
  /** `fault_gap`: after N events leave one out (a gap). */
  gap: number;
  /** `fault_times`: how many connections of the run get each switch (later ones are clean, so the kit recovers). */
  faultTimes: number;
}

/** Everything a live story is started with. */
export interface RunArgs extends FaultArgs {
  scenario: Scenario;
  transport: TransportName;
  /** Pacing: 1 realistic, 0 as fast as possible. */
  speed: number;
}

/** Every switch off. */
export const NO_FAULTS: FaultArgs = {
  closeAfter: 0,
  duplicate: 0,
  delay: 0,
  malformed: 0,
  unavailable: false,
  buffered: false,
  gap: 0,
  faultTimes: 1,
};

/** Realistic defaults: the agent scenario, `auto`, real pacing, no faults. */
export const RUN_DEFAULTS: RunArgs = { scenario: 'agent', transport: 'auto', speed: 1, ...NO_FAULTS };

/** The query parameters the fault args stand for (passed as `<agent-run>`'s `query`). */
export function faultQuery(args: Partial<FaultArgs>): Record<string, string> {
  const query: Record<string, string> = {};
  const count = (name: string, value: number | undefined): void => {
    if (value !== undefined && value > 0) query[name] = String(Math.round(value));
  };
  count('fault_close_after', args.closeAfter);
  count('fault_duplicate', args.duplicate);
  count('fault_delay', args.delay);
  count('fault_malformed', args.malformed);
  count('fault_gap', args.gap);
  if (args.unavailable) query['fault_503'] = '1';
  if (args.buffered) query['fault_buffer'] = '1';
  if (Object.keys(query).length > 0 && args.faultTimes !== undefined && args.faultTimes > 1)
    query['fault_times'] = String(Math.round(args.faultTimes));
  return query;
}

const RUN = 'Run (each change starts a fresh run)';
const FAULTS = 'Fault switches (mock server)';

/** Controls of the live stories. */
export const runArgTypes: Partial<ArgTypes<RunArgs>> = {
  scenario: {
    name: 'scenario',
    description:
      'What the mock server plays: `quick` (~40 tokens), `agent` (tools, logs, asks before deploying), `long` (100,000 tokens), `failing` (a tool crashes), `approvals` (asks twice), `unknown-events`.',
    control: 'select',
    options: [...SCENARIOS],
    table: { category: RUN },
  },
  transport: {
    name: 'transport',
    description:
      'Which transport carries the run: `auto` (WebSocket, falling back to SSE, then polling), `sse`, `websocket`, `hybrid` (WebSocket control plane + SSE token plane) or `poll`.',
    control: 'inline-radio',
    options: [...TRANSPORT_NAMES],
    table: { category: RUN },
  },
  speed: {
    name: 'speed',
    description: 'Pacing of the scripted run: 1 is realistic, 4 four times faster, 0 as fast as possible.',
    control: { type: 'number', min: 0, max: 1000, step: 0.5 },
    table: { category: RUN },
  },
  closeAfter: {
    name: 'cut after N events',
    description:
      '`fault_close_after=N`: the connection is cut (SSE: body cut mid-stream; WebSocket: no close frame) after N events. 0 = off.',
    control: { type: 'number', min: 0, step: 1 },
    table: { category: FAULTS },
  },
  duplicate: {
    name: 'duplicate every K-th',
    description: '`fault_duplicate=K`: every K-th event is sent twice; the store drops the copy by seq. 0 = off.',
    control: { type: 'number', min: 0, step: 1 },
    table: { category: FAULTS },
  },
  delay: {
    name: 'delay (ms)',
    description: '`fault_delay=MS`: the answer and every event are delayed. 0 = off.',
    control: { type: 'number', min: 0, max: 60000, step: 50 },
    table: { category: FAULTS },
  },
  malformed: {
    name: 'malformed frame after N',
    description:
      '`fault_malformed=N`: after N events one frame that is not JSON; it shows as an error in the log and the stream goes on. 0 = off.',
    control: { type: 'number', min: 0, step: 1 },
    table: { category: FAULTS },
  },
  unavailable: {
    name: '503 unavailable',
    description: '`fault_503=1`: the connection is refused with `503` and `Retry-After: 1`; the kit waits and retries.',
    control: 'boolean',
    table: { category: FAULTS },
  },
  buffered: {
    name: 'proxy-buffered',
    description: '`fault_buffer=1`: a misconfigured proxy holds every SSE byte until the run ended or 64 KiB piled up.',
    control: 'boolean',
    table: { category: FAULTS },
  },
  gap: {
    name: 'gap after N',
    description:
      '`fault_gap=N`: after N events one event is left out; the store sees the gap and rebuilds from a snapshot. 0 = off.',
    control: { type: 'number', min: 0, step: 1 },
    table: { category: FAULTS },
  },
  faultTimes: {
    name: 'faulty connections',
    description:
      '`fault_times=N`: how many connections of the run get each switch; the next one is clean, so the kit recovers.',
    control: { type: 'number', min: 1, max: 20, step: 1 },
    table: { category: FAULTS },
  },
};
