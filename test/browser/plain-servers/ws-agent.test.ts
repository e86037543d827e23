/**
 * The tutorial's WebSocket agent (examples/servers/python/ws_agent.py, node/ws-agent.mjs): one
 * socket, every connection starts the conversation, invented state words, need_input without
 * resume_token answered with {"type":"user_reply","text":…}, done with a result or a state.
 * Issue 11, points 3, 4, 5, 7, 8, 9, 10 and 11.
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
  until,
  type LogRowView,
  type RunPage,
} from './page.ts';
import { LANGUAGES, literal, plainServer, requestsTo, serverPrinted } from './servers.ts';

/** What a user writes for a WebSocket agent (`switches` are the fixture's test switches, in the socket URL). */
const wsAgent = (base: string, sessionId: string, switches = '') => ({
  'base-url': base,
  'run-id': sessionId,
  transport: 'websocket',
  'socket-path': `/ws/agent/{id}${switches ? `?${switches}` : ''}`,
});

const newSession = (): string => `session-${crypto.randomUUID().slice(0, 8)}`;

/** The socket connections the server accepted for a session. */
async function socketsOpened(base: string, sessionId: string): Promise<number> {
  return (await requestsTo(base, `/ws/agent/${sessionId}`)).filter((r) => r.kind === 'websocket' && r.accepted).length;
}

/** Wait until the client closed every connection of the ended run, and the server saw the socket go. */
async function closedEverything(page: RunPage, base: string, sessionId: string): Promise<void> {
  await until(
    page,
    'point 3: every connection of the ended run closed',
    (p) => progressView(p).connection === 'closed',
  );
  await serverPrinted(base, new RegExp(`^disconnected ${literal(`/ws/agent/${sessionId}`)}$`));
}

