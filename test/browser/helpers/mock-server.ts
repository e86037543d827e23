/** Browser-test helpers for the real mock server the test runner starts on a free loopback port. */
import { executeServerCommand } from '@web/test-runner-commands';
import type { FaultKind } from '../../../mock-server/faults.ts';
import type { TrafficCounts } from '../../../mock-server/traffic.ts';
import type { CreateRunRequest, CreateRunResponse } from '../../../src/protocol/index.ts';

let cachedUrl: Promise<string> | undefined;

/** Base URL of the mock server, e.g. `http://127.0.0.1:41234`. */
export function mockServerUrl(): Promise<string> {
  cachedUrl ??= executeServerCommand<unknown, undefined>('mock-server-url').then((url) => {
    if (typeof url !== 'string') throw new Error('the test runner did not start the mock server');
    return url;
  });
  return cachedUrl;
}

/** Start a run on the mock server and return its id. */
export async function startMockRun(body: CreateRunRequest = {}): Promise<string> {
  const res = await fetch(`${await mockServerUrl()}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST /api/runs answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as CreateRunResponse).run_id;
}

/** What the mock server sent and received for a run (mock-server/traffic.ts), or null before its first request. */
export function mockTraffic(runId: string): Promise<TrafficCounts | null> {
  return executeServerCommand<TrafficCounts | null, string>('mock-traffic', runId);
}

/** The faults the mock server fired on a run's connections, by kind. */
export function mockFaultCounts(runId: string): Promise<Partial<Record<FaultKind, number>>> {
  return executeServerCommand<Partial<Record<FaultKind, number>>, string>('mock-fault-counts', runId);
}

/** Kill every open connection on the mock server at once; returns how many were killed. */
export function dropAllConnections(): Promise<number> {
  return executeServerCommand<number, undefined>('mock-drop-connections');
}
