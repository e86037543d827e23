/**
 * A client that fell behind a trimmed run recovers: its connection drops, the run goes on far
 * enough that the server trims past the client's cursor, and the reconnect is answered `410
 * events_trimmed` (WebSocket: close 4410). The transport fetches the snapshot (which holds what
 * was trimmed), goes on from its seq, and ends with the byte-identical text — on every transport.
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { TransportName } from '../../../src/transports/index.ts';
import { textOf, waitFor, waitForEnd } from './helpers.ts';
import { connect } from './suite.ts';

interface FellBehind {
  dropped: number;
  trimmedThrough: number;
  lastSeq: number;
}

const command = <T>(name: string, payload?: unknown): Promise<T> => executeServerCommand<T, unknown>(name, payload);

for (const name of ['sse', 'websocket', 'poll', 'hybrid'] as const satisfies readonly TransportName[]) {
  describe(`${name}: behind a trimmed run`, () => {
    it('gets events_trimmed, takes the snapshot, goes on from its seq: byte-identical text, nothing twice', async () => {
      const baseUrl = await command<string>('trim-server-url');
      const runId = await command<string>('trim-run-create', { tokens: 5 });
      const c = await connect(name, {}, { runId, baseUrl });
      // The client holds the first tokens (seq 1 = status, then 5 tokens).
      await waitFor(c.store, (s) => s.lastSeq >= 6 && s.connection.status === 'open', 'the first tokens');
      const behind = await command<FellBehind>('trim-fall-behind', { runId, tokens: 60 });
      // A stream is cut here; a polling client may be between two requests (nothing open to cut):
      // its next request is what meets the trim, which the 410 and snapshot counts below prove.
      if (name !== 'poll') expect(behind.dropped).to.be.greaterThan(0);
      expect(behind.trimmedThrough).to.be.greaterThan(6, 'the trim passed the client');
      const expected = await command<{ text: string; lastSeq: number }>('trim-finish', { runId, tokens: 10 });
      const state = await waitForEnd(c.store);
      c.controller.abort();
      expect(textOf(c.store)).to.equal(expected.text);
      expect(state.lastSeq).to.equal(expected.lastSeq);
      expect(state.result).to.not.equal(null);
      const counts = await command<{ gone: number; snapshots: number }>('trim-counts', { runId });
      // SSE and polling see the 410 as HTTP; the WebSocket as close 4410 (not an HTTP answer).
      if (name !== 'websocket') expect(counts.gone).to.be.greaterThan(0);
      expect(counts.snapshots).to.be.greaterThan(name === 'poll' ? 1 : 0);
    });
  });
}
