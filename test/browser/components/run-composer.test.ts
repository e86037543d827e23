/**
 * `<run-composer>` in an `<agent-run>` against the real mock server: sending starts a run in the
 * thread and the provider switches to it, follow-ups go to the same thread, stop cancels, Escape
 * asks first, the composer waits while the run asks, before-send edits or vetoes, and
 * `thread-id` restores the conversation. Keyboard only where a user would type.
 */
import './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import '../../../src/components/define.ts';
import source from '../../../src/components/run-composer/run-composer.ts?raw';
import type { TokenStream } from '../../../src/components/token-stream/token-stream.ts';
import { mockServerUrl } from '../helpers/mock-server.ts';
import {
  copiedWithoutClipboard,
  documentedParts,
  expectFocusOn,
  fedRun,
  frame,
  nextEvent,
  part,
  parts,
  renderedParts,
  storeUntil,
} from './helpers.ts';
import { chatPage, createInThread, ended, freshThread, thread, turns, typeAndSend } from './chat-page.ts';

describe('<run-composer> in <agent-run>, against the mock server', () => {
  it('Enter sends: a run starts in the thread, the stream shows the user turn and the answer, focus stays', async () => {
    const p = await chatPage();
    const run = await typeAndSend(p, 'How do I add a retry with backoff?');
    expect(p.agent.threadId).to.match(/^th_[0-9a-f]{24}$/, 'a thread id was made up and written back');
    expect(p.agent.handle).to.equal(run, 'the provider switched to the new run');
    await ended(run);
    await frame();
    await frame();
    expect(turns(p.stream, 'content')).to.deep.equal([
      'user: How do I add a retry wit',
      'assistant: Adding a retry with back',
    ]);
    expect(part(p.stream, 'user-message').textContent).to.equal('How do I add a retry with backoff?');
    expect(p.input.value).to.equal('', 'the sent text left the field');
    expectFocusOn(p.input, 'focus stays in the composer');
    expect(p.composer.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal('Message sent.');
    expect(p.composer.phase).to.equal('ready');
    await expect(p.composer).to.be.accessible();
    await expect(p.stream).to.be.accessible();
  });

  it('a follow-up goes to the same thread; the earlier turns move to the history above', async () => {
    const p = await chatPage();
    const first = await typeAndSend(p, 'How do I add a retry with backoff?');
    await ended(first);
    const threadId = p.agent.threadId;
    const second = await typeAndSend(p, 'And how do I test it?');
    expect(p.agent.threadId).to.equal(threadId);
    await ended(second);
    await frame();
    await frame();
    expect(turns(p.stream, 'history')).to.deep.equal([
      'user: How do I add a retry wit',
      'assistant: Adding a retry with back',
    ]);
    expect(turns(p.stream, 'content')).to.deep.equal([
      'user: And how do I test it?',
      'assistant: And how do I test it?Her',
    ]);
    const history = await thread(threadId);
    expect(history.runs.map((r) => r.run_id)).to.deep.equal([first.runId, second.runId]);
  });

  it('Shift+Enter is a new line; an Enter that ends an IME composition does not send', async () => {
    const p = await chatPage();
    const starts = sinon.spy();
    p.agent.addEventListener('run-start', starts);
    p.input.focus();
    await sendKeys({ type: 'line one' });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ type: 'line two' });
    expect(p.input.value).to.equal('line one\nline two');
    const composing = new KeyboardEvent('keydown', {
      key: 'Enter',
      isComposing: true,
      bubbles: true,
      cancelable: true,
    });
    p.input.dispatchEvent(composing);
    expect(composing.defaultPrevented).to.equal(false, 'the IME keeps its Enter');
    await p.composer.updateComplete;
    expect(starts.callCount).to.equal(0);
    expect(p.input.value).to.equal('line one\nline two');
  });

  it('before-send can edit the text and the body, or veto (nothing sent, the text stays)', async () => {
    const p = await chatPage();
    p.composer.addEventListener('before-send', (e) => e.preventDefault(), { once: true });
    const starts = sinon.spy();
    p.agent.addEventListener('run-start', starts);
    p.input.focus();
    await sendKeys({ type: 'vetoed' });
    await sendKeys({ press: 'Enter' });
    await p.composer.updateComplete;
    expect(starts.callCount).to.equal(0);
    expect(p.input.value).to.equal('vetoed');
    p.composer.addEventListener(
      'before-send',
      (e) => {
        e.text = `${e.text} (edited)`;
        e.body = { ...e.body, seed: 7 };
      },
      { once: true },
    );
    const settled = nextEvent(p.composer, 'send-settle');
    await sendKeys({ press: 'Enter' });
    const settle = await settled;
    expect(settle.text).to.equal('vetoed (edited)');
    expect(settle.error).to.equal(null);
    await ended(settle.run!);
    const history = await thread(p.agent.threadId);
    expect(history.messages[0]).to.include({ role: 'user', text: 'vetoed (edited)' });
  });

  it('stop cancels the run on the server while it streams (the connection stays to show it)', async () => {
    const p = await chatPage({ body: { scenario: 'chat', speed: 1 } });
    const run = await typeAndSend(p, 'Explain the upload client');
    await storeUntil(run.store.$text, (t) => t.length > 20);
    await p.composer.updateComplete;
    expect(p.composer.phase).to.equal('streaming');
    expect(part(p.composer, 'reason').textContent).to.match(/answering/);
    part(p.composer, 'stop', HTMLButtonElement).click();
    await storeUntil(run.store.$status, (s) => s === 'cancelled');
    expect(run.$connected.get()).to.equal(true, 'cancel is not a disconnect');
    await p.composer.updateComplete;
    expect(p.composer.phase).to.equal('ready');
    expect(p.composer.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal('Stopped.');
  });

  it('Escape asks first: Escape again keeps going; Stop (keyboard) stops; focus comes back to the field', async () => {
    const p = await chatPage({ body: { scenario: 'chat', speed: 1 } });
    const run = await typeAndSend(p, 'Explain the upload client');
    await storeUntil(run.store.$text, (t) => t.length > 10);
    await p.composer.updateComplete;
    await sendKeys({ press: 'Escape' });
    await p.composer.updateComplete;
    expectFocusOn(part(p.composer, 'confirm-cancel'), 'the least destructive answer has focus');
    await expect(p.composer).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await p.composer.updateComplete;
    expect(p.composer.shadowRoot!.querySelector('[part~="confirm"]')).to.equal(null);
    expectFocusOn(p.input, 'back in the field');
    expect(run.store.$status.get()).to.equal('running', 'nothing stopped without confirmation');
    await sendKeys({ press: 'Escape' });
    await p.composer.updateComplete;
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expectFocusOn(part(p.composer, 'confirm-stop'));
    await sendKeys({ press: 'Enter' });
    await storeUntil(run.store.$status, (s) => s === 'cancelled');
    await p.composer.updateComplete;
    expectFocusOn(p.input, 'focus stays in the composer after stopping');
  });

  it('is disabled with a reason while the run waits for an answer; the approval prompt answers; then it sends again', async () => {
    const p = await chatPage();
    const run = await typeAndSend(p, 'Please deploy the retry change');
    await storeUntil(run.store.$pendingInput, (r) => r !== null);
    await p.composer.updateComplete;
    expect(p.composer.phase).to.equal('waiting');
    expect(p.input.readOnly).to.equal(true);
    expect(p.input.getAttribute('aria-disabled')).to.equal('true');
    expect(part(p.composer, 'reason').textContent).to.equal('The agent is waiting for your answer above.');
    expect(part(p.composer, 'send').getAttribute('aria-disabled')).to.equal('true');
    await expect(p.composer).to.be.accessible();
    const prompt = p.agent.querySelector('approval-prompt')!;
    await prompt.updateComplete;
    const yes = parts(prompt, 'choice').find((b) => b.textContent.trim() === 'yes')!;
    yes.click();
    await ended(run);
    await p.composer.updateComplete;
    expect(p.composer.phase).to.equal('ready');
    expect(p.input.readOnly).to.equal(false);
  });

  it('thread-id on load restores the finished turns, and connects a run of the thread that has not ended', async () => {
    const threadId = freshThread();
    const first = await createInThread(threadId, 'How do I add a retry with backoff?');
    await fetch(`${await mockServerUrl()}/api/runs/${first}/events?after=0&wait=5`);
    while ((await thread(threadId)).runs[0]!.state !== 'done') await frame();
    const waiting = await createInThread(threadId, 'Please deploy the retry change');
    const p = await chatPage({ threadId });
    await storeUntil(p.agent.thread!.$restore, (r) => r.status === 'loaded');
    await p.agent.updateComplete;
    expect(p.agent.handle?.runId).to.equal(waiting, 'the unfinished run is the live one');
    await storeUntil(p.agent.handle!.store.$pendingInput, (r) => r !== null);
    await frame();
    await frame();
    expect(turns(p.stream, 'history')).to.deep.equal([
      'user: How do I add a retry wit',
      'assistant: Adding a retry with back',
    ]);
    expect(turns(p.stream, 'content')).to.deep.equal(['user: Please deploy the retry ']);
    await p.composer.updateComplete;
    expect(p.composer.phase).to.equal('waiting');
  });

  it('has every documented part', async () => {
    const p = await chatPage({ body: { scenario: 'chat', speed: 1 } });
    const run = await typeAndSend(p, 'Explain');
    await storeUntil(run.store.$text, (t) => t.length > 0);
    await p.composer.updateComplete;
    expect(p.composer.phase).to.equal('streaming');
    await sendKeys({ press: 'Escape' });
    await p.composer.updateComplete;
    const documented = documentedParts(source);
    expect(documented).to.include.members(['base', 'input', 'send', 'stop', 'reason', 'confirm']);
    expect([...renderedParts(p.composer)]).to.include.members(documented);
    await run.cancel();
  });
});

