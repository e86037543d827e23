/**
 * The chaos page: plays one planned run against the mock server with a real transport, answers
 * its questions while faults fire, then checks the client against the server's truth — text
 * byte-identical, every token applied exactly once (counted by seq), log and whole state equal to
 * the server's snapshot, and every reply settled visibly. The runner (scripts/chaos.ts) calls
 * `window.__chaos.run(plan, baseUrl)` for many runs at once.
 */
import { decodeEventsPage, decodeSnapshot, type RunEvent, type RunSnapshot } from '../../src/protocol/index.ts';
import { createReplyTracker, createRun, type ReplyStatus, type ReplyTracker } from '../../src/run/index.ts';
import {
  classify,
  createOrderedSink,
  createRunStore,
  fullText,
  reduce,
  toSnapshot,
  type RunStore,
  type RunStoreState,
} from '../../src/store/index.ts';
import { createTransport, systemClock, TransportError, type Transport } from '../../src/transports/index.ts';
import type { ChaosPlan } from './plan.ts';
import type { ChaosRunResult, ReplyAttempt } from './types.ts';

/** Transport timing for chaos: short bounds so a fault costs milliseconds, not the production defaults. */
const TIMING = {
  heartbeatTimeoutMs: 1500,
  openTimeoutMs: 1500,
  gapTimeoutMs: 250,
  retry: { initialDelayMs: 5, maxDelayMs: 100 },
  poll: { waitS: 1, intervalMs: 25, maxIntervalMs: 200 },
} as const;
/** SSE heartbeat asked of the server (ms), well inside the heartbeat bound. */
const SERVER_HEARTBEAT_MS = '250';
/** A run that has not ended and closed by then fails. */
const RUN_TIMEOUT_MS = 30_000;

declare global {
  interface Window {
    /** The page's entry point for the runner. */
    __chaos?: { run(plan: ChaosPlan, baseUrl: string): Promise<ChaosRunResult> };
    /** Exposed by the runner: cut every connection of the mock server at once. */
    __chaosDropAll?: () => Promise<number>;
  }
}

/** A store whose every applied token (by seq) and every snapshot rebuild is tallied. */
interface Tally {
  readonly store: RunStore;
  /** Seqs of token events the store applied, in order (with repeats, if any). */
  readonly applied: number[];
  /** last_seq of the latest snapshot the store was rebuilt from (its tokens count as applied once). */
  base: number;
  snapshots: number;
  /** A snapshot that moved the store back in time. */
  regressions: number;
}

function tally(inner: RunStore): Tally {
  const t: Tally = { store: inner, applied: [], base: 0, snapshots: 0, regressions: 0 };
  const note = (state: RunStoreState, event: RunEvent): void => {
    if (event.type === 'token' && event.seq !== undefined && classify(state, event) === 'applied')
      t.applied.push(event.seq);
  };
  const store: RunStore = Object.create(inner) as RunStore;
  Object.assign(store, {
    apply(event: RunEvent) {
      note(inner.$state.get(), event);
      return inner.apply(event);
    },
    applyAll(events: Iterable<RunEvent>) {
      const list = [...events];
      let state = inner.$state.get();
      for (const event of list) {
        note(state, event);
        state = reduce(state, event);
      }
      inner.applyAll(list);
    },
    applySnapshot(snapshot: RunSnapshot, sequenced?: boolean) {
      if (snapshot.last_seq < inner.lastSeq) t.regressions++;
      t.snapshots++;
      t.base = snapshot.last_seq;
      // Tokens applied before are superseded by the snapshot's text.
      t.applied.splice(0, t.applied.length, ...t.applied.filter((seq) => seq > snapshot.last_seq));
      inner.applySnapshot(snapshot, sequenced);
    },
  });
  (t as { store: RunStore }).store = store;
  return t;
}

/** JSON with object keys sorted, for order-independent comparison. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** The first difference between two JSON texts, for failure messages. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: client …${a.slice(Math.max(0, i - 60), i + 60)}… server …${b.slice(Math.max(0, i - 60), i + 60)}…`;
}

/** Resolve once `predicate` holds for the store's state; false after `timeoutMs`. */
function until(store: RunStore, predicate: (s: RunStoreState) => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      queueMicrotask(() => unsubscribe());
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    const unsubscribe = store.$state.subscribe((s) => {
      if (predicate(s)) finish(true);
    });
  });
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.json();
}

