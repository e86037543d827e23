/**
 * `Conversation.retry(turnKey)` against the mock server over real HTTP: retrying an answer sends
 * the user's message that preceded it again, as a new run in the same thread (the server's thread
 * then holds both runs, each answering the same prompt); retrying while a run is live, a key the
 * conversation does not know, or a turn no user message precedes is refused with a typed
 * ConversationError and sends nothing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MARKDOWN_ANSWER } from '../../mock-server/scenarios.ts';
import {
  createConversation,
  type Conversation,
  type ConversationOptions,
  type RunHandle,
} from '../../src/run/index.ts';
import { turnKey, turnsOf, type Turn } from '../../src/store/index.ts';
import { useMockServer } from '../shared/node-mock-server.ts';

const mock = useMockServer();
const PROMPT = 'How do I add a retry with backoff?';

function reach(run: RunHandle, wanted: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    const stop = run.store.$status.subscribe((status) => {
      if (!wanted.includes(status)) return;
      queueMicrotask(() => stop());
      resolve();
    });
  });
}
const ended = (run: RunHandle): Promise<void> => reach(run, ['done', 'failed', 'cancelled']);

const shown = (turns: readonly Turn[]): [string, string][] => turns.map((t) => [t.role, t.text]);

/** Run `use` with a polling conversation against the mock server (`options` added), disposed after. */
async function withConversation(
  options: Omit<ConversationOptions, 'baseUrl' | 'transport'>,
  use: (conversation: Conversation) => Promise<void>,
): Promise<void> {
  const conversation = createConversation({ baseUrl: mock.base, transport: 'poll', ...options });
  try {
    await use(conversation);
  } finally {
    conversation.dispose();
  }
}

describe('createConversation: retry from here', () => {
  it('sends the preceding user message again as a new run in the same thread', async () => {
    await withConversation({ body: { scenario: 'chat', speed: 0 } }, async (conversation) => {
      const first = await conversation.send(PROMPT);
      await ended(first);
      assert.equal(first.store.$status.get(), 'done');
      const answerKey = turnKey(first.runId, 'm1');

      const retried = await conversation.retry(answerKey);
      assert.notEqual(retried.runId, first.runId, 'a new run');
      assert.equal(conversation.$run.get(), retried, 'the retried run is the current one');
      await ended(retried);
      assert.equal(retried.store.$status.get(), 'done');
      assert.deepEqual(shown(conversation.$history.get()), [
        ['user', PROMPT],
        ['assistant', MARKDOWN_ANSWER.trimEnd()],
      ]);
      assert.deepEqual(
        shown(turnsOf(retried.$state.get())),
        [
          ['user', PROMPT],
          ['assistant', MARKDOWN_ANSWER.trimEnd()],
        ],
        'the same prompt was sent again, and answered',
      );

      const response = await fetch(mock.api(`/api/threads/${conversation.threadId}`));
      const thread = (await response.json()) as { runs: { run_id: string }[] };
      assert.deepEqual(
        thread.runs.map((r) => r.run_id),
        [first.runId, retried.runId],
        'both runs are in the thread',
      );

      // An answer in the history can be retried too (its user message is in the history).
      const third = await conversation.retry(answerKey);
      await ended(third);
      assert.deepEqual(shown(turnsOf(third.$state.get()))[0], ['user', PROMPT]);
    });
  });

  it("sends the retried message with its own send's body, not only the options' body", async () => {
    await withConversation({ body: { scenario: 'long', speed: 0 } }, async (conversation) => {
      // The per-send body picks the chat scenario (the options' would stream the long scenario).
      const first = await conversation.send(PROMPT, { scenario: 'chat' });
      await ended(first);
      const chat = shown(turnsOf(first.$state.get()));
      assert.deepEqual(chat[0], ['user', PROMPT], 'the chat scenario answered');

      const retried = await conversation.retry(turnKey(first.runId, 'm1'));
      await ended(retried);
      assert.deepEqual(shown(turnsOf(retried.$state.get())), chat, 'the same scenario answered again');
    });
  });

  it('refuses while a run is live, an unknown key, a turn no user message precedes: nothing sent', async () => {
    await withConversation({ body: { scenario: 'chat', speed: 0 } }, async (conversation) => {
      // The chat scenario asks before it deploys: the run waits (live) for an answer.
      const live = await conversation.send('Deploy this change to production');
      await reach(live, ['waiting']);
      await assert.rejects(conversation.retry(turnKey(live.runId, 'u1')), {
        name: 'ConversationError',
        code: 'run_active',
      });
      await assert.rejects(conversation.retry('no-such-run/m1'), { name: 'ConversationError', code: 'unknown_turn' });
      assert.equal(conversation.$run.get(), live, 'nothing was started');
      await live.cancel();
      await ended(live);
    });

    // A thread whose first kept turn is an answer (e.g. a store written by another client).
    const orphan: Turn = { key: 'r0/m1', runId: 'r0', messageId: 'm1', role: 'assistant', text: 'Hello.' };
    await withConversation({ threadStore: { load: () => [orphan], save: () => undefined } }, async (restored) => {
      await restored.restore();
      assert.deepEqual(restored.$history.get(), [orphan]);
      await assert.rejects(restored.retry(orphan.key), { name: 'ConversationError', code: 'no_user_turn' });
      assert.equal(restored.$run.get(), undefined, 'nothing was started');
      assert.equal(restored.$sending.get(), false);
    });
  });
});
