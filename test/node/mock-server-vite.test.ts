import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
import { WebSocket } from 'ws';
import { mockServerPlugin } from '../../mock-server/vite-plugin.ts';
import { allEvents, createRun, fetchJson, SseClient, WsClient } from '../../mock-server/testing.ts';

let root: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'agentwire-vite-'));
  mkdirSync(join(root, 'dist'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const common = () => ({ root, configFile: false as const, logLevel: 'silent' as const, plugins: [mockServerPlugin()] });

/** Open a WebSocket with a subprotocol; resolves true when the upgrade succeeded. */
function upgrades(url: string, protocol: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, protocol);
    socket.once('open', () => {
      socket.close();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function exercise(base: string): Promise<void> {
  const id = await createRun(base, { scenario: 'quick', speed: 0 });
  const events = await allEvents(base, id);
  assert.equal(events.at(-1)?.type, 'done');
  const snapshot = await fetchJson<{ state: string }>(`${base}/api/runs/${id}`);
  assert.equal(snapshot.body.state, 'done');
  const client = await WsClient.open(`${base.replace('http', 'ws')}/ws/runs/${id}?after=${events.length - 1}`);
  assert.equal((await client.closed).code, 1000);
  assert.equal(client.messages.length, 1);
  const stream = await SseClient.open(`${base}/api/runs/${id}/stream`, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.deepEqual(await stream.ended, { kind: 'end' });
  assert.equal(stream.response.headers.get('content-encoding'), null);
  assert.equal(stream.messages.length, events.length);
}

describe('mock server: Vite plugin', () => {
  it('mounts into the Vite dev server (HTTP, SSE, WebSocket) and leaves HMR upgrades alone', async () => {
    const server: ViteDevServer = await createServer({
      ...common(),
      server: { port: 0, host: '127.0.0.1', strictPort: false },
    });
    await server.listen();
    try {
      const port = (server.httpServer?.address() as AddressInfo).port;
      const base = `http://127.0.0.1:${port}`;
      await exercise(base);
      assert.equal(await upgrades(`ws://127.0.0.1:${port}/`, 'vite-hmr'), true);
      const index = await fetch(`${base}/nothing-here.txt`);
      assert.notEqual(index.headers.get('content-type'), 'application/json; charset=utf-8');
      await index.arrayBuffer();
    } finally {
      await server.close();
    }
  });

  it('mounts in middleware mode (Storybook) through server.hmr.server', async () => {
    const http: Server = createHttpServer();
    // Storybook's builder-vite 10.6 hands its http.Server to Vite as the deprecated server.hmr.server;
    // this test reproduces exactly that configuration.
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the configuration under test is Storybook's, deprecated option included
    const server = await createServer({ ...common(), server: { middlewareMode: true, hmr: { server: http } } });
    http.on('request', (req, res) => server.middlewares(req, res));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const port = (http.address() as AddressInfo).port;
      await exercise(`http://127.0.0.1:${port}`);
    } finally {
      await server.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });

  it('mounts into the preview server', async () => {
    const server: PreviewServer = await preview({ ...common(), preview: { port: 0, host: '127.0.0.1' } });
    try {
      const port = (server.httpServer.address() as AddressInfo).port;
      await exercise(`http://127.0.0.1:${port}`);
    } finally {
      await server.close();
    }
  });
});
