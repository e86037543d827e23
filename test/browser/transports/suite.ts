/**
 * The behaviour every transport must show against the real mock server: happy path, a cut
 * mid-stream resumed byte-identical, duplicates ignored, a malformed frame shown while the stream
 * goes on, a 4xx failing with a typed error, heartbeat loss detected (fake clock), the approval
 * round trip, and cancel vs disconnect. Each transport's test file calls `describeTransport`.
 */
import { expect } from '@open-wc/testing';
import type { CreateRunRequest, NeedInputEvent } from '../../../src/protocol/index.ts';
import { createReplyTracker, type ReplyStatus, type ReplyTracker } from '../../../src/run/index.ts';
import { createOrderedSink, createRunStore, type EventSink, type RunStore } from '../../../src/store/index.ts';
import {
  createTransport,
  TransportError,
  type Answer,
  type Transport,
  type TransportName,
  type TransportOptions,
} from '../../../src/transports/index.ts';
import { createFakeClock } from '../../shared/fake-clock.ts';
import { mockServerUrl, startMockRun } from '../helpers/mock-server.ts';
import { clientSnapshot, recordStatuses, serverSnapshot, serverText, textOf, waitFor, waitForEnd } from './helpers.ts';

/** Fast retries so reconnects do not slow the suite down. */
export const FAST_RETRY = { initialDelayMs: 5, maxDelayMs: 50 };

/** A connected run under test. */
export interface Connected {
  runId: string;
  store: RunStore;
  /** The run's ordered sink the transport feeds. */
  sink: EventSink;
  transport: Transport;
  controller: AbortController;
  /** The run's reply tracker (what the run API puts in front of `transport.reply`). */
  replies: ReplyTracker;
  /** Answer `resumeToken` through the tracker and the transport, as the run API does. */
  reply(text: string, resumeToken: string): Promise<void>;
  /** What became of the answer to `resumeToken`. */
  replyStatus(resumeToken: string): ReplyStatus | undefined;
}

/** An answer to the request `token` names (a made-up request when the store has none, to be refused). */
export function answerTo(store: RunStore, token: string, text: string): Answer {
  const request: NeedInputEvent = store.$state.get().pendingInputs.find((r) => r.resume_token === token) ?? {
    type: 'need_input',
    prompt: '',
    resume_token: token,
  };
  return { request, text };
}

/** The sink and reply tracker the run API would put around `store`. */
export function around(store: RunStore): { sink: EventSink; replies: ReplyTracker } {
  return { sink: createOrderedSink(store), replies: createReplyTracker(store) };
}

/** Start a mock run and connect it with `name`. */
export async function connect(
  name: TransportName,
  body: CreateRunRequest & Record<string, unknown>,
  options: Partial<Omit<TransportOptions, 'sink' | 'signal' | 'runId'>> & {
    runId?: string;
    store?: RunStore;
    gapTimeoutMs?: number;
  } = {},
): Promise<Connected> {
  const { store: given, gapTimeoutMs, ...rest } = options;
  const runId = options.runId ?? (await startMockRun(body));
  const store = given ?? createRunStore(runId);
  const sink = createOrderedSink(store, options.clock, gapTimeoutMs);
  const replies = createReplyTracker(store);
  const controller = new AbortController();
  const transport = createTransport(name, {
    baseUrl: await mockServerUrl(),
    retry: FAST_RETRY,
    ...rest,
    runId,
    sink,
    signal: controller.signal,
  });
  return {
    runId,
    store,
    sink,
    transport,
    controller,
    replies,
    reply: (text, token) => replies.send(token, { text }, () => transport.reply(answerTo(store, token, text))),
    replyStatus: (token) => replies.$replies.get().get(token)?.status,
  };
}

/** Assert the store equals the server's snapshot and the text is byte-identical. */
export async function expectServerTruth(store: RunStore, runId: string): Promise<void> {
  const server = await serverSnapshot(runId);
  expect(textOf(store)).to.equal(serverText(server));
  expect(clientSnapshot(store)).to.deep.equal(JSON.parse(JSON.stringify(server)));
}

