/**
 * The tutorial's REST task (examples/servers/python/rest_task.py, node/rest-task.mjs):
 * POST /api/tasks → {task_id}, GET /api/tasks/{id} → {task_id, status, progress, result}, polled
 * by `<agent-run>` from its attributes alone. Issue 11, points 6, 7, 8 and 13.
 */
import '../components/setup.ts';
import { expect } from '@open-wc/testing';
import {
  Checks,
  ended,
  GREEN,
  intermediate,
  logRows,
  mountRun,
  progressView,
  recordProgress,
  streamAll,
  until,
  type RunPage,
} from './page.ts';
import { LANGUAGES, plainServer, requestsTo, startTask } from './servers.ts';

/** What a user writes for a REST task server. */
const restTask = (base: string, taskId: string, extra: Record<string, string> = {}) => ({
  'base-url': base,
  'run-id': taskId,
  transport: 'poll',
  'snapshot-path': '/api/tasks/{id}',
  ...extra,
});

/** The result `{"files": 42}`, however it is printed. */
const FILES_42 = /"?files"?\s*:\s*42/;

/** Done at 100 %, green, with the result in `<run-progress>` and as the last log row. */
function checkDoneWithResult(checks: Checks, page: RunPage): void {
  const view = progressView(page);
  checks
    .check(() => expect(view.state).to.equal('done'))
    .check(() => expect(view.label).to.equal('Done'))
    .check(() => expect(view.value).to.equal('100%'))
    .check(() => expect(view.indicatorColor).to.equal(GREEN, 'a done bar is green'))
    .check(() => expect(view.result ?? '', 'point 7: the result in <run-progress> (part "result")').to.match(FILES_42))
    .check(() => expect(view.message ?? '', 'point 8: a final message').to.not.equal(''))
    .check(() => expect(logRows(page).at(-1)?.all ?? '', 'point 7: the result as the last log row').to.match(FILES_42));
}

for (const language of LANGUAGES) {
  describe(`plain REST task (${language})`, () => {
    it('polls a 2-second task to 100 % and shows its result; progress is shown on the way (default timing)', async () => {
      const base = await plainServer('rest-task', language);
      const taskId = await startTask(base, '/api/tasks');
      const page = await mountRun(restTask(base, taskId));
      const history = recordProgress(page);
      await ended(page);
      history.stop();
      const checks = new Checks();
      checkDoneWithResult(checks, page);
      checks.check(
        () =>
          expect(
            intermediate(history.values),
            `point 13: a value between 0 and 100 on the way; shown: ${history.values.join(' → ')}`,
          ).to.not.be.empty,
      );
      checks.verify(page);
    });

    it('poll-interval="100" polls often enough to show most steps of the task', async () => {
      const base = await plainServer('rest-task', language);
      const taskId = await startTask(base, '/api/tasks');
      const page = await mountRun(restTask(base, taskId, { 'poll-interval': '100', 'poll-wait': '0' }));
      const history = recordProgress(page);
      await ended(page);
      history.stop();
      const checks = new Checks();
      checkDoneWithResult(checks, page);
      checks.check(() =>
        expect(
          intermediate(history.values).length,
          `point 13: steps shown (the task moves every 400 ms: 20, 40, 60, 80 %): ${history.values.join(' → ')}`,
        ).to.be.at.least(2),
      );
      checks.verify(page);
    });

    it('a failed task: Failed at its last 60 %, not green, the reason in <run-progress> and after the text', async () => {
      const base = await plainServer('rest-task', language);
      const taskId = await startTask(base, '/api/tasks', { speed: '0', fail: '1' });
      const page = await mountRun(restTask(base, taskId));
      await ended(page);
      const view = progressView(page);
      new Checks()
        .check(() => expect(view.state).to.equal('failed'))
        .check(() => expect(view.label).to.equal('Failed'))
        .check(() => expect(view.value, 'point 8: the last % is kept').to.equal('60%'))
        .check(() => expect(view.indicatorColor).to.not.equal(GREEN))
        .check(() => expect(view.message ?? '', 'point 8: the reason in <run-progress>').to.include('disk full'))
        .check(() =>
          expect(streamAll(page), 'point 8: the reason at the end of <token-stream>').to.include('disk full'),
        )
        .verify(page);
    });

    it('an unknown task id (200 {"error": "not found"}) is shown as failed, and polling stops', async () => {
      const base = await plainServer('rest-task', language);
      const taskId = `no-such-task-${crypto.randomUUID().slice(0, 8)}`;
      const page = await mountRun(restTask(base, taskId));
      const lenient = { failOnStreamError: false };
      await until(page, 'point 6: the run shown as failed', (p) => progressView(p).state === 'failed', lenient);
      await until(
        page,
        'polling stopped',
        (p) => ['closed', 'failed'].includes(progressView(p).connection ?? ''),
        lenient,
      );
      const polls = (await requestsTo(base, `/api/tasks/${taskId}`)).length;
      new Checks()
        .check(() => expect(progressView(page).label).to.equal('Failed'))
        .check(() => expect(progressView(page).text, 'point 6: the error is shown').to.include('not found'))
        .check(() => expect(polls, 'point 6: polling stopped at the first answer').to.equal(1))
        .verify(page);
    });
  });
}