/** Answer every question the run asks, once per question; again only after a reply was reported undelivered and the connection is back. */
function answerQuestions(
  plan: ChaosPlan,
  store: RunStore,
  transport: Transport,
  tracker: ReplyTracker,
  replies: ReplyAttempt[],
): { stop(): void; idle(): Promise<void> } {
  const statusOf = (token: string): ReplyStatus | null => tracker.$replies.get().get(token)?.status ?? null;
  let inFlight: Promise<void> | null = null;
  /** True from the moment a reply is due until it settled (the store notifies synchronously while `reply()` runs). */
  let busy = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const lastFor = (token: string): ReplyAttempt | undefined => replies.findLast((r) => r.token === token);
  const consider = (state: RunStoreState): void => {
    const pending = state.pendingInput;
    if (stopped || !pending || busy || state.result !== null) return;
    const last = lastFor(pending.resume_token);
    if (last && last.outcome !== 'not_delivered') return; // accepted, or refused: the confirmation must come from the server
    if (last && state.connection.status !== 'open') return; // undelivered: try again once connected
    busy = true;
    timer = setTimeout(() => {
      timer = null;
      const now = store.$state.get().pendingInput;
      if (stopped || now?.resume_token !== pending.resume_token) {
        busy = false;
        if (!stopped) consider(store.$state.get());
        return;
      }
      const token = pending.resume_token;
      inFlight = tracker
        .send(token, { text: 'yes' }, () => transport.reply({ request: pending, text: 'yes' }))
        .then(
          () => void replies.push({ token, outcome: 'accepted', status: statusOf(token) }),
          (error: unknown) => {
            const code = error instanceof TransportError ? error.code : 'other';
            const outcome = code === 'rejected' || code === 'not_delivered' ? code : 'other';
            replies.push({ token, outcome, status: statusOf(token) });
          },
        );
      void inFlight.finally(() => {
        inFlight = null;
        busy = false;
        consider(store.$state.get());
      });
    }, plan.replyDelayMs);
  };
  const unsubscribe = store.$state.subscribe(consider);
  return {
    stop() {
      stopped = true;
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    },
    idle: async () => {
      while (inFlight) await inFlight;
    },
  };
}

