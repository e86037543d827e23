import './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import '../../../src/components/agent-run/define.ts';
import '../../../src/components/approval-prompt/define.ts';
import type { AgentRun } from '../../../src/components/agent-run/agent-run.ts';
import type { ApprovalPrompt } from '../../../src/components/approval-prompt/approval-prompt.ts';
import type { NeedInputEvent } from '../../../src/protocol/index.ts';
import { mockServerUrl, startMockRun } from '../helpers/mock-server.ts';
import {
  HOSTILE,
  fedRun,
  frame,
  nextEvent,
  part,
  parts,
  renderedParts,
  storeUntil,
  type FedRun,
  expectFocusOn,
} from './helpers.ts';

type Ask = Omit<NeedInputEvent, 'run_id' | 'seq'>;
const ask: Ask = {
  type: 'need_input',
  prompt: 'Deploy to production? (yes/no)',
  resume_token: 'T1',
  choices: ['yes', 'no'],
};

/** What a host's reply rejects with when the server refuses: an Error carrying the server's code. */
function refusal(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

interface Page {
  el: ApprovalPrompt;
  run: FedRun;
  before: HTMLButtonElement;
}

/** A page with a button focused before the question arrives (focus must come back to it). */
async function page(run = fedRun()): Promise<Page> {
  const wrapper = await fixture<HTMLDivElement>(
    html`<div>
      <button id="before">Elsewhere</button>
      <approval-prompt .run=${run}></approval-prompt>
    </div>`,
  );
  const el = wrapper.querySelector('approval-prompt')!;
  const before = wrapper.querySelector<HTMLButtonElement>('#before')!;
  before.focus();
  await el.updateComplete;
  return { el, run, before };
}

async function asked(p: Page, request: Ask = ask): Promise<void> {
  p.run.feed({ type: 'status', state: 'running' }, request);
  await p.el.updateComplete;
}

/** Let the prompt's entrance animation end (axe measures contrast with the current opacity). */
async function arrived(el: ApprovalPrompt): Promise<void> {
  await el.updateComplete;
  await Promise.all(el.shadowRoot!.getAnimations().map((a) => a.finished));
}

/** Run `test` with timers and `Date` faked from the ISO time `now`; the real clock is back after, also on failure. */
async function atClock(now: string, test: (clock: sinon.SinonFakeTimers) => Promise<void>): Promise<void> {
  const clock = sinon.useFakeTimers({ now: Date.parse(now), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  try {
    await test(clock);
  } finally {
    clock.restore();
  }
}

const alertText = (el: ApprovalPrompt) => el.shadowRoot!.querySelector('[role="alert"]')!.textContent.trim();
const politeText = (el: ApprovalPrompt) => part(el, 'announcer').textContent.trim();
/** Parts that show something (the live regions are always there, empty and invisible). */
const visibleParts = (el: ApprovalPrompt) => [...renderedParts(el)].filter((name) => name !== 'announcer');

describe('<approval-prompt> fed from a store', () => {
  it('shows nothing until the run asks', async () => {
    const { el } = await page();
    expect(el.phase).to.equal('closed');
    expect(visibleParts(el)).to.deep.equal([]);
    expect(el.getBoundingClientRect().height).to.equal(0);
  });

  it('shows the prompt with the choices as buttons, takes focus (in view, nobody typing) and announces it politely', async () => {
    const p = await page();
    const region = part(p.el, 'announcer');
    const announced: string[] = [];
    new MutationObserver(() => announced.push(region.textContent.trim())).observe(region, {
      childList: true,
      characterData: true,
      subtree: true,
    });
    await asked(p);
    expect(p.el.phase).to.equal('open');
    expect(part(p.el, 'prompt').textContent).to.equal('Deploy to production? (yes/no)');
    expect(parts(p.el, 'choice').map((b) => b.textContent.trim())).to.deep.equal(['yes', 'no']);
    expect(parts(p.el, 'input').length).to.equal(0);
    expect(part(p.el, 'request').getAttribute('role')).to.equal('group');
    expect(parts(p.el, 'count')).to.have.length(0, 'no count for a single request');
    expectFocusOn(parts(p.el, 'choice')[0], 'focus moved to the first choice');
    await p.el.updateComplete;
    expect(announced.filter((t) => t !== '')).to.deep.equal(['Input needed: Deploy to production? (yes/no)']);
    p.run.feed({ type: 'log', level: 'info', message: 'unrelated' });
    await p.el.updateComplete;
    expect(announced.filter((t) => t !== '')).to.have.length(1, 'announced once per request');
  });

  it('takes a retry clicked right after a failed send (same task)', async () => {
    const p = await page();
    await asked(p);
    let fail: (error: Error) => void = () => undefined;
    p.run.onReply = () => new Promise((_, reject) => (fail = reject));
    const submits: string[] = [];
    p.el.addEventListener('approval-submit', (event) => submits.push(event.text));
    parts<HTMLButtonElement>(p.el, 'choice')[0]!.click();
    await frame();
    await p.el.updateComplete;
    expect(part(p.el, 'request').dataset['phase']).to.equal('sending');
    p.run.onReply = () => Promise.resolve('accepted');
    const settled = nextEvent(p.el, 'approval-settle');
    fail(refusal('not_delivered', 'the connection dropped'));
    const failed = await settled;
    expect(failed.error?.code).to.equal('not_delivered');
    // Still this task, right after the failure: the user clicks again.
    parts<HTMLButtonElement>(p.el, 'choice')[0]!.click();
    expect(submits).to.deep.equal(['yes', 'yes'], 'the second click was acted on, not dropped');
    const retried = await nextEvent(p.el, 'approval-settle');
    expect(retried.error).to.equal(null);
    expect(p.run.replies).to.deep.equal(['yes', 'yes']);
  });

  it('says why a click does nothing while its answer is on its way (never silently)', async () => {
    const p = await page();
    await asked(p);
    let deliver: (ack: 'accepted') => void = () => undefined;
    p.run.onReply = () => new Promise((resolve) => (deliver = resolve));
    const submits: string[] = [];
    p.el.addEventListener('approval-submit', (event) => submits.push(event.text));
    parts<HTMLButtonElement>(p.el, 'choice')[0]!.click();
    await frame();
    await p.el.updateComplete;
    parts<HTMLButtonElement>(p.el, 'choice')[1]!.click();
    await p.el.updateComplete;
    expect(submits).to.deep.equal(['yes'], 'one answer per request on its way');
    expect(part(p.el, 'announcer').textContent.trim()).to.equal(
      'Your answer “yes” is being sent; wait for it before answering again.',
    );
    deliver('accepted');
    await nextEvent(p.el, 'approval-settle');
    expect(p.run.replies).to.deep.equal(['yes']);
  });

  it('sends the choice with the resume token, stays disabled until input_accepted, then closes and gives focus back', async () => {
    const p = await page();
    await asked(p);
    const submitted = nextEvent(p.el, 'approval-submit');
    const yes = parts<HTMLButtonElement>(p.el, 'choice')[0]!;
    yes.click();
    const event = await submitted;
    expect(event.text).to.equal('yes');
    expect(event.request.resume_token).to.equal('T1');
    await p.el.updateComplete;
    expect(p.run.replies).to.deep.equal(['yes']);
    expect(p.el.phase).to.equal('sending');
    expect(parts(p.el, 'choice').every((b) => b.getAttribute('aria-disabled') === 'true')).to.equal(true);
    expect(part(p.el, 'status').textContent).to.equal('Sending…');
    expectFocusOn(yes, 'focus stays on the (disabled) button while sending');
    yes.click();
    expect(p.run.replies).to.have.length(1, 'a disabled choice sends nothing');

    p.run.feed({ type: 'input_accepted', resume_token: 'T1' });
    await p.el.updateComplete;
    expect(p.el.phase).to.equal('closed');
    expect(parts(p.el, 'base').length).to.equal(0);
    expectFocusOn(p.before, 'focus went back');
  });

  it('offers a text field when there are no choices; Enter sends', async () => {
    const p = await page();
    await asked(p, { type: 'need_input', prompt: 'Which branch?', resume_token: 'T2' });
    const input = part(p.el, 'input', HTMLInputElement);
    expectFocusOn(input);
    expect(input.getAttribute('aria-label')).to.equal('Your answer');
    await sendKeys({ type: 'release/2.0' });
    await sendKeys({ press: 'Enter' });
    await p.el.updateComplete;
    expect(p.run.replies).to.deep.equal(['release/2.0']);
    expect(p.el.phase).to.equal('sending');
    expect(input.readOnly).to.equal(true);
  });

  it('lets the host veto or edit the answer through the cancelable approval-submit event', async () => {
    const p = await page();
    await asked(p);
    p.el.addEventListener('approval-submit', (e) => e.preventDefault(), { once: true });
    parts<HTMLButtonElement>(p.el, 'choice')[0]!.click();
    await p.el.updateComplete;
    expect(p.run.replies).to.deep.equal([]);
    expect(p.el.phase).to.equal('open');
    p.el.addEventListener('approval-submit', (e) => (e.text = 'no, staging first'), { once: true });
    parts<HTMLButtonElement>(p.el, 'choice')[1]!.click();
    await p.el.updateComplete;
    expect(p.run.replies).to.deep.equal(['no, staging first']);
  });

  it('shows the server refusal and lets the user answer again', async () => {
    const p = await page();
    await asked(p);
    const refused = { code: 'stale_resume_token', message: 'this resume_token has expired' };
    p.run.onReply = () => Promise.reject(refusal(refused.code, refused.message));
    const settled = nextEvent(p.el, 'approval-settle');
    parts<HTMLButtonElement>(p.el, 'choice')[0]!.click();
    const result = await settled;
    expect(result.accepted).to.equal(false);
    expect(result.error).to.deep.equal(refused);
    await p.el.updateComplete;
    expect(p.el.phase).to.equal('open');
    expect(part(p.el, 'error').textContent).to.equal('this resume_token has expired');
    expect(alertText(p.el)).to.equal('Answer not accepted: this resume_token has expired');
    expect(parts(p.el, 'choice').every((b) => b.getAttribute('aria-disabled') === 'false')).to.equal(true);
  });

  it('fires approval-settle when the answer is accepted', async () => {
    const p = await page();
    await asked(p);
    const settled = nextEvent(p.el, 'approval-settle');
    parts<HTMLButtonElement>(p.el, 'choice')[1]!.click();
    const result = await settled;
    expect(result.accepted).to.equal(true);
    expect(result.text).to.equal('no');
  });

  it('Escape dismisses without answering, leaves a reminder, gives focus back; the reminder reopens it', async () => {
    const p = await page();
    await asked(p);
    const dismissed = nextEvent(p.el, 'approval-dismiss');
    await sendKeys({ press: 'Escape' });
    expect((await dismissed).request.resume_token).to.equal('T1');
    await p.el.updateComplete;
    expect(p.run.replies).to.deep.equal([]);
    expect(p.el.phase).to.equal('dismissed');
    expectFocusOn(p.before);
    expect(part(p.el, 'reminder').textContent).to.include('waiting for your answer');
    part(p.el, 'reopen').click();
    await p.el.updateComplete;
    expect(p.el.phase).to.equal('open');
    expectFocusOn(parts(p.el, 'choice')[0]);
  });

  it('counts down to expires_at and disables answering once expired', async () => {
    await atClock('2030-01-01T00:00:00Z', async (clock) => {
      const p = await page();
      await asked(p, { ...ask, expires_at: '2030-01-01T00:01:05Z' });
      expect(part(p.el, 'countdown').textContent).to.equal('Expires in 1:05');
      await clock.tickAsync(1000);
      await p.el.updateComplete;
      expect(part(p.el, 'countdown').textContent).to.equal('Expires in 1:04');
      await clock.tickAsync(64_000);
      await p.el.updateComplete;
      expect(p.el.phase).to.equal('expired');
      expect(part(p.el, 'countdown').textContent).to.equal('Expired');
      expect(part(p.el, 'status').textContent).to.equal('The request expired.');
      expect(politeText(p.el)).to.equal('The request expired: Deploy to production? (yes/no)');
      parts<HTMLButtonElement>(p.el, 'choice')[0]!.click();
      await p.el.updateComplete;
      expect(p.run.replies).to.deep.equal([], 'a late answer is not sent');
      expect(part(p.el, 'error').textContent).to.match(/^This request expired at .+: your answer was not sent\.$/);
      expect(alertText(p.el)).to.match(/^Answer not accepted: This request expired/);
    });
  });

  it("counts down on the server's clock: a client 2 minutes ahead still sees the time left and can answer", async () => {
    // The server asked at 00:00:00 (its `at`) with 65 s to answer; this client's clock reads 00:02:00.
    await atClock('2030-01-01T00:02:00Z', async (clock) => {
      const p = await page();
      await asked(p, { ...ask, at: '2030-01-01T00:00:00Z', expires_at: '2030-01-01T00:01:05Z' });
      expect(p.el.phase).to.equal('open');
      expect(part(p.el, 'countdown').textContent).to.equal('Expires in 1:05');
      await clock.tickAsync(1000);
      await p.el.updateComplete;
      expect(part(p.el, 'countdown').textContent).to.equal('Expires in 1:04');
      parts<HTMLButtonElement>(p.el, 'choice')[0]!.click();
      await p.el.updateComplete;
      expect(p.run.replies).to.deep.equal(['yes'], 'the answer is sent: the server still takes it');
    });
  });

  it("expires on the server's clock: a client 2 minutes behind refuses a late answer", async () => {
    await atClock('2030-01-01T00:00:00Z', async (clock) => {
      const p = await page();
      await asked(p, { ...ask, at: '2030-01-01T00:02:00Z', expires_at: '2030-01-01T00:03:05Z' });
      expect(part(p.el, 'countdown').textContent).to.equal('Expires in 1:05');
      await clock.tickAsync(65_000);
      await p.el.updateComplete;
      expect(p.el.phase).to.equal('expired');
      parts<HTMLButtonElement>(p.el, 'choice')[0]!.click();
      await p.el.updateComplete;
      expect(p.run.replies).to.deep.equal([], 'a late answer is not sent');
      await p.run.reply('yes').then(
        () => expect.fail('the handle sent a late answer'),
        (error: unknown) => expect((error as { code: string }).code).to.equal('rejected'),
      );
    });
  });

  it('does not take focus with no-autofocus, but still announces', async () => {
    const run = fedRun();
    const wrapper = await fixture<HTMLDivElement>(
      html`<div><button id="b">x</button><approval-prompt no-autofocus .run=${run}></approval-prompt></div>`,
    );
    const el = wrapper.querySelector('approval-prompt')!;
    const b = wrapper.querySelector<HTMLButtonElement>('#b')!;
    b.focus();
    run.feed(ask);
    await el.updateComplete;
    expect(el.phase).to.equal('open');
    expectFocusOn(b);
    expect(politeText(el)).to.equal('Input needed: Deploy to production? (yes/no)');
  });

  it('closes when the request goes away unanswered (the run ended)', async () => {
    const p = await page();
    await asked(p);
    p.run.feed({ type: 'status', state: 'cancelled' }, { type: 'done', state: 'cancelled' });
    await p.el.updateComplete;
    expect(p.el.phase).to.equal('closed');
    expectFocusOn(p.before);
  });

  it('shows an untrusted prompt and choices as text', async () => {
    const p = await page();
    await asked(p, { type: 'need_input', prompt: HOSTILE, resume_token: 'T', choices: [HOSTILE, 'no'] });
    expect(part(p.el, 'prompt').textContent).to.equal(HOSTILE);
    expect(parts(p.el, 'choice')[0]!.textContent.trim()).to.equal(HOSTILE);
    expect(p.el.shadowRoot!.querySelectorAll('img, script').length).to.equal(0);
    parts<HTMLButtonElement>(p.el, 'choice')[0]!.click();
    await p.el.updateComplete;
    expect(p.run.replies).to.deep.equal([HOSTILE], 'sent verbatim, as text');
    expect(globalThis.__pwned).to.equal(undefined);
  });

  it('is accessible when asking with choices, with a text field, and with an error', async () => {
    const p = await page();
    await asked(p, { ...ask, expires_at: new Date(Date.now() + 60_000).toISOString() });
    await arrived(p.el);
    await expect(p.el).to.be.accessible();
    const q = await page();
    await asked(q, { type: 'need_input', prompt: 'Which branch?', resume_token: 'T2' });
    await arrived(q.el);
    await expect(q.el).to.be.accessible();
    p.run.onReply = () => Promise.reject(refusal('stale_resume_token', 'expired'));
    parts<HTMLButtonElement>(p.el, 'choice')[0]!.click();
    await nextEvent(p.el, 'approval-settle');
    await p.el.updateComplete;
    await expect(p.el).to.be.accessible();
  });
});

describe('<approval-prompt> through <agent-run> against the mock server', () => {
  async function agentRun(transport: string) {
    const runId = await startMockRun({ scenario: 'agent', speed: 0 });
    const wrapper = await fixture<AgentRun>(
      html`<agent-run base-url=${await mockServerUrl()} run-id=${runId} transport=${transport}>
        <approval-prompt></approval-prompt>
      </agent-run>`,
    );
    const el = wrapper.querySelector('approval-prompt')!;
    const store = wrapper.handle!.store;
    await storeUntil(store.$pendingInput, (p) => p !== null);
    await el.updateComplete;
    return { el, store };
  }

  for (const [transport, answer, end] of [
    ['websocket', 'yes', 'done'],
    ['sse', 'no', 'cancelled'],
  ] as const) {
    it(`answers the deploy question "${answer}" over ${transport}`, async () => {
      const { el, store } = await agentRun(transport);
      expect(part(el, 'prompt').textContent).to.equal('Deploy to production? (yes/no)');
      const choice = parts<HTMLButtonElement>(el, 'choice').find((b) => b.textContent.trim() === answer)!;
      expectFocusOn(parts(el, 'choice')[0]);
      const settled = nextEvent(el, 'approval-settle');
      choice.click();
      await el.updateComplete;
      expect(['sending', 'closed']).to.include(el.phase);
      expect((await settled).accepted).to.equal(true);
      await storeUntil(store.$status, (s) => s === end);
      await el.updateComplete;
      expect(el.phase).to.equal('closed');
      expect(
        store.$state
          .get()
          .log.toArray()
          .some((e) => e.kind === 'event' && e.event.type === 'input_accepted'),
      ).to.equal(true);
    });
  }

  it('shows the server refusing a stale answer, then closes once the run has moved on', async () => {
    const { el, store } = await agentRun('sse');
    const wrapper = el.closest('agent-run')!;
    const handle = wrapper.handle!;
    const token = store.$pendingInput.get()!.resume_token;
    // This page stops listening; meanwhile someone else (another tab) answers the request.
    handle.disconnect();
    await storeUntil(handle.$connected, (open) => !open);
    const other = await fetch(`${await mockServerUrl()}/api/runs/${handle.runId}/input`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'no', resume_token: token }),
    });
    expect(other.ok).to.equal(true);
    const settled = nextEvent(el, 'approval-settle');
    parts<HTMLButtonElement>(el, 'choice')[0]!.click();
    const result = await settled;
    expect(result.accepted).to.equal(false);
    await el.updateComplete;
    expect(el.phase).to.equal('open');
    expect(part(el, 'error').textContent).to.match(/answered|stale|resume_token/i);
    handle.reconnect();
    await storeUntil(store.$status, (s) => s === 'cancelled');
    await el.updateComplete;
    expect(el.phase).to.equal('closed');
  });
});
