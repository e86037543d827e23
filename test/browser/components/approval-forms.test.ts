/**
 * `<approval-prompt>` for issue 14: several requests at once, approve / deny with a reason, forms
 * from a response_schema (validated before sending, one message per field), the tool call a
 * request is about, expiry and late answers, automatic approvals, reveal — keyboard only where a
 * person would use the keyboard, and axe-clean in every state.
 */
import './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import '../../../src/components/approval-prompt/define.ts';
import type { ApprovalPrompt } from '../../../src/components/approval-prompt/approval-prompt.ts';
import source from '../../../src/components/approval-prompt/approval-prompt.ts?raw';
import { createRunStore } from '../../../src/store/index.ts';
import {
  HOSTILE,
  documentedParts,
  expectFocusOn,
  fedRun,
  nextEvent,
  part,
  parts,
  renderedParts,
  type FedRun,
} from './helpers.ts';

/** What a run's reply() was given, text and value. */
interface Sent {
  text: string;
  value: unknown;
  token: string;
}

/** A fed run that records values too (FedRun records texts). */
function recordingRun(): { run: FedRun; sent: Sent[] } {
  const sent: Sent[] = [];
  const run = fedRun('r1', createRunStore('r1'));
  const reply = run.reply.bind(run);
  run.reply = (text, options) => {
    sent.push({ text, value: options?.value, token: options?.resumeToken ?? '' });
    return reply(text, options);
  };
  return { run, sent };
}

async function promptFor(run: FedRun): Promise<ApprovalPrompt> {
  const el = await fixture<ApprovalPrompt>(html`<approval-prompt .run=${run}></approval-prompt>`);
  (document.activeElement as HTMLElement | null)?.blur();
  return el;
}

/** Let the cards' entrance animation end (axe measures contrast with the current opacity). */
async function arrived(el: ApprovalPrompt): Promise<void> {
  await el.updateComplete;
  await Promise.all(el.shadowRoot!.getAnimations().map((a) => a.finished));
}

const cards = (el: ApprovalPrompt) => parts(el, 'request');
const field = (el: ApprovalPrompt, name: string): HTMLInputElement =>
  el.shadowRoot!.querySelector<HTMLInputElement>(`[name="${name}"]`)!;

const DEPLOY_SCHEMA = {
  type: 'object',
  required: ['environment', 'replicas'],
  properties: {
    environment: { type: 'string', enum: ['staging', 'production'] },
    replicas: { type: 'integer', minimum: 1, maximum: 10, title: 'Replicas' },
    dry_run: { type: 'boolean', default: true },
    notes: { type: 'string', maxLength: 40, description: 'For the on-call team' },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
  },
};