/** What differs between transports in the shared suite. */
export interface SuiteOptions {
  /** The HTTP status a missing run fails with. */
  notFoundStatus?: number;
  /** Whether events are streamed (applied one by one) rather than polled after a snapshot. */
  streaming?: boolean;
  /** Extra transport options for the heartbeat test (e.g. a short long-poll wait). */
  heartbeatOptions?: Partial<TransportOptions>;
}

/** The shared transport suite. */
export function describeTransport(name: TransportName, suite: SuiteOptions = {}): void {
  const streaming = suite.streaming ?? true;
  let open: Connected[] = [];
  const track = (c: Connected): Connected => (open.push(c), c);
  afterEach(() => {
    for (const c of open) c.controller.abort();
    open = [];
  });

  describe(`${name}: shared behaviour`, () => {
    it('happy path: the store ends equal to the server snapshot and the connection closes', async () => {
      const c = track(await connect(name, { scenario: 'quick', speed: 0 }));
      const { statuses, stop } = recordStatuses(c.store);
      await waitForEnd(c.store);
      stop();
      await expectServerTruth(c.store, c.runId);
      expect(statuses[0]).to.equal('connecting');
      expect(statuses).to.include('open');
      expect(statuses.at(-1)).to.equal('closed');
      expect(statuses.some((s) => s.startsWith('reconnecting'))).to.equal(false, statuses.join(' → '));
      expect(c.store.stats.clientErrors).to.equal(0);
      if (streaming) expect(c.store.stats.applied).to.equal(c.store.lastSeq);
    });

    it('a connection cut mid-stream is resumed: byte-identical text, no duplicate, no gap', async () => {
      const c = track(await connect(name, { scenario: 'quick', speed: 0 }, { query: { fault_close_after: '5' } }));
      const { statuses, stop } = recordStatuses(c.store);
      await waitForEnd(c.store);
      stop();
      await expectServerTruth(c.store, c.runId);
      if (streaming) {
        expect(statuses.some((s) => s.startsWith('reconnecting'))).to.equal(true, statuses.join(' → '));
        expect(c.store.stats.applied).to.equal(c.store.lastSeq);
      }
      expect(c.store.stats.gaps).to.equal(0);
      expect(c.store.$state.get().resync).to.equal(null);
    });

    it('duplicated events are ignored', async () => {
      const c = track(await connect(name, { scenario: 'quick', speed: 0 }, { query: { fault_duplicate: '2' } }));
      await waitForEnd(c.store);
      await expectServerTruth(c.store, c.runId);
      if (name !== 'poll') expect(c.store.stats.duplicates).to.be.greaterThan(0);
    });

    it('a malformed frame shows as an error and the stream goes on', async () => {
      const c = track(await connect(name, { scenario: 'agent', speed: 0 }, { query: { fault_malformed: '1' } }));
      const waiting = await waitFor(
        c.store,
        (s) => s.pendingInput !== null && s.connection.status === 'open',
        'need_input',
      );
      await c.reply('yes', waiting.pendingInput!.resume_token);
      await waitForEnd(c.store);
      await expectServerTruth(c.store, c.runId);
      const errors = c.store.$state
        .get()
        .log.toArray()
        .filter((e) => e.kind === 'client_error');
      expect(errors.length).to.be.greaterThan(0);
      expect(errors.map((e) => e.error.code)).to.satisfy((codes: string[]) =>
        codes.every((code) => code === 'malformed_json' || code === 'not_an_object'),
      );
    });

    it('a 4xx fails with a typed error and no retry loop', async () => {
      const c = track(await connect(name, {}, { runId: 'run_does_not_exist' }));
      const state = await waitFor(c.store, (s) => s.connection.status === 'failed', 'failed');
      // It stays failed: stopping what is left (a hybrid's other plane) does not turn it into "closed".
      expect(c.store.$connection.get().status).to.equal('failed');
      const error = state.connection.error;
      expect(error).to.be.instanceOf(TransportError);
      expect((error as TransportError).code).to.equal('http_status');
      expect((error as TransportError).status).to.equal(suite.notFoundStatus ?? 404);
      expect((error as TransportError).retryable).to.equal(false);
    });

    it('heartbeat loss is detected and the connection is reopened (fake clock)', async () => {
      const clock = createFakeClock();
      const c = track(
        await connect(
          name,
          { scenario: 'agent', speed: 0, approval_timeout_ms: 600_000 },
          {
            clock: clock,
            heartbeatTimeoutMs: 30_000,
            query: { heartbeat: '600000' },
            ...suite.heartbeatOptions,
          },
        ),
      );
      await waitFor(
        c.store,
        (s) => s.pendingInput !== null && s.connection.status === 'open',
        'waiting for input, open',
      );
      const { statuses, stop } = recordStatuses(c.store);
      clock.advance(120_000);
      await waitFor(c.store, (s) => s.connection.status === 'reconnecting', 'reconnecting');
      await waitFor(c.store, (s) => s.connection.status === 'open', 'reopened');
      stop();
      expect(statuses).to.include('reconnecting:heartbeat_timeout');
      expect(statuses.at(-1)).to.equal('open');
      expect(c.store.$state.get().pendingInput).to.not.equal(null);
    });

    it('approval round trip: the reply is accepted once, a stale answer is rejected', async () => {
      const c = track(await connect(name, { scenario: 'agent', speed: 0 }));
      const waiting = await waitFor(
        c.store,
        (s) => s.pendingInput !== null && s.connection.status === 'open',
        'need_input',
      );
      const token = waiting.pendingInput!.resume_token;
      await c.reply('yes', token);
      expect(c.replyStatus(token)).to.equal('accepted');
      await waitForEnd(c.store);
      expect(c.store.$state.get().result?.state).to.equal('completed');
      await expectServerTruth(c.store, c.runId);

      // The server refuses the used token…
      const again = await c.transport.reply(answerTo(c.store, token, 'yes')).then(
        () => null,
        (error: unknown) => error,
      );
      expect(again).to.be.instanceOf(TransportError);
      expect((again as TransportError).code).to.be.oneOf(['rejected', 'not_delivered']);
      // …and the run API refuses it before it leaves: the request stays answered with the first answer.
      const local = await c.reply('no', token).then(
        () => null,
        (error: unknown) => error,
      );
      expect((local as TransportError).code).to.equal('rejected');
      expect(c.replyStatus(token)).to.equal('accepted');
      expect(c.replies.$replies.get().get(token)?.text).to.equal('yes');
    });

    it('cancel stops the run on the server', async () => {
      const c = track(await connect(name, { scenario: 'agent', speed: 0 }));
      await waitFor(c.store, (s) => s.pendingInput !== null && s.connection.status === 'open', 'need_input');
      await c.transport.cancel();
      const end = await waitForEnd(c.store);
      expect(end.result?.state).to.equal('cancelled');
      expect((await serverSnapshot(c.runId)).state).to.equal('cancelled');
    });

    it('disconnect leaves the run going; a later connection resumes it where the store left off', async () => {
      const c = track(await connect(name, { scenario: 'agent', speed: 0 }));
      const waiting = await waitFor(
        c.store,
        (s) => s.pendingInput !== null && s.connection.status === 'open',
        'need_input',
      );
      c.controller.abort();
      expect(c.store.$state.get().connection.status).to.equal('closed');
      const server = await serverSnapshot(c.runId);
      expect(server.state).to.equal('waiting');
      expect(server.pending_input?.resume_token).to.equal(waiting.pendingInput!.resume_token);

      const again = track(await connect(name, {}, { runId: c.runId, store: c.store }));
      await waitFor(again.store, (s) => s.connection.status === 'open', 'reopened');
      await again.reply('yes', waiting.pendingInput!.resume_token);
      await waitForEnd(again.store);
      await expectServerTruth(again.store, c.runId);
    });
  });
}