/** Play one planned run and check it against the server. */
async function run(plan: ChaosPlan, baseUrl: string): Promise<ChaosRunResult> {
  const started = performance.now();
  const failures: string[] = [];
  const replies: ReplyAttempt[] = [];
  const empty = { applied: 0, duplicates: 0, gaps: 0, clientErrors: 0 };
  let runId = '';
  try {
    runId = await createRun({ baseUrl, body: { scenario: plan.scenario, speed: plan.speed, seed: plan.scenarioSeed } });
  } catch (error) {
    failures.push(`POST /api/runs failed: ${String(error)}`);
  }
  if (runId === '') {
    return {
      plan,
      baseUrl,
      runId,
      failures,
      durationMs: 0,
      events: 0,
      tokens: 0,
      lost: 0,
      duplicated: 0,
      logEntries: 0,
      stats: empty,
      snapshots: 0,
      reconnects: 0,
      transportUsed: null,
      replies,
      questions: [],
      droppedAll: false,
    };
  }

  const t = tally(createRunStore(runId));
  const { store } = t;
  let reconnects = 0;
  let droppedAll = false;
  const stopWatching = store.$connection.listen((c) => {
    if (c.status === 'reconnecting') reconnects++;
  });
  const stopDropping =
    plan.dropAllAt === null
      ? () => undefined
      : store.$state.listen((s) => {
          if (!droppedAll && s.lastSeq >= (plan.dropAllAt ?? Infinity)) {
            droppedAll = true;
            void window.__chaosDropAll?.();
          }
        });
  const controller = new AbortController();
  const { gapTimeoutMs, ...timing } = TIMING;
  const tracker = createReplyTracker(store);
  const transport = createTransport(plan.transport, {
    baseUrl,
    runId,
    sink: createOrderedSink(store, systemClock, gapTimeoutMs),
    signal: controller.signal,
    query: { ...plan.query, heartbeat: SERVER_HEARTBEAT_MS },
    ...timing,
  });
  const answering = answerQuestions(plan, store, transport, tracker, replies);

  const ended = await until(
    store,
    (s) => (s.result !== null && s.connection.status === 'closed') || s.connection.status === 'failed',
    RUN_TIMEOUT_MS,
  );
  answering.stop();
  await answering.idle();
  stopDropping();
  stopWatching();
  const final = store.$state.get();
  controller.abort();
  if (!ended) {
    failures.push(
      `did not end within ${RUN_TIMEOUT_MS} ms: status ${final.status}, lastSeq ${final.lastSeq}, connection ${JSON.stringify(final.connection)}, resync ${JSON.stringify(final.resync)}`,
    );
  } else if (final.connection.status === 'failed') {
    failures.push(
      `the transport gave up: ${final.connection.error?.code ?? '?'} ${final.connection.error?.message ?? ''}`,
    );
  }

  // The server's truth.
  let server: RunSnapshot | null = null;
  let events: RunEvent[] = [];
  try {
    const decoded = decodeSnapshot(await getJson(`${baseUrl}/api/runs/${encodeURIComponent(runId)}`), { runId });
    if (!decoded.ok) throw decoded.error;
    // The run, without the time the snapshot was served at (the client's state has none).
    const { server_time: _served, ...run } = decoded.value.snapshot;
    server = run;
    const page = decodeEventsPage(
      await getJson(`${baseUrl}/api/runs/${encodeURIComponent(runId)}/events?after=0&limit=10000`),
      { runId },
    );
    if (!page.ok) throw page.error;
    events = page.value.events;
  } catch (error) {
    failures.push(`reading the server's truth failed: ${String(error)}`);
  }

  const tokenEvents = events.filter((e): e is Extract<RunEvent, { type: 'token' }> => e.type === 'token');
  const serverText = tokenEvents.map((e) => e.content).join('');
  const clientText = fullText(final.text);
  if (clientText !== serverText)
    failures.push(`text differs: ${firstDifference(JSON.stringify(clientText), JSON.stringify(serverText))}`);

  // Every server token covered exactly once: by an applied snapshot (seq ≤ base) or by one applied event.
  const count = new Map<number, number>();
  for (const e of tokenEvents) if ((e.seq ?? 0) <= t.base) count.set(e.seq ?? 0, 1);
  for (const seq of t.applied) count.set(seq, (count.get(seq) ?? 0) + 1);
  let lost = 0;
  let duplicated = 0;
  for (const e of tokenEvents) {
    const n = count.get(e.seq ?? 0) ?? 0;
    if (n === 0) lost++;
    if (n > 1) duplicated += n - 1;
  }
  const serverSeqs = new Set(tokenEvents.map((e) => e.seq));
  for (const seq of t.applied) if (!serverSeqs.has(seq)) duplicated++;
  if (lost > 0) failures.push(`${lost} token(s) lost`);
  if (duplicated > 0) failures.push(`${duplicated} token(s) duplicated`);
  if (t.regressions > 0) failures.push(`${t.regressions} snapshot(s) moved the store back`);

  const client = toSnapshot(final);
  if (server) {
    const a = canonical(client);
    const b = canonical(server);
    if (a !== b) failures.push(`store state differs from the server snapshot ${firstDifference(a, b)}`);
    if (client.log.length !== server.log.length)
      failures.push(`log has ${client.log.length} entries, the server's ${server.log.length}`);
  }
  if (final.resync !== null) failures.push(`a gap is still open: ${JSON.stringify(final.resync)}`);

  // Replies: each settled visibly, and the last answer shows as accepted.
  const questions = events.filter((e) => e.type === 'need_input').map((e) => e.resume_token);
  for (const attempt of replies) {
    const allowed =
      attempt.outcome === 'accepted'
        ? ['accepted']
        : attempt.outcome === 'rejected'
          ? ['rejected', 'accepted']
          : ['undelivered', 'accepted'];
    if (attempt.outcome === 'other' || !allowed.includes(attempt.status ?? '')) {
      failures.push(
        `reply ${attempt.token} settled as ${attempt.outcome} but the store showed ${String(attempt.status)}`,
      );
    }
  }
  for (const token of questions) {
    if (!replies.some((r) => r.token === token)) failures.push(`question ${token} was never answered`);
  }
  const lastQuestion = questions.at(-1);
  const lastReply = lastQuestion === undefined ? undefined : tracker.$replies.get().get(lastQuestion);
  if (lastQuestion !== undefined && lastReply?.status !== 'accepted') {
    failures.push(`the last answer shows as ${JSON.stringify(lastReply)}, not accepted`);
  }

  return {
    plan,
    baseUrl,
    runId,
    failures,
    durationMs: Math.round(performance.now() - started),
    events: events.length,
    tokens: tokenEvents.length,
    lost,
    duplicated,
    logEntries: client.log.length,
    stats: { ...store.stats },
    snapshots: t.snapshots,
    reconnects,
    transportUsed: final.connection.transport,
    replies,
    questions,
    droppedAll,
  };
}

window.__chaos = { run };
