/**
 * A host-provided history store: `<agent-run .threadStore>` with `localStorageThreadStore` against
 * the mock server, whose thread endpoint is not used (`thread-path` points at a path that does
 * not exist): the turns are saved as messages are sent and runs end, and a new page (a reload:
 * new elements, a new store object over the same localStorage) restores them. A corrupt entry is
 * set aside, not overwritten, and reported with its code.
 */
import './setup.ts';
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import '../../../src/components/define.ts';
import type { AgentRun } from '../../../src/components/agent-run/agent-run.ts';
import type { TokenStream } from '../../../src/components/token-stream/token-stream.ts';
import { localStorageThreadStore, type ThreadStore } from '../../../src/run/index.ts';
import { mockServerUrl } from '../helpers/mock-server.ts';
import { ended, turns, typeAndSend, type Page } from './chat-page.ts';
import { frame, part, storeUntil } from './helpers.ts';
import type { RunComposer } from '../../../src/components/run-composer/run-composer.ts';

let pages = 0;

async function storedPage(threadStore: ThreadStore, threadId = ''): Promise<Page> {
  const page = await fixture<HTMLDivElement>(
    html`<div>
      <agent-run
        base-url=${await mockServerUrl()}
        thread-path="/no-such-endpoint/{id}"
        thread-id=${threadId}
        .threadStore=${threadStore}
        .body=${{ scenario: 'chat', speed: 0 }}
      >
        <token-stream></token-stream>
        <run-composer></run-composer>
      </agent-run>
    </div>`,
  );
  const agent = page.querySelector<AgentRun>('agent-run')!;
  const composer = page.querySelector<RunComposer>('run-composer')!;
  await composer.updateComplete;
  return {
    agent,
    composer,
    stream: page.querySelector<TokenStream>('token-stream')!,
    input: part(composer, 'input', HTMLTextAreaElement),
  };
}

describe('<agent-run> with a host-provided thread store (localStorageThreadStore)', () => {
  let prefix = '';
  beforeEach(() => {
    prefix = `agentwire-test:${Date.now().toString(36)}:${++pages}:`;
  });
  afterEach(() => {
    for (const key of Object.keys(localStorage)) if (key.startsWith(prefix)) localStorage.removeItem(key);
  });

  it('saves the turns as runs end; a reloaded page restores them from the store, not the backend, and goes on', async () => {
    const p = await storedPage(localStorageThreadStore({ prefix }));
    const first = await typeAndSend(p, 'How do I add a retry with backoff?');
    await ended(first);
    const second = await typeAndSend(p, 'And how do I test it?');
    await ended(second);
    await storeUntil(p.agent.thread!.$save, (s) => s.status === 'saved');
    const threadId = p.agent.threadId;
    const kept = JSON.parse(localStorage.getItem(prefix + threadId)!) as { version: number; turns: { role: string }[] };
    expect(kept.version).to.equal(1);
    expect(kept.turns.map((t) => t.role)).to.deep.equal(['user', 'assistant', 'user', 'assistant']);

    // Reload: new elements, a new store object over the same storage.
    fixtureCleanup();
    const again = await storedPage(localStorageThreadStore({ prefix }), threadId);
    const restored = await storeUntil(
      again.agent.thread!.$restore,
      (s) => s.status !== 'loading' && s.status !== 'idle',
    );
    expect(restored).to.deep.equal({ status: 'loaded', error: null }, 'the 404 thread endpoint was not asked');
    await frame();
    await frame();
    expect(turns(again.stream, 'history')).to.deep.equal([
      'user: How do I add a retry wit',
      'assistant: ## Adding a retry with b',
      'user: And how do I test it?',
      'assistant: ## And how do I test it?',
    ]);
    await expect(again.stream).to.be.accessible();

    const third = await typeAndSend(again, 'Thanks');
    expect(again.agent.threadId).to.equal(threadId);
    await ended(third);
    await storeUntil(again.agent.thread!.$save, (s) => s.status === 'saved');
    const after = JSON.parse(localStorage.getItem(prefix + threadId)!) as { turns: { text: string }[] };
    expect(after.turns).to.have.length(6);
    expect(after.turns[4]!.text).to.equal('Thanks');
  });

  it('a corrupt entry is set aside (never overwritten) and the restore fails with corrupt_thread', async () => {
    localStorage.setItem(`${prefix}th_broken`, '{"version":1,"turns":[{"role":"wizard"}]}');
    const p = await storedPage(localStorageThreadStore({ prefix }), 'th_broken');
    const state = await storeUntil(p.agent.thread!.$restore, (s) => s.status === 'failed');
    expect(state.error?.code).to.equal('corrupt_thread');
    expect(localStorage.getItem(`${prefix}th_broken:corrupt`)).to.equal('{"version":1,"turns":[{"role":"wizard"}]}');
    expect(localStorage.getItem(`${prefix}th_broken`)).to.equal(null);
    expect(turns(p.stream, 'history')).to.deep.equal([]);
  });

  it('a store that fails to save says so on $save (code and message); the conversation goes on', async () => {
    const failing: ThreadStore = {
      load: () => [],
      save: () => {
        throw Object.assign(new Error('disk on fire'), { code: 'quota_exceeded' });
      },
    };
    const p = await storedPage(failing);
    const run = await typeAndSend(p, 'Hello');
    const state = await storeUntil(p.agent.thread!.$save, (s) => s.status === 'failed');
    expect(state.error).to.deep.equal({ code: 'quota_exceeded', message: 'disk on fire' });
    await ended(run);
    expect(p.agent.handle).to.equal(run);
  });
});
