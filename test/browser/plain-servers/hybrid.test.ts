/**
 * The tutorial's hybrid stack (examples/servers/python/hybrid.py, node/hybrid.mjs): POST /api/runs
 * → {run_id}; WS /ws/runs/{id} is the control plane (status, steps, tools, need_input, done);
 * SSE /api/runs/{id}/tokens is the token plane, whose `done` ends the answer's text — before the
 * question is answered — not the run. Issue 11, points 1, 2, 3, 4, 5, 7, 10 and 12.
 */
import '../components/setup.ts';
import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import {
  answer,
  asked,
  Checks,
  ended,
  GREEN,
  logRows,
  mountRun,
  progressView,
  recordProgress,
  rowsOf,
  settled,
  streamText,
  until,
  type RunPage,
} from './page.ts';
import { LANGUAGES, literal, plainServer, requestsTo, serverPrinted, startTask } from './servers.ts';

/** What a user writes for a hybrid server: its paths are agentwire's defaults. */
const hybrid = (base: string, runId: string) => ({ 'base-url': base, 'run-id': runId, transport: 'hybrid' });

const ANSWER = 'Here is the plan: run the tests, build the image, deploy v1.2.0.';

/** How often each plane of the run was opened (accepted sockets, token streams requested). */
async function planesOpened(base: string, runId: string): Promise<{ control: number; tokens: number }> {
  const control = (await requestsTo(base, `/ws/runs/${runId}`)).filter((r) => r.kind === 'websocket' && r.accepted);
  const tokens = (await requestsTo(base, `/api/runs/${runId}/tokens`)).filter((r) => r.kind === 'http');
  return { control: control.length, tokens: tokens.length };
}

/** Wait until the client closed every connection of the ended run and the server saw both planes go. */
async function closedEverything(page: RunPage, base: string, runId: string): Promise<void> {
  await until(
    page,
    'point 3: every connection of the ended run closed',
    (p) => progressView(p).connection === 'closed',
  );
  await serverPrinted(base, new RegExp(`^disconnected ${literal(`/ws/runs/${runId}`)}$`));
  await serverPrinted(base, new RegExp(`^disconnected ${literal(`/api/runs/${runId}/tokens`)}$`));
}

/** Keep a failed wait as one more failed check (the other checks still run). */
const kept = (checks: Checks) => (error: unknown) =>
  checks.check(() => {
    throw error;
  });