describe('<token-stream> conversation details', () => {
  /** A stream showing a user's message and its answer: the element and the two copy buttons. */
  async function answered(): Promise<{ el: TokenStream; mine: HTMLButtonElement; answer: HTMLButtonElement }> {
    const run = fedRun();
    const el = await fixture<TokenStream>(html`<token-stream .run=${run}></token-stream>`);
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'message', message_id: 'u1', role: 'user', content: 'Hi there' },
      { type: 'token', content: 'Hello!', message_id: 'm1' },
      { type: 'done', state: 'completed' },
    );
    await frame();
    const [mine, answer] = parts<HTMLButtonElement>(el, 'copy-message');
    return { el, mine: mine!, answer: answer! };
  }

  it('a message’s copy button copies its text and says so', async () => {
    const write = sinon.stub(navigator.clipboard, 'writeText').resolves();
    try {
      const { el, mine, answer } = await answered();
      expect(mine.getAttribute('aria-label')).to.equal('Copy your message');
      answer.click();
      await frame();
      expect(write.calledOnceWithExactly('Hello!')).to.equal(true);
      expect(el.shadowRoot!.querySelector('[aria-live]')!.textContent).to.contain('Copied');
      await expect(el).to.be.accessible();
    } finally {
      write.restore();
    }
  });

  it('a message’s copy button copies without the async clipboard too (a page over http), and keeps focus', async () => {
    const { el, answer } = await answered();
    const copied = await copiedWithoutClipboard(async () => {
      answer.focus();
      await sendKeys({ press: 'Enter' });
      await frame();
    });
    expect(copied).to.deep.equal(['Hello!']);
    expect(el.shadowRoot!.querySelector('[aria-live]')!.textContent).to.contain('Copied');
    expectFocusOn(answer);
  });

  it('following the end pauses while text is selected inside the stream, and goes on when it is cleared', async () => {
    const run = fedRun();
    const el = await fixture<TokenStream>(
      html`<token-stream .run=${run} style="--aw-stream-max-height: 5rem"></token-stream>`,
    );
    run.feed({ type: 'status', state: 'running' });
    for (let i = 0; i < 30; i++) run.feed({ type: 'token', content: `Line ${i}\n`, message_id: 'm1' });
    await frame();
    const viewport = part(el, 'viewport');
    const block = part(el, 'message').firstElementChild!;
    const selection = document.getSelection()!;
    const range = document.createRange();
    range.setStart(block.firstChild!, 0);
    range.setEnd(block.firstChild!, 4);
    selection.removeAllRanges();
    selection.addRange(range);
    await new Promise((resolve) => document.addEventListener('selectionchange', resolve, { once: true }));
    viewport.scrollTop = 0;
    await frame();
    for (let i = 30; i < 60; i++) run.feed({ type: 'token', content: `Line ${i}\n`, message_id: 'm1' });
    await frame();
    await frame();
    expect(viewport.scrollTop).to.equal(0, 'the selection did not scroll away');
    selection.removeAllRanges();
    await new Promise((resolve) => document.addEventListener('selectionchange', resolve, { once: true }));
    expect(viewport.scrollHeight - viewport.scrollTop - viewport.clientHeight).to.be.lessThan(2, 'back at the end');
  });
});
