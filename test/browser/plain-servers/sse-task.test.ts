/**
 * The tutorial's SSE task (examples/servers/python/sse_task.py, node/sse-task.mjs): the event
 * name carries the type, the JSON has no type and no seq, tokens come as {"type":"token",…} or
 * {"content":…}. Issue 11, points 4, 7, 8, 9, 10 and 12.
 */
import '../components/setup.ts';
import { expect } from '@open-wc/testing';
import {
  Checks,
  ended,
  GREEN,
  intermediate,
  logEmptyText,
  logRows,
  mountRun,
  progressView,
  recordProgress,
  rowsOf,
  streamAll,
  streamText,
  until,
} from './page.ts';
import { LANGUAGES, plainServer, requestsTo, serverLog, startTask } from './servers.ts';

/** What a user writes for an SSE task server. */
const sseTask = (base: string, taskId: string, extra: Record<string, string> = {}) => ({
  'base-url': base,
  'run-id': taskId,
  transport: 'sse',
  'stream-path': '/api/tasks/{id}/stream',
  ...extra,
});

const ANSWER = 'Found 42 files in 3 folders.';
const FILES_42 = /"?files"?\s*:\s*42/;

for (const language of LANGUAGES) {
  describe(`plain SSE task (${language})`, () => {
    it('shows the progress steps, the server’s state word, the text and the result; done at 100 %', async () => {
      const base = await plainServer('sse-task', language);
      const taskId = await startTask(base, '/api/tasks');
      const page = await mountRun(sseTask(base, taskId));
      const history = recordProgress(page);
      await ended(page);
      await until(page, 'every connection of the ended run closed', (p) => progressView(p).connection === 'closed');
      history.stop();
      const view = progressView(page);
      const streams = await requestsTo(base, `/api/tasks/${taskId}/stream`);
      new Checks()
        .check(() => expect(view.state).to.equal('done'))
        .check(() => expect(view.label).to.equal('Done'))
        .check(() => expect(view.indicatorColor).to.equal(GREEN))
        .check(() =>
          expect(
            intermediate(history.values).length,
            `progress steps shown (10, 30, 50, 70, 90 %, 400 ms apart): ${history.values.join(' → ')}`,
          ).to.be.at.least(2),
        )
        .check(() =>
          expect(history.messages.filter((m) => m.startsWith('Step ')).length, 'step messages shown').to.be.at.least(2),
        )
        .check(() =>
          expect(
            history.labels.some((l) => /searching/i.test(l)),
            `point 4: the server's word "searching" shown as the label; labels: ${history.labels.join(' → ')}`,
          ).to.equal(true),
        )
        .check(() => expect(streamText(page)).to.equal(ANSWER))
        .check(() => expect(view.value, 'point 8: done means 100 %').to.equal('100%'))
        .check(() => expect(view.message ?? '', 'point 8: a final message').to.not.be.oneOf(['', 'Step 5/5: counting']))
        .check(() => expect(view.result ?? '', 'point 7: the result in <run-progress>').to.match(FILES_42))
        .check(() =>
          expect(logRows(page).at(-1)?.all ?? '', 'point 7: the result as the last log row').to.match(FILES_42),
        )
        .check(() => expect(streams.length, 'one stream, never reopened after done').to.equal(1))
        .verify(page);
    });

    it('a tokens-only stream ({"content": …}): the log never says "No activity yet."; text and result shown', async () => {
      const base = await plainServer('sse-task', language);
      const taskId = await startTask(base, '/api/tasks', { tokens_only: '1', tokens: 'bare' });
      const page = await mountRun(sseTask(base, taskId));
      await until(page, 'the first streamed words', (p) => streamText(p).startsWith('Found'));
      const during = logEmptyText(page);
      await ended(page);
      const view = progressView(page);
      new Checks()
        .check(() => expect(during, 'point 10: the log while tokens stream').to.not.equal('No activity yet.'))
        .check(() => expect(logEmptyText(page), 'point 10: the log after the run').to.not.equal('No activity yet.'))
        .check(() => expect(streamText(page)).to.equal(ANSWER))
        .check(() => expect(view.state).to.equal('done'))
        .check(() => expect(view.value, 'point 8: done means 100 %').to.equal('100%'))
        .check(() => expect(view.result ?? '', 'point 7: the result in <run-progress>').to.match(FILES_42))
        .check(() =>
          expect(logRows(page).at(-1)?.all ?? '', 'point 7: the result as the last log row').to.match(FILES_42),
        )
        .verify(page);
    });

    it('a failed task: Failed at its last 50 %, the reason in <run-progress> and after the text, its step failed', async () => {
      const base = await plainServer('sse-task', language);
      const taskId = await startTask(base, '/api/tasks', { speed: '0', fail: '1' });
      const page = await mountRun(sseTask(base, taskId));
      await ended(page);
      const view = progressView(page);
      const step = rowsOf(page, 'step').find((r) => r.text === 'Scan files');
      new Checks()
        .check(() => expect(view.state).to.equal('failed'))
        .check(() => expect(view.label).to.equal('Failed'))
        .check(() => expect(view.indicatorColor).to.not.equal(GREEN))
        .check(() => expect(view.value, 'point 8: the last % is kept').to.equal('50%'))
        .check(() => expect(view.message ?? '', 'point 8: the reason in <run-progress>').to.include('disk full'))
        .check(() =>
          expect(streamAll(page), 'point 8: the reason at the end of <token-stream>').to.include('disk full'),
        )
        .check(() =>
          expect(step?.detail ?? null, 'point 9: the step the run failed in is marked failed').to.equal('failed'),
        )
        .verify(page);
    });

    it('auto with only stream-path set tries no WebSocket (the default socket path is not configured)', async () => {
      const base = await plainServer('sse-task', language);
      const taskId = await startTask(base, '/api/tasks', { speed: '0' });
      const page = await mountRun({ ...sseTask(base, taskId), transport: 'auto' });
      await ended(page);
      const sockets = (await serverLog(base)).requests.filter((r) => r.pathname.startsWith('/ws/'));
      new Checks()
        .check(() => expect(progressView(page).state).to.equal('done'))
        .check(() => expect(streamText(page)).to.equal(ANSWER))
        .check(() =>
          expect(
            sockets.map((r) => r.path),
            'point 12: auto tries only configured endpoints',
          ).to.deep.equal([]),
        )
        .verify(page);
    });
  });
}
