/**
 * Backpressure with a real slow socket: an SSE reader that takes one chunk per turn (pausing its
 * socket in between) gets the run's tokens coalesced (`seq_end`), the server's buffer for it stays
 * bounded (one batch, never the run), and the text it rebuilds is byte-identical.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { get, type ServerResponse } from 'node:http';
import { createRunKit, createRunServer, type RunKit } from '../../src/server/index.ts';
import { listen, type NodeListener } from '../../src/server/node/index.ts';
import { createEventStreamDecoder } from '../../src/transports/index.ts';
import { decodeEventText } from '../../src/protocol/index.ts';
import { createOrderedSink, createRunStore, fullText } from '../../src/store/index.ts';

const TOKENS = 20_000;
const piece = (i: number): string => `token ${i} — ✓ 日本語 (${'x'.repeat(i % 7)}) `;

let kit: RunKit;
let listener: NodeListener;
/** Most bytes a server response held in its own buffer right after a write (what the feed queued for the reader). */
let maxBuffered = 0;
before(async () => {
  kit = createRunKit();
  listener = await listen(createRunServer({ runs: kit }));
  listener.httpServer.prependListener('request', (_req, res: ServerResponse) => {
    const write = res.write.bind(res) as (chunk: string | Uint8Array) => boolean;
    res.write = ((chunk: string | Uint8Array) => {
      const ok = write(chunk);
      maxBuffered = Math.max(maxBuffered, res.writableLength);
      return ok;
    }) as ServerResponse['write'];
  });
});
after(async () => {
  await listener.close();
  await kit.close();
});

describe('a slow SSE reader', () => {
  it('gets coalesced tokens; the server buffers at most a batch for it; the text is byte-identical', async () => {
    const run = await kit.create();
    run.status('running');
    for (let i = 0; i < TOKENS; i++) run.token(piece(i), 'm1');
    await run.done({});
    const expected = Array.from({ length: TOKENS }, (_, i) => piece(i)).join('');

    const store = createRunStore(run.id);
    const sink = createOrderedSink(store);
    let frames = 0;
    let coalesced = 0;
    let errors = 0;
    const decoder = createEventStreamDecoder(({ type, data }) => {
      frames++;
      const result = decodeEventText(data, { eventName: type, runId: run.id });
      if (result.ok && result.value.type === 'token' && result.value.seq_end !== undefined) coalesced++;
      if (!result.ok) errors++;
      sink.decoded(result);
    });
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      get(`${listener.url}/api/runs/${run.id}/stream`, (res) => {
        assert.equal(res.statusCode, 200);
        res.on('data', (chunk: Buffer) => {
          received += chunk.byteLength;
          decoder.push(new Uint8Array(chunk));
          // One chunk per turn: the socket stays paused in between, its buffers fill.
          res.pause();
          setImmediate(() => res.resume());
        });
        res.on('end', () => resolve());
        res.on('error', reject);
      }).on('error', reject);
    });
    decoder.end();
    sink.flush();
    await Promise.resolve();
    const state = store.$state.get();
    assert.equal(errors, 0);
    assert.equal(fullText(state.text), expected, 'byte-identical text');
    assert.equal(state.lastSeq, TOKENS + 3, 'status, the tokens, status done and done: every seq accounted for');
    assert.ok(coalesced > 0, 'some tokens went out coalesced');
    assert.ok(frames < TOKENS / 10, `${frames} frames for ${TOKENS} tokens`);
    assert.ok(received < Buffer.byteLength(expected) * 1.5, `${received} bytes received`);
    assert.ok(maxBuffered < 512 * 1024, `the server buffered at most ${maxBuffered} bytes for the reader`);
  });
});