for (const language of LANGUAGES) {
  describe(`plain WebSocket agent (${language})`, () => {
    it('answered "yes": the question is shown and answered, the result "deployed" shown, Done at 100 %', async () => {
      const base = await plainServer('ws-agent', language, { SPEED: '0' });
      const sessionId = newSession();
      const page = await mountRun(wsAgent(base, sessionId));
      const history = recordProgress(page);
      await asked(page, 'Confirm deploy?');
      await answer(page, 'yes');
      await until(page, 'the answer sent', (p) => p.prompt.phase === 'closed');
      const afterAnswer = progressView(page);
      await ended(page);
      history.stop();
      const view = progressView(page);
      const requests = rowsOf(page, 'request');
      const tools = rowsOf(page, 'tool');
      const checks = new Checks()
        .check(() => expect(view.state).to.equal('done'))
        .check(() => expect(view.label).to.equal('Done'))
        .check(() => expect(view.indicatorColor).to.equal(GREEN))
        .check(() => expect(view.result ?? '', 'point 7: the result in <run-progress>').to.include('deployed'))
        .check(() =>
          expect(logRows(page).at(-1)?.all ?? '', 'point 7: the result as the last log row').to.include('deployed'),
        )
        .check(() => expect(view.value, 'point 8: done means 100 %').to.equal('100%'))
        .check(() => expect(view.message ?? '', 'point 8: a final message').to.not.be.oneOf(['', 'Deploying v1.2.0']))
        .check(() =>
          expect(
            history.labels.some((l) => /planning/i.test(l)),
            `point 4: the server's word "planning" shown as the label; labels: ${history.labels.join(' → ')}`,
          ).to.equal(true),
        )
        .check(() =>
          expect(afterAnswer.label ?? '', 'point 10: no "waiting for approval" once answered').to.not.match(
            /approval/i,
          ),
        )
        .check(() => expect(afterAnswer.state, 'answered: no longer waiting').to.not.equal('waiting'))
        .check(() => expect(requests.length, 'one question, asked once').to.equal(1))
        .check(() => expect(requests[0]?.all ?? '', 'point 10: the "Asked" row shows the answer').to.include('yes'))
        .check(() => expect(tools.map((t) => t.toolStatus)).to.deep.equal(['done', 'ended'], 'point 9: tool calls'));
      await closedEverything(page, base, sessionId).catch((error: unknown) =>
        checks.check(() => {
          throw error;
        }),
      );
      const opened = await socketsOpened(base, sessionId);
      checks.check(() => expect(opened, 'one socket: never reconnected').to.equal(1)).verify(page);
    });

    for (const [shape, switches] of [
      ['{"type":"done","state":"cancelled"}', ''],
      ['{"type":"done","result":"cancelled"}', 'cancel_as=result'],
    ] as const) {
      it(`answered "no" (${shape}): Cancelled at its last 60 %, not green, the open tool call cancelled`, async () => {
        const base = await plainServer('ws-agent', language, { SPEED: '0' });
        const sessionId = newSession();
        const page = await mountRun(wsAgent(base, sessionId, switches));
        await asked(page, 'Confirm deploy?');
        await answer(page, 'no');
        await ended(page);
        const view = progressView(page);
        const checks = new Checks()
          .check(() => expect(view.state, 'point 7: a cancelled run is shown as cancelled').to.equal('cancelled'))
          .check(() => expect(view.label).to.equal('Cancelled'))
          .check(() => expect(view.indicatorColor, 'point 7: the bar is not green').to.not.equal(GREEN))
          .check(() => expect(view.value, 'point 8: the last % is kept').to.equal('60%'))
          .check(() => expect(view.message ?? '', 'point 8: no stale message').to.not.equal('Image built'))
          .check(() =>
            expect(rowsOf(page, 'request')[0]?.all ?? '', 'point 10: the "Asked" row shows the answer').to.include(
              'no',
            ),
          )
          .check(() =>
            expect(rowsOf(page, 'tool').map((t) => t.toolStatus)).to.deep.equal(
              ['done', 'cancelled'],
              'point 9: the open tool call is cancelled with the run',
            ),
          );
        await closedEverything(page, base, sessionId).catch((error: unknown) =>
          checks.check(() => {
            throw error;
          }),
        );
        checks.verify(page);
      });
    }

    it('a second question: the first "Asked" row keeps its answer', async () => {
      const base = await plainServer('ws-agent', language, { SPEED: '0' });
      const page = await mountRun(wsAgent(base, newSession(), 'questions=2'));
      await asked(page, 'Confirm deploy?');
      await answer(page, 'yes');
      await asked(page, 'Notify the team?');
      await answer(page, 'no');
      await ended(page);
      const requests = rowsOf(page, 'request');
      new Checks()
        .check(() => expect(progressView(page).state).to.equal('done'))
        .check(() => expect(requests.map((r) => r.text)).to.deep.equal(['Confirm deploy?', 'Notify the team?']))
        .check(() =>
          expect(requests[0]?.all ?? '', 'point 10: the first answer, kept after the second').to.include('yes'),
        )
        .check(() => expect(requests[1]?.all ?? '', 'point 10: the second answer').to.include('no'))
        .verify(page);
    });

    it('a 60 s pause before answering (fake clock), the server ignoring pings: no reconnect, no doubled rows', async () => {
      const base = await plainServer('ws-agent', language, { SPEED: '0' });
      const sessionId = newSession();
      const clock = sinon.useFakeTimers({
        toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
        // A timer of an earlier test (a store letting go of its run) may be cleared while this clock is installed.
        shouldClearNativeTimers: true,
      });
      try {
        const page = await mountRun(wsAgent(base, sessionId, 'ignore_pings=1'));
        await asked(page, 'Confirm deploy?');
        // A row is the same row when its kind, label and text are: its status and answer change in place.
        const identity = (r: LogRowView): string => `${r.kinds.join(' ')}|${r.label}|${r.text}`;
        const rowsBefore = logRows(page).map(identity);
        await clock.tickAsync(60_000);
        await settled(page);
        const checks = new Checks()
          .check(() =>
            expect(progressView(page).connection, 'point 11: no reconnect while the question waits').to.equal('open'),
          )
          .check(() => expect(page.prompt.phase, 'the question is still open').to.equal('open'));
        const openedDuringPause = await socketsOpened(base, sessionId);
        checks.check(() => expect(openedDuringPause, 'point 11: one socket through the pause').to.equal(1));
        await answer(page, 'yes');
        await ended(page);
        const opened = await socketsOpened(base, sessionId);
        checks
          .check(() => expect(progressView(page).state).to.equal('done'))
          .check(() => expect(progressView(page).result ?? '', 'point 7: the result').to.include('deployed'))
          .check(() => expect(opened, 'point 11: one socket for the whole run').to.equal(1))
          .check(() =>
            expect(
              logRows(page).map(identity).slice(0, rowsBefore.length),
              'the rows before the pause, once',
            ).to.deep.equal(rowsBefore),
          )
          .check(() => expect(rowsOf(page, 'request').length, 'no doubled rows: asked once').to.equal(1))
          .check(() => expect(rowsOf(page, 'step').length, 'no doubled rows: one step').to.equal(1))
          .verify(page);
      } finally {
        clock.restore();
      }
    });
  });
}
