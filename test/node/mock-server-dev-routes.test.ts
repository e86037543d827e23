import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, preview } from 'vite';
import { DROP_CONNECTIONS_PATH, type DropConnectionsResponse } from '../../mock-server/dev-routes.ts';
import { startMockServer } from '../../mock-server/server.ts';
import { createRun, fetchJson, SseClient, WsClient } from '../../mock-server/testing.ts';
import { mockServerPlugin } from '../../mock-server/vite-plugin.ts';

let root: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'agentwire-dev-routes-'));
  mkdirSync(join(root, 'dist'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const common = () => ({ root, configFile: false as const, logLevel: 'silent' as const, plugins: [mockServerPlugin()] });

/**
 * An SSE and a WebSocket connection to a run are cut by the endpoint; the run plays on and a
 * resumed stream gets the rest. The run waits for an answer meanwhile (the `agent` scenario), so
 * however slowly a loaded machine runs this, no connection ends on its own before the cut.
 */
async function dropsAndResumes(base: string): Promise<void> {
  const id = await createRun(base, { scenario: 'agent', speed: 1 });
  const sse = await SseClient.open(`${base}/api/runs/${id}/stream`);
  const ws = await WsClient.open(`${base.replace('http', 'ws')}/ws/runs/${id}`);
  const first = await sse.next();
  assert.equal(first?.event, 'status');

  const answer = await fetchJson<DropConnectionsResponse>(`${base}${DROP_CONNECTIONS_PATH}`, { method: 'POST' });
  assert.equal(answer.status, 200);
  assert.ok(answer.body.dropped >= 2, `cut ${answer.body.dropped} connections`);
  assert.equal((await sse.ended).kind, 'error', 'the SSE body was cut, not ended');
  assert.equal((await ws.closed).code, 1006, 'the WebSocket was terminated without a close frame');

  // The run kept going: resuming after the last seq seen brings the rest, without a repeat (it is
  // stopped here so that the rest ends).
  assert.equal((await fetchJson(`${base}/api/runs/${id}/cancel`, { method: 'POST' })).status, 200);
  const seen = sse.messages.map((m) => Number(m.id));
  const last = Math.max(...seen);
  const resumed = await SseClient.open(`${base}/api/runs/${id}/stream`, { headers: { 'Last-Event-ID': String(last) } });
  assert.deepEqual(await resumed.ended, { kind: 'end' });
  const ids = [...seen, ...resumed.messages.map((m) => Number(m.id))];
  assert.deepEqual(
    ids,
    Array.from({ length: ids.length }, (_, i) => i + 1),
    'every seq once, in order',
  );
  assert.equal(resumed.messages.at(-1)?.event, 'done');
}

describe('mock server: dev-only endpoints (Vite plugin)', () => {
  it('POST /api/_dev/drop-connections cuts every open connection in the Vite dev server; the run plays on', async () => {
    const server = await createServer({ ...common(), server: { port: 0, host: '127.0.0.1', strictPort: false } });
    await server.listen();
    try {
      const base = `http://127.0.0.1:${(server.httpServer?.address() as AddressInfo).port}`;
      await dropsAndResumes(base);
      const idle = await fetchJson<DropConnectionsResponse>(`${base}${DROP_CONNECTIONS_PATH}`, { method: 'POST' });
      assert.deepEqual(idle.body, { dropped: 0 });
      const get = await fetchJson<{ error: { code: string } }>(`${base}${DROP_CONNECTIONS_PATH}`);
      assert.equal(get.status, 405);
      assert.equal(get.body.error.code, 'method_not_allowed');
      assert.equal(get.headers.get('allow'), 'POST, OPTIONS');
    } finally {
      await server.close();
    }
  });

  it('is mounted into the preview server too (npm run preview)', async () => {
    const server = await preview({ ...common(), preview: { port: 0, host: '127.0.0.1' } });
    try {
      await dropsAndResumes(`http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`);
    } finally {
      await server.close();
    }
  });

  it('is not part of the standalone mock server (npm run mock)', async () => {
    const server = await startMockServer();
    try {
      const answer = await fetchJson<{ error: { code: string } }>(`${server.url}${DROP_CONNECTIONS_PATH}`, {
        method: 'POST',
      });
      assert.equal(answer.status, 404);
    } finally {
      await server.close();
    }
  });
});