describe('<approval-prompt> several requests, approvals and forms (issue 14)', () => {
  it('shows every open request in order with a count, each answered on its own; focus moves to the next', async () => {
    const { run, sent } = recordingRun();
    const el = await promptFor(run);
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'need_input', prompt: 'Delete tmp/?', resume_token: 'A', kind: 'approval' },
      { type: 'need_input', prompt: 'Email the team?', resume_token: 'B', kind: 'approval' },
      { type: 'need_input', prompt: 'Which branch?', resume_token: 'C' },
    );
    await el.updateComplete;
    expect(cards(el).map((c) => c.dataset['token'])).to.deep.equal(['A', 'B', 'C']);
    expect(parts(el, 'count').map((c) => c.textContent)).to.deep.equal([
      'Request 1 of 3:',
      'Request 2 of 3:',
      'Request 3 of 3:',
    ]);
    expectFocusOn(cards(el)[0]!.querySelector('[part~="approve"]'), 'the first request has focus');
    // Keyboard only: deny the second with a reason, approve the first, answer the third.
    await sendKeys({ press: 'Tab' }); // deny
    await sendKeys({ press: 'Tab' }); // reason
    await sendKeys({ press: 'Tab' }); // second card: approve
    await sendKeys({ press: 'Tab' }); // deny
    await sendKeys({ press: 'Tab' }); // reason
    await sendKeys({ type: 'spam risk' });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(sent).to.deep.equal([
      { text: 'Denied: spam risk', value: { approved: false, reason: 'spam risk' }, token: 'B' },
    ]);
    expect(cards(el)[1]!.dataset['phase']).to.equal('sending');
    expect(cards(el)[0]!.dataset['phase']).to.equal('open', 'the others stay answerable');
    run.feed({ type: 'input_accepted', resume_token: 'B', value: { approved: false, reason: 'spam risk' } });
    await el.updateComplete;
    expect(cards(el).map((c) => c.dataset['token'])).to.deep.equal(['A', 'C']);
    expect(parts(el, 'count').map((c) => c.textContent)).to.deep.equal(['Request 1 of 2:', 'Request 2 of 2:']);
    expectFocusOn(cards(el)[1]!.querySelector('[part~="input"]'), 'focus went on to the next request');
    cards(el)[0]!.querySelector<HTMLElement>('[part~="approve"]')!.focus();
    await sendKeys({ press: 'Enter' });
    run.feed({ type: 'input_accepted', resume_token: 'A' });
    await el.updateComplete;
    expect(sent.at(-1)).to.deep.equal({ text: 'Approved', value: { approved: true }, token: 'A' });
    expectFocusOn(part(el, 'input'), 'on to the one left');
    expect(parts(el, 'count')).to.have.length(0);
    await sendKeys({ type: 'main' });
    await sendKeys({ press: 'Enter' });
    run.feed({ type: 'input_accepted', resume_token: 'C', text: 'main' });
    await el.updateComplete;
    expect(el.phase).to.equal('closed');
    expectFocusOn(part(el, 'receipt'), 'nothing was focused before: focus lands on the note of the answer');
    expect(part(el, 'receipt').textContent).to.equal('Answered “Which branch?”: main');
  });

  it('keeps every open request after a reload: they come back from the snapshot', async () => {
    const first = fedRun();
    first.feed(
      { type: 'need_input', prompt: 'One?', resume_token: 'A', kind: 'approval' },
      { type: 'need_input', prompt: 'Two?', resume_token: 'B', choices: ['x', 'y'] },
    );
    const { toSnapshot } = await import('../../../src/store/index.ts');
    const snapshot = toSnapshot(first.store.$state.get());
    const reloaded = fedRun();
    reloaded.store.applySnapshot(snapshot);
    const el = await promptFor(reloaded);
    expect(cards(el).map((c) => c.querySelector('[part~="prompt"]')!.textContent)).to.deep.equal(['One?', 'Two?']);
  });

  it('builds a form from response_schema, validates it before sending with a message per field, then sends the JSON value', async () => {
    const { run, sent } = recordingRun();
    const el = await promptFor(run);
    run.feed({ type: 'need_input', prompt: 'Deploy settings', resume_token: 'F', response_schema: DEPLOY_SCHEMA });
    await el.updateComplete;
    await arrived(el);
    await expect(el).to.be.accessible();
    const labels = parts(el, 'field-label').map((l) => l.textContent.replace(/\s+/g, ' ').trim());
    expect(labels).to.deep.equal([
      'Environment*',
      'Replicas* (from 1 to 10)',
      'Dry run',
      'Notes',
      'Tags (one per line)',
    ]);
    expect(field(el, 'answer.dry_run').checked).to.equal(true, 'the default');
    // Keyboard only: focus is on the first radio; go to Replicas and type a bad value, send.
    expectFocusOn(field(el, 'answer.environment'));
    await sendKeys({ press: 'Tab' });
    expectFocusOn(field(el, 'answer.replicas'));
    await sendKeys({ type: '12' });
    field(el, 'answer.tags').value = 'a\nb\nc';
    part(el, 'submit').click();
    await el.updateComplete;
    expect(sent).to.deep.equal([], 'nothing sent while a field is wrong');
    const errors = parts(el, 'field-error').map((e) => e.textContent);
    expect(errors).to.deep.equal(['Choose one.', 'Must be at most 10.', 'Use at most 2 items.']);
    const env = el.shadowRoot!.querySelector('[data-kind="choice"]')!;
    expect(env.getAttribute('aria-invalid')).to.equal('true');
    expect(field(el, 'answer.replicas').getAttribute('aria-invalid')).to.equal('true');
    const describedBy = field(el, 'answer.replicas').getAttribute('aria-describedby')!;
    expect(el.shadowRoot!.getElementById(describedBy)!.textContent).to.equal('Must be at most 10.');
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent.trim()).to.equal('3 fields need attention.');
    expectFocusOn(field(el, 'answer.environment'), 'focus went to the first field in error');
    await arrived(el);
    await expect(el).to.be.accessible();
    // Fix them from the keyboard.
    await sendKeys({ press: 'ArrowDown' }); // production
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ type: '3' });
    field(el, 'answer.tags').value = 'api\nweb';
    field(el, 'answer.notes').value = HOSTILE.slice(0, 40);
    part(el, 'submit').click();
    await el.updateComplete;
    expect(sent).to.have.length(1);
    expect(sent[0]!.value).to.deep.equal({
      environment: 'production',
      replicas: 3,
      dry_run: true,
      notes: HOSTILE.slice(0, 40),
      tags: ['api', 'web'],
    });
    expect(sent[0]!.text).to.equal(
      `environment: production, replicas: 3, dry_run: true, notes: ${HOSTILE.slice(0, 40)}, tags: api, web`,
    );
    expect(parts(el, 'field-error')).to.have.length(0);
  });

  it('falls back to a JSON field for a schema a form cannot offer, and refuses invalid JSON', async () => {
    const { run, sent } = recordingRun();
    const el = await promptFor(run);
    run.feed({ type: 'need_input', prompt: 'Rules?', resume_token: 'J', response_schema: { $ref: '#/defs/rules' } });
    await el.updateComplete;
    const input = part(el, 'input', HTMLTextAreaElement);
    expect(input.getAttribute('aria-label')).to.equal('Your answer, as JSON');
    input.value = '{oops';
    part(el, 'submit').click();
    await el.updateComplete;
    expect(part(el, 'field-error').textContent).to.match(/^Not valid JSON/);
    expect(sent).to.deep.equal([]);
    input.value = '{"max": 3}';
    part(el, 'submit').click();
    await el.updateComplete;
    expect(sent).to.deep.equal([{ text: '{"max": 3}', value: { max: 3 }, token: 'J' }]);
  });

  it('shows the tool call a request is about: its name and readable, collapsible arguments', async () => {
    const { run } = recordingRun();
    const el = await promptFor(run);
    run.feed(
      { type: 'tool_call', call_id: 'rm1', name: 'delete_files', args: { glob: 'tmp/**', dry_run: false } },
      { type: 'need_input', prompt: 'Allow delete_files?', resume_token: 'T', kind: 'approval', tool_call_id: 'rm1' },
    );
    await el.updateComplete;
    expect(part(el, 'tool-name').textContent).to.equal('delete_files');
    const details = part(el, 'tool') as HTMLDetailsElement;
    expect(details.open).to.equal(false);
    part(el, 'tool-summary').focus();
    await sendKeys({ press: 'Enter' });
    expect(details.open).to.equal(true);
    expect(JSON.parse(part(el, 'tool-args').textContent)).to.deep.equal({ glob: 'tmp/**', dry_run: false });
    await arrived(el);
    await expect(el).to.be.accessible();
  });

  it('refuses a late answer through the run API too, with a clear message', async () => {
    const run = fedRun();
    run.feed({
      type: 'need_input',
      prompt: 'Too late?',
      resume_token: 'L',
      expires_at: new Date(Date.now() - 1000).toISOString(),
    });
    const refused = await run.reply('yes', { resumeToken: 'L' }).then(
      () => null,
      (error: unknown) => error as { code: string; message: string },
    );
    expect(refused?.code).to.equal('rejected');
    expect(refused?.message).to.match(/expired at .*: the answer was not sent/);
    expect(run.replies).to.deep.equal([]);
  });

  it('counts down without announcing every second, then expires: controls disabled, one polite announcement', async () => {
    const clock = sinon.useFakeTimers({
      now: Date.parse('2030-01-01T00:00:00Z'),
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    try {
      const { run, sent } = recordingRun();
      const el = await promptFor(run);
      const region = part(el, 'announcer');
      const said: string[] = [];
      new MutationObserver(() => said.push(region.textContent.trim())).observe(region, {
        childList: true,
        characterData: true,
        subtree: true,
      });
      run.feed({
        type: 'need_input',
        prompt: 'Ship it?',
        resume_token: 'E',
        kind: 'approval',
        expires_at: '2030-01-01T00:00:05Z',
      });
      await el.updateComplete;
      expect(part(el, 'countdown').textContent).to.equal('Expires in 0:05');
      for (let i = 0; i < 5; i++) {
        await clock.tickAsync(1000);
        await el.updateComplete;
      }
      expect(part(el, 'countdown').textContent).to.equal('Expired');
      expect(cards(el)[0]!.dataset['phase']).to.equal('expired');
      expect(part(el, 'approve').getAttribute('aria-disabled')).to.equal('true');
      expect(part(el, 'reason', HTMLInputElement).readOnly).to.equal(true);
      await el.updateComplete;
      expect(said.filter((t) => t !== '')).to.deep.equal(['Input needed: Ship it?', 'The request expired: Ship it?']);
      part(el, 'approve').click();
      await el.updateComplete;
      expect(sent).to.deep.equal([]);
      expect(part(el, 'error').textContent).to.match(/^This request expired at .+: your answer was not sent\.$/);
    } finally {
      clock.restore();
    }
  });

  it('never asks about an automatic approval', async () => {
    const run = fedRun();
    const el = await promptFor(run);
    run.feed({ type: 'need_input', prompt: 'Read a file?', resume_token: 'auto', kind: 'approval', automatic: true });
    await el.updateComplete;
    expect(el.phase).to.equal('closed');
    expect(cards(el)).to.have.length(0);
  });

  it('offers a request it did not focus: approval-request says so, reveal() shows and focuses it', async () => {
    const run = fedRun();
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <div style="height: 3000px"></div>
        <approval-prompt .run=${run}></approval-prompt>
      </div>`,
    );
    const el = wrapper.querySelector('approval-prompt')!;
    window.scrollTo(0, 0);
    const shown = nextEvent(el, 'approval-request');
    run.feed({ type: 'need_input', prompt: 'Far below?', resume_token: 'R', choices: ['ok'] });
    const event = await shown;
    expect(event.focused).to.equal(false);
    expect(window.scrollY).to.equal(0);
    expect(el.reveal('nope')).to.equal(false);
    expect(el.reveal(event.request.resume_token)).to.equal(true);
    await el.updateComplete;
    expectFocusOn(part(el, 'choice'), 'revealed on request: scrolled to and focused');
    expect(window.scrollY).to.be.greaterThan(0);
    window.scrollTo(0, 0);
  });

  it('has every documented part', async () => {
    const clock = sinon.useFakeTimers({
      now: Date.parse('2030-01-01T00:00:00Z'),
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    try {
      const found = new Set<string>();
      const collect = (el: ApprovalPrompt) => renderedParts(el).forEach((n) => found.add(n));
      const { run } = recordingRun();
      const el = await promptFor(run);
      run.feed(
        { type: 'tool_call', call_id: 'c', name: 'tool', args: {} },
        {
          type: 'need_input',
          prompt: 'A',
          resume_token: 'A',
          kind: 'approval',
          tool_call_id: 'c',
          expires_at: '2030-01-01T00:05:00Z',
        },
        { type: 'need_input', prompt: 'B', resume_token: 'B', choices: ['x'] },
        { type: 'need_input', prompt: 'C', resume_token: 'C', response_schema: DEPLOY_SCHEMA },
        {
          type: 'need_input',
          prompt: 'D',
          resume_token: 'D',
          response_schema: {
            type: 'object',
            properties: { inner: { type: 'object', properties: { n: { type: 'number' } } } },
          },
        },
        { type: 'need_input', prompt: 'E', resume_token: 'E' },
      );
      await el.updateComplete;
      cards(el)[2]!.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
      await el.updateComplete;
      run.onReply = () => Promise.reject(Object.assign(new Error('refused'), { code: 'x' }));
      part(el, 'choice').click();
      await nextEvent(el, 'approval-settle');
      await el.updateComplete;
      collect(el);
      part(el, 'dismiss').click();
      await el.updateComplete;
      collect(el);
      part(el, 'reopen').click();
      await el.updateComplete;
      run.onReply = () => Promise.resolve('delivered');
      for (const token of ['A', 'B', 'C', 'D']) run.feed({ type: 'input_accepted', resume_token: token });
      await el.updateComplete;
      part(el, 'input').focus();
      await sendKeys({ type: 'e' });
      await sendKeys({ press: 'Enter' });
      run.feed({ type: 'input_accepted', resume_token: 'E' });
      await el.updateComplete;
      collect(el);
      expect([...found]).to.include.members(documentedParts(source));
    } finally {
      clock.restore();
    }
  });
});
