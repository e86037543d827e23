/**
 * The user's turn shown at once: `<token-stream>` shows a message the moment it is sent (before
 * the run exists, let alone its first event), the server's own user turn replaces it (checked
 * every frame: never both, never neither), and a message the server refused stays, marked
 * failed with the server's error, while its text goes back into the composer. Against the real
 * mock server; the page's `fetch` only holds the create request until the test lets it go. (A
 * backend that never echoes the prompt: test/node/conversation-pending.test.ts.)
 */
import './setup.ts';
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import type { TokenStream } from '../../../src/components/token-stream/token-stream.ts';
import { chatPage, ended, thread, turns } from './chat-page.ts';
import { expectFocusOn, frame, nextEvent, part, parts } from './helpers.ts';

/** Hold every `POST …/api/runs` of the page until `release()`; other requests pass. */
function holdCreates(): { release: () => void; held: Promise<void>; restore: () => void } {
  const real = window.fetch.bind(window);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let seen!: () => void;
  const held = new Promise<void>((resolve) => (seen = resolve));
  const stub = sinon.stub(window, 'fetch').callsFake(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (init?.method === 'POST' && new URL(url).pathname.endsWith('/api/runs')) {
      seen();
      await gate;
    }
    return real(input, init);
  });
  return { release, held, restore: () => stub.restore() };
}

/** The stream's user turns (optimistic or the server's) with this text, as `pending status|server`. */
function userTurns(stream: TokenStream, text: string): string[] {
  return parts(stream, 'turn')
    .filter((t) => t.dataset['role'] === 'user' && t.querySelector('[part~="user-message"]')?.textContent === text)
    .map((t) => t.dataset['pending'] ?? 'server');
}

describe('<token-stream> shows the user’s turn at once', () => {
  afterEach(() => sinon.restore());

  it('before the run exists; the server’s own user turn replaces it, never shown twice or not at all', async () => {
    const p = await chatPage();
    const hold = holdCreates();
    const text = 'How do I add a retry with backoff?';
    p.input.focus();
    await sendKeys({ type: text });
    await sendKeys({ press: 'Enter' });
    await hold.held;
    await frame();
    await frame();
    // The create request has not even been answered: the turn shows, the field is empty, focus stays.
    expect(userTurns(p.stream, text)).to.deep.equal(['sending']);
    expect(p.agent.handle).to.equal(undefined, 'no run yet');
    expect(p.input.value).to.equal('');
    expectFocusOn(p.input, 'focus stays in the composer');
    await expect(p.stream).to.be.accessible();

    // Every frame from here to the end of the run: exactly one turn with this text.
    const seen = new Set<string>();
    let watching = true;
    const watch = (): void => {
      const shown = userTurns(p.stream, text);
      seen.add(shown.length === 1 ? shown[0]! : `${shown.length} turns`);
      if (watching) requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
    const started = nextEvent(p.agent, 'run-start');
    hold.release();
    const { run } = await started;
    await ended(run);
    await frame();
    await frame();
    watching = false;
    expect(
      [...seen].filter((s) => s.endsWith('turns')),
      'never two turns, never none',
    ).to.deep.equal([]);
    expect(seen.has('server'), 'replaced by the server’s turn').to.equal(true);
    expect(userTurns(p.stream, text)).to.deep.equal(['server']);
    expect(part(p.stream, 'turn').dataset['pending']).to.equal(undefined);
    expect(turns(p.stream, 'content')).to.deep.equal([
      'user: How do I add a retry wit',
      'assistant: Adding a retry with back',
    ]);
    expect(p.agent.thread!.$pending.get()).to.deep.equal([]);
  });

  it('a message the server refuses stays, marked failed with the error; its text goes back into the composer', async () => {
    // The mock answers 4xx for a scenario it does not have: a real HTTP error from the create request.
    const p = await chatPage();
    p.composer.addEventListener('before-send', (e) => (e.body = { scenario: 'no-such-scenario' }), { once: true });
    const text = 'Fix the flaky upload';
    const settled = nextEvent(p.composer, 'send-settle');
    p.input.focus();
    await sendKeys({ type: text });
    await sendKeys({ press: 'Enter' });
    const settle = await settled;
    expect(settle.run).to.equal(null);
    expect(settle.error?.code).to.equal('http_status');
    await frame();
    await frame();
    expect(userTurns(p.stream, text)).to.deep.equal(['failed']);
    const failed = parts(p.stream, 'turn').find((t) => t.dataset['pending'] === 'failed')!;
    expect(failed.querySelector('[part~="send-error"]')!.textContent).to.match(/^Not sent: .*no-such-scenario/);
    expect(p.input.value).to.equal(text, 'nothing typed is lost');
    expectFocusOn(p.input, 'focus stays in the composer');
    expect(part(p.composer, 'error').textContent).to.match(/no-such-scenario/);
    await expect(p.stream).to.be.accessible();

    // Sent again with a body the server accepts: the failed turn gives way to the new one.
    const started = nextEvent(p.agent, 'run-start');
    await sendKeys({ press: 'Enter' });
    const { run } = await started;
    await ended(run);
    await frame();
    await frame();
    expect(userTurns(p.stream, text)).to.deep.equal(['server']);
    expect(p.input.value).to.equal('');
    const history = await thread(p.agent.threadId);
    expect(history.messages.filter((m) => m.role === 'user').map((m) => m.text)).to.deep.equal([text]);
  });
});