for (const language of LANGUAGES) {
  describe(`plain hybrid stack (${language})`, () => {
    for (const [shape, switches] of [
      ['data: {"type":"done"}', {}],
      ['event: done + {"finish_reason":"stop"}', { tokens_end: 'event' }],
    ] as const) {
      it(`"yes": the text ends (${shape}) while the question stays open; answered; "deployed" kept`, async () => {
        const base = await plainServer('hybrid', language, { SPEED: '0' });
        const runId = await startTask(base, '/api/runs', switches);
        const page = await mountRun(hybrid(base, runId));
        const history = recordProgress(page);
        await asked(page, 'Confirm deploy?');
        await until(page, 'the whole answer text', (p) => streamText(p) === ANSWER);
        // The token plane sent its done (after the question, in the same write as the last word):
        // the text is complete, so the client has read that done too, whichever plane came first.
        await serverPrinted(base, new RegExp(`^tokens done ${runId}$`));
        const whileAsking = progressView(page);
        const statesBeforeAnswer = [...history.states];
        const checks = new Checks()
          .check(() =>
            expect(
              statesBeforeAnswer.filter((s) => ['done', 'failed', 'cancelled'].includes(s)),
              `point 1: the token plane's done ended the run; states: ${statesBeforeAnswer.join(' → ')}`,
            ).to.deep.equal([]),
          )
          .check(() => expect(whileAsking.state, 'point 1: still waiting for the answer').to.equal('waiting'))
          .check(() => expect(page.prompt.phase, 'point 1: the question stays open').to.equal('open'));
        await answer(page, 'yes');
        await ended(page);
        history.stop();
        const view = progressView(page);
        checks
          .check(() => expect(view.state, 'the control plane’s final state').to.equal('done'))
          .check(() => expect(view.indicatorColor).to.equal(GREEN))
          .check(() => expect(view.value, 'point 8: done means 100 %').to.equal('100%'))
          .check(() => expect(view.result ?? '', 'point 7: the result in <run-progress>').to.include('deployed'))
          .check(() =>
            expect(logRows(page).at(-1)?.all ?? '', 'point 7: the result as the last log row').to.include('deployed'),
          )
          .check(() => expect(streamText(page), 'the text, once').to.equal(ANSWER))
          .check(() =>
            expect(
              history.labels.some((l) => /planning/i.test(l)),
              `point 4: the server's word "planning" as the label; labels: ${history.labels.join(' → ')}`,
            ).to.equal(true),
          )
          .check(() =>
            expect(rowsOf(page, 'request')[0]?.all ?? '', 'point 10: the "Asked" row shows the answer').to.include(
              'yes',
            ),
          );
        await closedEverything(page, base, runId).catch(kept(checks));
        const opened = await planesOpened(base, runId);
        checks
          .check(() => expect(opened, 'each plane opened once').to.deep.equal({ control: 1, tokens: 1 }))
          .verify(page);
      });
    }

    it('"no", the token plane’s done after the control plane’s: Cancelled kept; all closed; 60 s later no reconnect', async () => {
      const base = await plainServer('hybrid', language, { SPEED: '0' });
      const runId = await startTask(base, '/api/runs', { tokens_done: 'late' });
      const clock = sinon.useFakeTimers({
        toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
        // A timer of an earlier test (a store letting go of its run) may be cleared while this clock is installed.
        shouldClearNativeTimers: true,
      });
      try {
        const page = await mountRun(hybrid(base, runId));
        await asked(page, 'Confirm deploy?');
        await answer(page, 'no');
        await ended(page);
        const checks = new Checks();
        await closedEverything(page, base, runId).catch(kept(checks));
        // The token plane is over too: it sent its done, or the client left it first.
        const view = progressView(page);
        const rows = logRows(page).map((r) => r.all);
        checks
          .check(() =>
            expect(view.state, 'point 2: the control plane’s cancelled is never overwritten').to.equal('cancelled'),
          )
          .check(() => expect(view.label).to.equal('Cancelled'))
          .check(() => expect(view.indicatorColor).to.not.equal(GREEN))
          .check(() =>
            expect(rowsOf(page, 'request')[0]?.all ?? '', 'point 10: the "Asked" row shows the answer').to.include(
              'no',
            ),
          );
        await clock.tickAsync(60_000);
        await settled(page);
        const opened = await planesOpened(base, runId);
        checks
          .check(() => expect(progressView(page).state, 'point 2: still cancelled').to.equal('cancelled'))
          .check(() => expect(progressView(page).connection, 'point 3: still closed').to.equal('closed'))
          .check(() =>
            expect(opened, 'point 3: no plane reopened after the end').to.deep.equal({ control: 1, tokens: 1 }),
          )
          .check(() =>
            expect(
              logRows(page).map((r) => r.all),
              'point 3: no doubled rows',
            ).to.deep.equal(rows),
          )
          .verify(page);
      } finally {
        clock.restore();
      }
    });

    it('auto with no paths set picks hybrid (both planes are configured by default)', async () => {
      const base = await plainServer('hybrid', language, { SPEED: '0' });
      const runId = await startTask(base, '/api/runs');
      const page = await mountRun({ ...hybrid(base, runId), transport: 'auto' });
      await asked(page, 'Confirm deploy?');
      await until(page, 'point 12: the text from the token plane', (p) => streamText(p) === ANSWER);
      await answer(page, 'yes');
      await ended(page);
      const opened = await planesOpened(base, runId);
      new Checks()
        .check(() => expect(progressView(page).state).to.equal('done'))
        .check(() => expect(progressView(page).result ?? '', 'point 7: the result').to.include('deployed'))
        .check(() => expect(opened, 'point 12: both planes, each once').to.deep.equal({ control: 1, tokens: 1 }))
        .verify(page);
    });
  });
}
