/** A plain (tutorial-style) server without seq or run_id, used as is through configurable paths. */
import { expect } from '@open-wc/testing';
import { createRunStore } from '../../../src/store/index.ts';
import { createTransport, type TransportName } from '../../../src/transports/index.ts';
import { mockServerUrl } from '../helpers/mock-server.ts';
import { serverSnapshot, serverText, textOf, waitFor, waitForEnd } from './helpers.ts';
import { answerTo, around, FAST_RETRY } from './suite.ts';

const PLAIN_PATHS = {
  snapshot: '/plain/tasks/{id}',
  stream: '/plain/tasks/{id}/stream',
  socket: '/plain/ws/agent/{id}',
};

async function startTask(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${await mockServerUrl()}/plain/tasks`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).to.equal(201);
  return ((await res.json()) as { task_id: string }).task_id;
}

async function connectPlain(name: TransportName, taskId: string) {
  const store = createRunStore(taskId);
  const { sink, replies } = around(store);
  const controller = new AbortController();
  const transport = createTransport(name, {
    baseUrl: await mockServerUrl(),
    runId: taskId,
    sink,
    signal: controller.signal,
    paths: PLAIN_PATHS,
    retry: FAST_RETRY,
    poll: { intervalMs: 20 },
  });
  return { store, controller, transport, replies };
}

describe('plain server dialect', () => {
  for (const name of ['sse', 'websocket', 'poll'] as const) {
    it(`${name}: a plain task plays to the end, unsequenced`, async () => {
      const taskId = await startTask({ scenario: 'quick', speed: 0 });
      const { store, controller } = await connectPlain(name, taskId);
      const end = await waitForEnd(store);
      controller.abort();
      expect(end.sequenced).to.equal(false);
      expect(end.result?.state).to.equal('completed');
      expect(end.status).to.equal('done');
      if (name !== 'poll') expect(textOf(store)).to.equal(serverText(await serverSnapshot(taskId)));
      else expect(end.progress.pct).to.equal(100);
    });
  }

  it('websocket: a plain need_input is answered with user_reply (sent, never confirmed) and the task goes on', async () => {
    const taskId = await startTask({ scenario: 'agent', speed: 0 });
    const { store, controller, transport, replies } = await connectPlain('websocket', taskId);
    const waiting = await waitFor(store, (s) => s.pendingInput !== null, 'need_input');
    const token = waiting.pendingInput!.resume_token;
    await replies.send(token, { text: 'yes' }, () => transport.reply(answerTo(store, token, 'yes')));
    expect(replies.$replies.get().get(token)?.status).to.equal('sent');
    const end = await waitForEnd(store);
    controller.abort();
    expect(end.result?.state).to.equal('completed');
    expect(textOf(store)).to.equal(serverText(await serverSnapshot(taskId)));
  });
});
