/**
 * Retry from here, in Chromium against the mock server: an answer of a conversation has a "Retry"
 * button (part `retry-message`) that sends the user's message before it again as a new run in the
 * same thread. Reached and pressed by keyboard; focus goes to the composer (or stays on the
 * button, which follows its turn into the history), never the page; "Retrying." is said; the
 * button is `aria-disabled` with the reason while a run is live, and then starts nothing.
 */
import './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/components/define.ts';
import type { AgentRun } from '../../../src/components/agent-run/agent-run.ts';
import type { TokenStream } from '../../../src/components/token-stream/token-stream.ts';
import { deepActiveElement } from '../../../src/controllers/focus-return.ts';
import { mockServerUrl } from '../helpers/mock-server.ts';
import { describeNode, expectFocusOn, frame, nextEvent, parts, storeUntil } from './helpers.ts';
import { chatPage, ended, thread, turns, typeAndSend } from './chat-page.ts';

const PROMPT = 'How do I add a retry with backoff?';

/** The retry buttons of the stream's turns in `where`. */
const retryButtons = (stream: TokenStream, where: 'history' | 'content'): HTMLButtonElement[] =>
  parts<HTMLButtonElement>(stream, 'retry-message').filter((b) => b.closest(`[part~="${where}"]`));

/** The words a screen reader was given in the stream's live region. */
const said = (stream: TokenStream): string[] =>
  [...stream.shadowRoot!.querySelectorAll('[role="status"] p')].map((p) => p.textContent);

describe('<token-stream>: retry from here', () => {
  it('by keyboard: a second run in the same thread answers the same prompt; focus in the composer; both in the history', async () => {
    const p = await chatPage();
    const first = await typeAndSend(p, PROMPT);
    await ended(first);
    await frame();
    await frame();
    const [retry] = retryButtons(p.stream, 'content');
    expect(retry, 'the ended answer has a Retry button').to.be.instanceOf(HTMLButtonElement);
    expect(retry!.hidden).to.equal(false);
    expect(retry!.getAttribute('aria-label')).to.equal('Retry this answer');
    expect(retry!.hasAttribute('aria-disabled')).to.equal(false);
    expect(parts(p.stream, 'retry-message').length, 'only answers have one').to.equal(1);

    // From the composer, back by Shift+Tab until the answer's Retry has focus (keyboard reachable).
    p.input.focus();
    await sendKeys({ down: 'Shift' });
    try {
      for (let i = 0; i < 8 && deepActiveElement() !== retry; i++) await sendKeys({ press: 'Tab' });
    } finally {
      await sendKeys({ up: 'Shift' });
    }
    expectFocusOn(retry, 'Shift+Tab reaches Retry');

    const started = nextEvent(p.agent, 'run-start');
    await sendKeys({ press: 'Enter' });
    const second = (await started).run;
    expect(second.runId).to.not.equal(first.runId, 'a new run');
    expect(p.agent.handle).to.equal(second, 'the provider switched to it');
    expectFocusOn(p.input, 'focus went to the composer');
    await ended(second);
    await frame();
    await frame();
    expectFocusOn(p.input, 'and stayed there');
    expect(said(p.stream)).to.include('Retrying.');

    expect(turns(p.stream, 'history')).to.deep.equal([
      'user: How do I add a retry wit',
      'assistant: Adding a retry with back',
    ]);
    expect(turns(p.stream, 'content')).to.deep.equal([
      'user: How do I add a retry wit',
      'assistant: Adding a retry with back',
    ]);
    const answers = parts(p.stream, 'turn').filter((t) => t.dataset['role'] === 'assistant');
    expect(answers.map((t) => t.querySelector('[part~="message"]')!.textContent)).to.have.length(2);
    expect(answers[0]!.querySelector('[part~="message"]')!.textContent).to.equal(
      answers[1]!.querySelector('[part~="message"]')!.textContent,
      'the same prompt got the same answer',
    );
    const kept = await thread(p.agent.threadId);
    expect(kept.runs.map((r) => r.run_id)).to.deep.equal([first.runId, second.runId], 'one thread, both runs');
    expect(kept.messages.filter((m) => m.role === 'user').map((m) => m.text)).to.deep.equal([PROMPT, PROMPT]);
    await expect(p.stream).to.be.accessible();
  });

  it('without a composer focus stays on Retry (following its turn into the history); disabled with the reason while a run is live', async () => {
    const page = await fixture<HTMLDivElement>(
      html`<div>
        <agent-run base-url=${await mockServerUrl()} .body=${{ scenario: 'chat', speed: 0 }}>
          <token-stream></token-stream>
        </agent-run>
      </div>`,
    );
    const agent = page.querySelector<AgentRun>('agent-run')!;
    const stream = page.querySelector<TokenStream>('token-stream')!;
    const first = await agent.send(PROMPT);
    await ended(first);
    await frame();
    await frame();

    // The live run's answer: pressing its Retry moves the turn to the history, and focus with it.
    const [live] = retryButtons(stream, 'content');
    live!.focus();
    const started = nextEvent(agent, 'run-start');
    await sendKeys({ press: 'Enter' });
    const second = (await started).run;
    await frame();
    const [moved] = retryButtons(stream, 'history');
    expect(moved, 'the answer is in the history now').to.be.instanceOf(HTMLButtonElement);
    expectFocusOn(moved, 'focus followed the Retry button into the history');
    await ended(second);
    await frame();

    // A run that waits (the chat scenario asks before it deploys): every Retry is disabled, saying why.
    const waiting = await agent.send('Deploy this change to production');
    await storeUntil(waiting.store.$status, (s) => s === 'waiting');
    await frame();
    const buttons = parts<HTMLButtonElement>(stream, 'retry-message');
    expect(buttons.length).to.equal(2);
    for (const button of buttons) {
      expect(button.getAttribute('aria-disabled'), describeNode(button)).to.equal('true');
      const reason = stream.shadowRoot!.getElementById(button.getAttribute('aria-describedby')!);
      expect(reason?.textContent).to.equal('Wait for the current answer to finish before retrying.');
    }
    const [older] = retryButtons(stream, 'history');
    older!.focus();
    await sendKeys({ press: 'Enter' });
    await frame();
    expect(agent.handle).to.equal(waiting, 'nothing was started');
    expectFocusOn(older, 'a disabled Retry keeps focus');
    expect(said(stream).at(-1)).to.equal('Wait for the current answer to finish before retrying.');
    await expect(stream).to.be.accessible();

    await waiting.cancel();
    await ended(waiting);
    await frame();
    expect(older!.hasAttribute('aria-disabled'), 'ready again once the run ended').to.equal(false);
  });
});
