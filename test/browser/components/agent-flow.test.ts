/**
 * The seed's agent flow end to end in one page: every element inside one <agent-run>, against
 * the real mock server, with the deploy approval answered yes and no.
 */
import { ignoreResizeObserverLoopErrors } from './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/components/define.ts';
import type { AgentRun } from '../../../src/components/agent-run/agent-run.ts';
import type { TransportName } from '../../../src/transports/index.ts';
import { messageTexts } from '../../../src/store/index.ts';
import { mockServerUrl, startMockRun } from '../helpers/mock-server.ts';
import { frame, nextEvent, part, parts, storeUntil, expectFocusOn } from './helpers.ts';

async function agentPage(transport: TransportName) {
  const runId = await startMockRun({ scenario: 'agent', speed: 0 });
  // The run id is set once the chat field has focus: the question must take focus from there.
  const page = await fixture<HTMLDivElement>(
    html`<div>
      <input id="chat" aria-label="Chat" />
      <agent-run
        base-url=${await mockServerUrl()}
        transport=${transport}
        style="display: grid; grid-template-columns: 1fr 1fr; gap: 8px; --aw-stream-max-height: 10rem; --aw-log-height: 16rem"
      >
        <div><run-progress></run-progress><token-stream></token-stream><approval-prompt></approval-prompt></div>
        <agent-log></agent-log>
      </agent-run>
    </div>`,
  );
  page.querySelector<HTMLInputElement>('#chat')!.focus();
  const run = page.querySelector<AgentRun>('agent-run')!;
  run.runId = runId;
  await run.updateComplete;
  return {
    page,
    run,
    store: run.handle!.store,
    progress: page.querySelector('run-progress')!,
    stream: page.querySelector('token-stream')!,
    prompt: page.querySelector('approval-prompt')!,
    log: page.querySelector('agent-log')!,
  };
}

const logKinds = (log: Element) => parts(log, 'row').map((r) => r.dataset['kind']);

describe('the agent flow in one page', () => {
  let restore: () => void;
  beforeEach(() => (restore = ignoreResizeObserverLoopErrors()));
  afterEach(() => restore());

  for (const transport of ['auto', 'sse', 'websocket', 'hybrid', 'poll'] as const) {
    it(`plans, explains, asks, is approved with "yes" and deploys (${transport})`, async () => {
      const ui = await agentPage(transport);
      await storeUntil(ui.store.$pendingInput, (p) => p !== null);
      await Promise.all([ui.progress.updateComplete, ui.prompt.updateComplete, ui.log.updateComplete]);
      await frame();

      // Waiting for approval: 60 %, the explanation shown without a caret, the question focused.
      expect(ui.progress.getAttribute('state')).to.equal('waiting');
      expect(part(ui.progress, 'track').getAttribute('aria-valuetext')).to.equal('60%, Step 4/5: waiting for approval');
      expect(part(ui.stream, 'message').textContent).to.match(/^I will wrap the upload call/);
      expect(parts(ui.stream, 'caret').length).to.equal(0);
      expect(part(ui.prompt, 'prompt').textContent).to.equal('Deploy to production? (yes/no)');
      expectFocusOn(parts(ui.prompt, 'choice')[0]);
      expect(logKinds(ui.log)).to.include.members(['step', 'log', 'tool', 'request']);
      expect(parts(ui.log, 'tool').map((r) => r.querySelector('[part~="tool-status"]')!.textContent)).to.deep.equal([
        'done',
        'done',
      ]);

      const settled = nextEvent(ui.prompt, 'approval-settle');
      parts<HTMLButtonElement>(ui.prompt, 'choice')
        .find((b) => b.textContent.trim() === 'yes')!
        .click();
      expect((await settled).accepted).to.equal(true);
      await storeUntil(ui.store.$status, (s) => s === 'done');
      await Promise.all([ui.progress.updateComplete, ui.prompt.updateComplete, ui.log.updateComplete]);
      await frame();

      // Deployed: 100 %, a second message, the prompt gone and focus back in the chat field.
      expect(ui.progress.getAttribute('state')).to.equal('done');
      expect(part(ui.progress, 'track').getAttribute('aria-valuenow')).to.equal('100');
      const texts = messageTexts(ui.store.$text.get());
      expect(parts(ui.stream, 'message').map((m) => m.textContent)).to.deep.equal(texts.map(([, t]) => t));
      expect(parts(ui.stream, 'message')[1]!.textContent).to.match(/^Deployed version 1\.\d+\.\d+\./);
      expect(ui.prompt.phase).to.equal('closed');
      expectFocusOn(ui.page.querySelector('#chat'));
      // The request's row shows the answer given (the tracker's text: the mock server confirms without it).
      expect(parts(ui.log, 'request').map((r) => r.querySelector('[part~="answer"]')!.textContent)).to.deep.equal([
        '“yes”',
      ]);
      expect(
        parts(ui.log, 'step')
          .map((r) => r.querySelector('[part~="text"]')!.textContent)
          .at(-1),
      ).to.equal('deploy');
    });
  }

  it('is cancelled when the answer is "no"', async () => {
    const ui = await agentPage('websocket');
    await storeUntil(ui.store.$pendingInput, (p) => p !== null);
    await ui.prompt.updateComplete;
    parts<HTMLButtonElement>(ui.prompt, 'choice')
      .find((b) => b.textContent.trim() === 'no')!
      .click();
    await storeUntil(ui.store.$status, (s) => s === 'cancelled');
    await Promise.all([ui.progress.updateComplete, ui.prompt.updateComplete, ui.log.updateComplete]);
    await frame();
    expect(ui.progress.getAttribute('state')).to.equal('cancelled');
    expect(part(ui.progress, 'label').textContent).to.equal('Cancelled');
    expect(parts(ui.stream, 'message').length).to.equal(1, 'nothing deployed, nothing more said');
    expect(ui.prompt.phase).to.equal('closed');
    expect(logKinds(ui.log).slice(-2)).to.deep.equal(['request', 'end'], 'the question, then how the run ended');
    expect(part(ui.log, 'end').dataset['status']).to.equal('cancelled');
    expect(part(ui.log, 'request').querySelector('[part~="answer"]')!.textContent).to.equal('“no”');
  });

  it('is accessible at the approval step', async () => {
    const ui = await agentPage('sse');
    await storeUntil(ui.store.$pendingInput, (p) => p !== null);
    await Promise.all([ui.progress.updateComplete, ui.prompt.updateComplete, ui.log.updateComplete]);
    await Promise.all(ui.prompt.shadowRoot!.getAnimations().map((a) => a.finished));
    await expect(ui.page).to.be.accessible();
  });
});
