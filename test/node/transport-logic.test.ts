/** Pure transport logic in Node: backoff, retry classification, watchdog, ordered sink, the reconnect loop. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent } from '../../src/protocol/index.ts';
import { createOrderedSink, createRunStore, fullText } from '../../src/store/index.ts';
import { backoffDelay, DEFAULT_RETRY, resolveRetry } from '../../src/transports/backoff.ts';
import { closeError, isRetryableStatus, statusError, TransportError } from '../../src/transports/errors.ts';
import { combineStates } from '../../src/transports/hybrid.ts';
import { startSession, type Attempt, type ConnectionEnd } from '../../src/transports/session.ts';
import { createWatchdog } from '../../src/transports/timers.ts';
import type { ConnectionState } from '../../src/store/index.ts';
import { createFakeClock } from '../shared/fake-clock.ts';

const token = (seq: number, content = `t${seq}`): RunEvent => ({ type: 'token', seq, run_id: 'r', content });
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('backoff: capped exponential with full jitter', () => {
  const policy = resolveRetry({ initialDelayMs: 100, maxDelayMs: 1_000, factor: 2 });
  it('grows by the factor and stays under the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, () => 0.999999)),
      [99, 199, 399, 799, 999, 999],
    );
  });
  it('is uniform down to zero (full jitter)', () => {
    assert.equal(
      backoffDelay(5, policy, () => 0),
      0,
    );
    assert.equal(
      backoffDelay(3, policy, () => 0.5),
      200,
    );
  });
  it('takes a server retry as the base and honours Retry-After up to the cap', () => {
    assert.equal(
      backoffDelay(1, policy, () => 0.5, { base: 40 }),
      20,
    );
    assert.equal(
      backoffDelay(1, policy, () => 0, { atLeast: 700 }),
      700,
    );
    assert.equal(
      backoffDelay(1, policy, () => 0, { atLeast: 60_000 }),
      1_000,
    );
  });
  it('defaults to 0.5 s doubling to 30 s, forever', () => {
    assert.deepEqual(
      { ...DEFAULT_RETRY },
      { initialDelayMs: 500, maxDelayMs: 30_000, factor: 2, maxAttempts: Number.POSITIVE_INFINITY },
    );
  });
});

describe('retry classification', () => {
  it('retries 5xx, 408 and 429, not other 4xx', () => {
    for (const status of [500, 502, 503, 504, 408, 429]) assert.equal(isRetryableStatus(status), true, String(status));
    for (const status of [400, 401, 403, 404, 409, 410, 413])
      assert.equal(isRetryableStatus(status), false, String(status));
  });
  it('reads the server error body and Retry-After', () => {
    const error = statusError(503, { error: { code: 'unavailable', message: 'down' } }, '2');
    assert.equal(error.code, 'http_status');
    assert.equal(error.status, 503);
    assert.equal(error.serverCode, 'unavailable');
    assert.equal(error.retryAfterMs, 2_000);
    assert.equal(error.retryable, true);
  });
  it('maps WebSocket close codes', () => {
    assert.equal(closeError(1000, ''), null);
    assert.deepEqual(
      [1001, 1006, 1011, 1012, 1013].map((c) => closeError(c, '')?.retryable),
      [true, true, true, true, true],
    );
    const tooBig = closeError(1009, 'too big');
    assert.equal(tooBig?.code, 'protocol');
    assert.equal(tooBig.retryable, false);
    const notFound = closeError(4404, 'run not found');
    assert.equal(notFound?.code, 'http_status');
    assert.equal(notFound.status, 404);
    assert.equal(notFound.retryable, false);
    assert.equal(closeError(4503, '')?.retryable, true);
  });
});

describe('watchdog', () => {
  it('a bound of Infinity (or past the 2^31-1 ms a browser timer takes) means no bound: nothing is armed', () => {
    const clock = createFakeClock();
    const watchdog = createWatchdog(clock);
    let fired = 0;
    watchdog.watch(1_000, () => fired++);
    watchdog.watch(Number.POSITIVE_INFINITY, () => fired++);
    assert.equal(clock.pending, 0, 'the earlier bound is dropped, no timer armed');
    watchdog.watch(2 ** 31, () => fired++);
    clock.advance(2 ** 32);
    assert.equal(fired, 0);
  });

  it('fires after the bound of silence; kicks push it back without re-arming per kick', () => {
    const clock = createFakeClock();
    const watchdog = createWatchdog(clock);
    let fired = 0;
    watchdog.watch(1_000, () => fired++);
    clock.advance(900);
    watchdog.kick();
    clock.advance(900);
    assert.equal(fired, 0);
    assert.equal(clock.pending, 1);
    clock.advance(100);
    assert.equal(fired, 1);
    watchdog.stop();
    assert.equal(clock.pending, 0);
  });
});

describe('ordered sink', () => {
  const make = (gapTimeoutMs = 1_000) => {
    const store = createRunStore('r');
    const clock = createFakeClock();
    let gaps = 0;
    let rebuilds = 0;
    const sink = createOrderedSink(store, clock, gapTimeoutMs);
    sink.attach({
      signal: new AbortController().signal,
      resume: () => gaps++,
      rebuild: () => {
        rebuilds++;
        sink.snapshot(
          {
            run_id: 'r',
            state: 'running',
            progress: { pct: null, message: null },
            messages: [{ message_id: 'default', text: 't1t2t3' }],
            log: [],
            pending_input: null,
            result: null,
            last_seq: 3,
          },
          true,
        );
        return Promise.resolve();
      },
    });
    return { store, clock, sink, gaps: () => gaps, rebuilds: () => rebuilds };
  };

  it('applies in seq order once, whatever order the events arrive in', () => {
    const { store, sink, gaps } = make();
    for (const seq of [1, 3, 2, 2, 5, 4, 1]) sink.event(token(seq));
    sink.flush();
    assert.equal(fullText(store.$state.get().text), 't1t2t3t4t5');
    assert.equal(store.lastSeq, 5);
    assert.equal(gaps(), 2);
  });

  it('batches one turn of events into one store update', async () => {
    const { store, sink } = make();
    let updates = 0;
    const stop = store.$state.listen(() => updates++);
    for (let seq = 1; seq <= 100; seq++) sink.event(token(seq));
    await Promise.resolve();
    stop();
    assert.equal(updates, 1);
    assert.equal(store.lastSeq, 100);
  });

  it('rebuilds from a snapshot when a missing seq does not come, then applies what was held', async () => {
    const { store, sink, clock, rebuilds } = make();
    sink.event(token(1));
    sink.event(token(4));
    sink.flush();
    assert.equal(store.lastSeq, 1);
    clock.advance(1_000);
    await tick();
    assert.equal(rebuilds(), 1);
    assert.equal(store.lastSeq, 4);
    assert.equal(fullText(store.$state.get().text), 't1t2t3t4');
  });

  it('shows a decode error in the log and goes on', () => {
    const { store, sink } = make();
    sink.decoded({ ok: true, value: token(1) });
    sink.error(new TransportError('protocol', 'bad frame'));
    sink.decoded({ ok: true, value: token(2) });
    sink.flush();
    assert.equal(store.lastSeq, 2);
    assert.equal(store.stats.clientErrors, 1);
  });
});

describe('reconnect loop', () => {
  type Script = (attempt: Attempt, n: number) => Promise<ConnectionEnd>;
  const run = (script: Script, options: { maxAttempts?: number; failFast?: boolean } = {}) => {
    const clock = createFakeClock({ random: 0.5 });
    const controller = new AbortController();
    const reports: Partial<ConnectionState>[] = [];
    const ends: (TransportError | null)[] = [];
    let n = 0;
    const session = startSession({
      name: 'test',
      clock,
      retry: resolveRetry({
        initialDelayMs: 100,
        maxDelayMs: 1_000,
        maxAttempts: options.maxAttempts ?? Number.POSITIVE_INFINITY,
      }),
      signal: controller.signal,
      report: (patch) => reports.push(patch),
      connect: (attempt) => script(attempt, ++n),
      progress: () => 0,
      ...(options.failFast !== undefined && { failFast: options.failFast }),
      onEnd: (error) => ends.push(error),
    });
    return { clock, controller, reports, ends, session, attempts: () => n };
  };
  const network = new TransportError('network', 'down', { retryable: true });

  it('backs off with jitter between failures and reports each attempt', async () => {
    const { clock, reports, attempts, controller } = run(() => Promise.reject(network));
    await tick();
    assert.equal(attempts(), 1);
    clock.advance(49);
    await tick();
    assert.equal(attempts(), 1);
    clock.advance(1);
    await tick();
    assert.equal(attempts(), 2);
    clock.advance(100);
    await tick();
    assert.equal(attempts(), 3);
    assert.deepEqual(
      reports.filter((r) => r.status === 'reconnecting' && r.error).map((r) => r.attempt),
      [1, 1, 2, 2, 3],
    );
    controller.abort();
    assert.equal(reports.at(-1)?.status, 'closed');
  });

  it('fails at once on a non-retryable error, with the typed error', async () => {
    const fatal = new TransportError('http_status', 'HTTP 404', { status: 404 });
    const { reports, ends, attempts } = run(() => Promise.reject(fatal));
    await tick();
    assert.equal(attempts(), 1);
    assert.equal(reports.at(-1)?.status, 'failed');
    assert.equal(reports.at(-1)?.error, fatal);
    assert.deepEqual(ends, [fatal]);
  });

  it('gives up after maxAttempts', async () => {
    const { clock, reports } = run(() => Promise.reject(network), { maxAttempts: 2 });
    for (let i = 0; i < 5; i++) {
      await tick();
      clock.advance(1_000);
    }
    assert.equal(reports.at(-1)?.status, 'failed');
  });

  it('failFast gives up before the first live connection, not after', async () => {
    const early = run(() => Promise.reject(network), { failFast: true });
    await tick();
    assert.equal(early.reports.at(-1)?.status, 'failed');

    const late = run(
      (attempt, n) => {
        if (n === 1) {
          attempt.opened();
          attempt.live();
        }
        return Promise.reject(network);
      },
      { failFast: true },
    );
    await tick();
    assert.equal(late.reports.at(-1)?.status, 'reconnecting');
    late.controller.abort();
  });

  it('failFast gives a connection cut after opening but before its first byte one more try, then gives up', async () => {
    // Headers (or a handshake) then a drop with nothing read: a browser can lose bytes that did
    // arrive when the body errors. That is a drop, not a transport that does not work: one retry.
    const { clock, reports, ends, attempts } = run(
      (attempt) => {
        attempt.opened();
        return Promise.reject(network);
      },
      { failFast: true },
    );
    await tick();
    assert.equal(attempts(), 1);
    assert.equal(reports.at(-1)?.status, 'reconnecting');
    clock.advance(1_000);
    await tick();
    assert.equal(attempts(), 2);
    assert.equal(reports.at(-1)?.status, 'failed', 'the second cut before the first byte ends it: auto hands over');
    assert.deepEqual(ends, [network]);

    // Open but silent (a buffering proxy) is what failFast looks for: no second try.
    const buffered = new TransportError('buffered', 'headers but no byte', { retryable: true });
    const silent = run(
      (attempt) => {
        attempt.opened();
        return Promise.reject(buffered);
      },
      { failFast: true },
    );
    await tick();
    assert.equal(silent.attempts(), 1);
    assert.equal(silent.reports.at(-1)?.status, 'failed');
  });

  it('the watchdog fails a silent connection with heartbeat_timeout, and it reconnects', async () => {
    const { clock, reports, attempts, controller } = run(
      (attempt) =>
        new Promise<ConnectionEnd>((_, reject) => {
          attempt.opened();
          attempt.watch(1_000, () => new TransportError('heartbeat_timeout', 'silent', { retryable: true }));
          attempt.signal.addEventListener('abort', () => reject(attempt.signal.reason as TransportError));
        }),
    );
    clock.advance(1_000);
    await tick();
    assert.equal(reports.find((r) => r.error)?.error?.code, 'heartbeat_timeout');
    clock.advance(100);
    await tick();
    assert.equal(attempts(), 2);
    controller.abort();
  });

  it('reconnect() drops the connection and opens a new one at once', async () => {
    const { session, attempts, controller } = run(
      (attempt) =>
        new Promise<ConnectionEnd>((_, reject) => {
          attempt.opened();
          attempt.signal.addEventListener('abort', () => reject(attempt.signal.reason as TransportError));
        }),
    );
    session.reconnect();
    await tick();
    assert.equal(attempts(), 2);
    controller.abort();
  });

  it('a finished run ends the loop as closed', async () => {
    const { reports, ends } = run((attempt) => {
      attempt.opened();
      return Promise.resolve('finished');
    });
    await tick();
    assert.equal(reports.at(-1)?.status, 'closed');
    assert.deepEqual(ends, [null]);
  });
});

describe('hybrid connection state', () => {
  const s = (status: ConnectionState['status'], error: TransportError | null = null): ConnectionState => ({
    status,
    transport: null,
    attempt: 0,
    error,
  });
  it('is open only when both planes are, failed when either is, closed when both are', () => {
    assert.equal(combineStates(s('open'), s('open'), 'hybrid').status, 'open');
    assert.equal(combineStates(s('open'), s('reconnecting'), 'hybrid').status, 'reconnecting');
    assert.equal(combineStates(s('failed'), s('open'), 'hybrid').status, 'failed');
    assert.equal(combineStates(s('closed'), s('open'), 'hybrid').status, 'open');
    assert.equal(combineStates(s('closed'), s('closed'), 'hybrid').status, 'closed');
  });
});
