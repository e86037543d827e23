/** The `websocket` transport against the real mock server. */
import { expect } from '@open-wc/testing';
import { TransportError } from '../../../src/transports/index.ts';
import { recordStatuses, serverSnapshot, waitFor, waitForEnd } from './helpers.ts';
import { connect, describeTransport, expectServerTruth } from './suite.ts';

describeTransport('websocket', {});

describe('websocket: specifics', () => {
  it('a reply with no open socket is not queued: it is reported undelivered', async () => {
    const c = await connect('websocket', { scenario: 'agent', speed: 0 });
    const waiting = await waitFor(
      c.store,
      (s) => s.pendingInput !== null && s.connection.status === 'open',
      'need_input',
    );
    c.controller.abort();
    const error = await c.reply('yes', waiting.pendingInput!.resume_token).then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as TransportError).code).to.equal('not_delivered');
    expect(c.replyStatus(waiting.pendingInput!.resume_token)).to.equal('undelivered');
    expect((await serverSnapshot(c.runId)).state).to.equal('waiting');
  });

  it('a reply cut off by a disconnect is reported undelivered, then confirmed by the replayed input_accepted', async () => {
    const c = await connect('websocket', { scenario: 'agent', speed: 0 });
    const waiting = await waitFor(
      c.store,
      (s) => s.pendingInput !== null && s.connection.status === 'open',
      'need_input',
    );
    const token = waiting.pendingInput!.resume_token;
    const replied = c.reply('yes', token).then(
      () => null,
      (e: unknown) => e,
    );
    c.transport.reconnect();
    const error = await replied;
    expect((error as TransportError).code).to.equal('not_delivered');
    await waitFor(c.store, () => c.replyStatus(token) === 'accepted', 'confirmed after the resume');
    await waitForEnd(c.store);
    c.controller.abort();
    await expectServerTruth(c.store, c.runId);
  });

  it('a refused reply (command_error) rejects with the server code and status', async () => {
    const c = await connect('websocket', { scenario: 'agent', speed: 0 });
    await waitFor(c.store, (s) => s.pendingInput !== null && s.connection.status === 'open', 'need_input');
    const error = await c.reply('yes', 'not-the-token').then(
      () => null,
      (e: unknown) => e,
    );
    c.controller.abort();
    expect(error).to.be.instanceOf(TransportError);
    expect((error as TransportError).code).to.equal('rejected');
    expect((error as TransportError).status).to.equal(409);
    expect((error as TransportError).serverCode).to.equal('stale_resume_token');
    expect(c.replyStatus('not-the-token')).to.equal('rejected');
  });

  it('a refused upgrade (503) is retried and the run completes', async () => {
    const c = await connect('websocket', { scenario: 'quick', speed: 0 }, { query: { fault_503: '1' } });
    const { statuses, stop } = recordStatuses(c.store);
    await waitForEnd(c.store);
    stop();
    c.controller.abort();
    expect(statuses.some((s) => s.startsWith('reconnecting'))).to.equal(true);
    await expectServerTruth(c.store, c.runId);
  });
});
