/**
 * `createConversation`'s pending turns against a real agentwire server (the server kit on
 * loopback) whose runs never echo the user's prompt, as many backends do: the sent message is
 * pending at once, stays as the run's user turn, joins the history with its run at the next
 * message, and a message the server refuses (HTTP 400) is kept, marked failed with the error.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConversation, type Conversation, type RunHandle } from '../../src/run/index.ts';
import { createRunKit, createRunServer, HttpError } from '../../src/server/index.ts';
import { listen, type NodeListener } from '../../src/server/node/index.ts';

const runs = createRunKit();
let node: NodeListener;

before(async () => {
  const server = createRunServer({
    runs,
    onCreate: ({ body }) => {
      const { prompt } = body as { prompt?: unknown };
      if (prompt === 'refuse me')
        throw new HttpError(400, 'invalid_body', 'the agent refuses this prompt', { field: 'prompt' });
      return { produce: (run) => run.token(`You said: ${String(prompt)}`) };
    },
  });
  node = await listen(server);
});

after(async () => {
  await node.close();
  await runs.close();
});

function ended(run: RunHandle): Promise<void> {
  return new Promise((resolve) => {
    const stop = run.store.$status.subscribe((status) => {
      if (status !== 'done' && status !== 'failed' && status !== 'cancelled') return;
      queueMicrotask(() => stop());
      resolve();
    });
  });
}

const pendingOf = (conversation: Conversation) =>
  conversation.$pending.get().map(({ text, status, error }) => ({ text, status, error: error?.code ?? null }));

describe('createConversation: the user turn before (or without) the server’s', () => {
  it('pending at once, kept while the run has no user turn, into the history with its run; a refused one is failed', async () => {
    const conversation = createConversation({ baseUrl: node.url, transport: 'poll' });
    try {
      const sending = conversation.send('Hello there');
      assert.deepEqual(pendingOf(conversation), [{ text: 'Hello there', status: 'sending', error: null }]);
      const first = await sending;
      assert.deepEqual(pendingOf(conversation), [{ text: 'Hello there', status: 'sent', error: null }]);
      assert.equal(conversation.$pending.get()[0]!.runId, first.runId);
      await ended(first);
      assert.deepEqual(pendingOf(conversation), [{ text: 'Hello there', status: 'sent', error: null }]);

      const second = await conversation.send('And again');
      assert.deepEqual(
        conversation.$history.get().map((t) => [t.runId === first.runId, t.role, t.text]),
        [
          [true, 'user', 'Hello there'],
          [true, 'assistant', 'You said: Hello there'],
        ],
      );
      assert.deepEqual(pendingOf(conversation), [{ text: 'And again', status: 'sent', error: null }]);
      await ended(second);

      await assert.rejects(conversation.send('refuse me'), { name: 'TransportError', code: 'http_status' });
      assert.deepEqual(pendingOf(conversation), [
        { text: 'And again', status: 'sent', error: null },
        { text: 'refuse me', status: 'failed', error: 'http_status' },
      ]);
      assert.match(conversation.$pending.get()[1]!.error!.message, /refuses this prompt/);
      assert.equal(conversation.$run.get(), second, 'the refused message started nothing');

      // The next message replaces the failed one; the unechoed turn of the current run stays until it moves.
      const sending3 = conversation.send('Something else');
      assert.deepEqual(
        pendingOf(conversation).map((p) => p.status),
        ['sent', 'sending'],
      );
      await sending3;
      assert.deepEqual(pendingOf(conversation), [{ text: 'Something else', status: 'sent', error: null }]);
      assert.deepEqual(
        conversation.$history.get().map((t) => t.text),
        ['Hello there', 'You said: Hello there', 'And again', 'You said: And again'],
      );
    } finally {
      conversation.dispose();
    }
  });
});
