/** The `auto` transport against the real mock server. */
import { expect } from '@open-wc/testing';
import { DEFAULT_PATHS } from '../../../src/protocol/index.ts';
import { waitFor, waitForEnd } from './helpers.ts';
import { connect, describeTransport, expectServerTruth } from './suite.ts';

describeTransport('auto', {});

/**
 * agentwire's endpoints but the token plane (so not hybrid), with a socket path where nothing
 * answers: auto must fall back from the socket to SSE, then polling.
 */
const { tokens: _tokens, ...WITHOUT_TOKENS } = DEFAULT_PATHS;
const BROKEN_SOCKET = { ...WITHOUT_TOKENS, socket: '/no-socket-here/{id}' };

describe('auto: fallback', () => {
  it('falls back to SSE when the WebSocket cannot open', async () => {
    const c = await connect('auto', { scenario: 'quick', speed: 0 }, { paths: BROKEN_SOCKET });
    const end = await waitForEnd(c.store);
    c.controller.abort();
    expect(end.connection.transport).to.equal('sse');
    await expectServerTruth(c.store, c.runId);
  });

  it('falls back to polling when the SSE answer is buffered (no first byte within the bound)', async () => {
    const c = await connect(
      'auto',
      { scenario: 'agent', speed: 0 },
      {
        paths: BROKEN_SOCKET,
        query: { fault_buffer: '1' },
        openTimeoutMs: 400,
        poll: { waitS: 5 },
      },
    );
    const transports: string[] = [];
    const stop = c.store.$connection.subscribe((s) => {
      if (s.transport && transports.at(-1) !== s.transport) transports.push(s.transport);
    });
    const waiting = await waitFor(
      c.store,
      (s) => s.pendingInput !== null && s.connection.transport === 'poll' && s.connection.status === 'open',
      'polling',
    );
    expect(transports).to.deep.equal(['websocket', 'sse', 'poll']);
    await c.reply('yes', waiting.pendingInput!.resume_token);
    await waitForEnd(c.store);
    stop();
    c.controller.abort();
    await expectServerTruth(c.store, c.runId);
  });

  it('a 503 on every endpoint at connect time: the last candidate (polling) retries instead of failing the run', async () => {
    // Two refusals per endpoint kind: the socket is tried twice (hybrid's control plane, then the
    // WebSocket alone), so one would let the second socket through; polling is refused once and retries.
    const c = await connect('auto', { scenario: 'quick', speed: 0 }, { query: { fault_503: '1', fault_times: '2' } });
    const end = await waitForEnd(c.store);
    c.controller.abort();
    expect(end.connection.transport).to.equal('poll');
    await expectServerTruth(c.store, c.runId);
  });
});
