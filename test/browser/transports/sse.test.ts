/** The `sse` transport against the real mock server. */
import { expect } from '@open-wc/testing';
import { startRun } from '../../../src/run/index.ts';
import {
  createEventStreamDecoder,
  type TransportError,
  type EventStreamMessage,
} from '../../../src/transports/index.ts';
import { SPEC_CASES } from '../../shared/event-stream-cases.ts';
import { mockServerUrl, startMockRun } from '../helpers/mock-server.ts';
import { recordStatuses, waitFor, waitForEnd } from './helpers.ts';
import { connect, describeTransport, expectServerTruth, FAST_RETRY } from './suite.ts';

describeTransport('sse', {});

describe('sse: specifics', () => {
  it('a 503 is retried with backoff and the run completes', async () => {
    const c = await connect('sse', { scenario: 'quick', speed: 0 }, { query: { fault_503: '1' } });
    const { statuses, stop } = recordStatuses(c.store);
    await waitForEnd(c.store);
    stop();
    c.controller.abort();
    expect(statuses).to.include('reconnecting:http_status');
    await expectServerTruth(c.store, c.runId);
  });

  it('an answer that is not an event stream fails as a protocol violation', async () => {
    const runId = await startMockRun({ scenario: 'quick', speed: 0 });
    const c = await connect('sse', {}, { runId, paths: { stream: '/api/runs/{id}' } });
    const state = await waitFor(c.store, (s) => s.connection.status === 'failed', 'failed');
    c.controller.abort();
    expect((state.connection.error as TransportError).code).to.equal('protocol');
  });

  it('a chat-style POST start cut mid-stream resumes by GET; the POST is never sent again', async () => {
    const base = await mockServerUrl();
    const posts: string[] = [];
    const realFetch = fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      if (init?.method === 'POST') posts.push(input instanceof Request ? input.url : String(input));
      return realFetch(input, init);
    };
    try {
      const handle = await startRun({
        baseUrl: base,
        body: { scenario: 'quick', speed: 0 },
        stream: true,
        transport: 'sse',
        retry: FAST_RETRY,
        paths: { streamStart: '/api/runs/stream?fault_close_after=5' },
      });
      const stop = handle.$state.listen(() => undefined);
      const { statuses, stop: stopRecording } = recordStatuses(handle.store);
      await waitForEnd(handle.store);
      stopRecording();
      stop();
      handle.disconnect();
      expect(statuses.some((s) => s.startsWith('reconnecting'))).to.equal(true);
      expect(posts.filter((url) => url.includes('/api/runs/stream'))).to.have.length(1);
      await expectServerTruth(handle.store, handle.runId);
    } finally {
      window.fetch = realFetch;
    }
  });

  it('decodes the spec cases in the browser too (TextDecoder, CR/LF splits)', () => {
    for (const testCase of SPEC_CASES) {
      const events: EventStreamMessage[] = [];
      const decoder = createEventStreamDecoder((e) => events.push(e));
      for (const stream of testCase.streams) {
        new TextEncoder().encode(stream).forEach((byte) => decoder.push(Uint8Array.of(byte)));
        decoder.end();
      }
      expect(events, testCase.name).to.deep.equal(testCase.events);
    }
  });
});
