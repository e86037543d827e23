/**
 * Issue 14's focus bugs of `<approval-prompt>`, reproduced first (they failed before the fix):
 * auto-focus must never scroll the page or steal focus from someone typing; after an answer,
 * focus lands somewhere sensible (never `<body>`), also after "Later" → reopen → answer.
 */
import './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/components/approval-prompt/define.ts';
import type { ApprovalPrompt } from '../../../src/components/approval-prompt/approval-prompt.ts';
import { deepActiveElement } from '../../../src/controllers/focus-return.ts';
import type { NeedInputEvent } from '../../../src/protocol/index.ts';
import { describeNode, expectFocusOn, fedRun, part, parts } from './helpers.ts';

type Ask = Omit<NeedInputEvent, 'run_id' | 'seq'>;
const ask: Ask = { type: 'need_input', prompt: 'Deploy? (yes/no)', resume_token: 'T1', choices: ['yes', 'no'] };

const politeText = (el: ApprovalPrompt) =>
  el.shadowRoot!.querySelector('[role="status"][part~="announcer"]')?.textContent.trim() ?? '';

function expectNotOnBody(message: string): void {
  const active = deepActiveElement();
  if (active === null || active === document.body) throw new Error(`${message}: focus fell to ${describeNode(active)}`);
}

describe('<approval-prompt> focus (issue 14 bugs)', () => {
  afterEach(() => window.scrollTo(0, 0));

  it('never scrolls the page: a prompt below the fold does not take focus, it is announced politely', async () => {
    const run = fedRun();
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <button id="top">At the top</button>
        <div style="height: 3000px"></div>
        <approval-prompt .run=${run}></approval-prompt>
      </div>`,
    );
    const el = wrapper.querySelector('approval-prompt')!;
    const top = wrapper.querySelector<HTMLButtonElement>('#top')!;
    top.focus();
    window.scrollTo(0, 0);
    run.feed({ type: 'status', state: 'running' }, ask);
    await el.updateComplete;
    await el.updateComplete;
    expect(el.phase).to.equal('open');
    expect(window.scrollY).to.equal(0, 'the page did not move');
    expectFocusOn(top, 'focus stayed where the user left it');
    expect(politeText(el)).to.equal('Input needed: Deploy? (yes/no)');
  });

  it('does not take focus from someone typing elsewhere, even when the prompt is in view', async () => {
    const run = fedRun();
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <label>Notes <input id="notes" /></label>
        <approval-prompt .run=${run}></approval-prompt>
      </div>`,
    );
    const el = wrapper.querySelector('approval-prompt')!;
    const notes = wrapper.querySelector<HTMLInputElement>('#notes')!;
    notes.focus();
    await sendKeys({ type: 'half a sent' });
    run.feed(ask);
    await el.updateComplete;
    expectFocusOn(notes, 'the text field keeps focus');
    await sendKeys({ type: 'ence' });
    expect(notes.value).to.equal('half a sentence', 'typing went on into the field, nothing answered the prompt');
    expect(run.replies).to.deep.equal([]);
    expect(politeText(el)).to.equal('Input needed: Deploy? (yes/no)');
  });

  it('after answering with nothing focused before, focus does not fall to <body>', async () => {
    const run = fedRun();
    const el = await fixture<ApprovalPrompt>(html`<approval-prompt .run=${run}></approval-prompt>`);
    (document.activeElement as HTMLElement | null)?.blur();
    run.feed(ask);
    await el.updateComplete;
    expectFocusOn(parts(el, 'choice')[0], 'the prompt took focus (in view, nobody typing)');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    run.feed({ type: 'input_accepted', resume_token: 'T1', text: 'yes' });
    await el.updateComplete;
    expect(el.phase).to.equal('closed');
    expectNotOnBody('after the answer was accepted');
  });

  it('after "Later" → reopen → answer, focus is not lost', async () => {
    const run = fedRun();
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <button id="before">Elsewhere</button>
        <approval-prompt .run=${run}></approval-prompt>
      </div>`,
    );
    const el = wrapper.querySelector('approval-prompt')!;
    wrapper.querySelector<HTMLButtonElement>('#before')!.focus();
    run.feed(ask);
    await el.updateComplete;
    part(el, 'dismiss').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.phase).to.equal('dismissed');
    part(el, 'reopen').focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.phase).to.equal('open');
    expectFocusOn(parts(el, 'choice')[0], 'reopening focuses the first choice');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    run.feed({ type: 'input_accepted', resume_token: 'T1', text: 'yes' });
    await el.updateComplete;
    expectNotOnBody('after Later → reopen → answer');
  });
});
