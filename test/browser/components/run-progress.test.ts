import './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/components/agent-run/define.ts';
import '../../../src/components/run-progress/define.ts';
import type { AgentRun } from '../../../src/components/agent-run/agent-run.ts';
import type { RunProgress } from '../../../src/components/run-progress/run-progress.ts';
import source from '../../../src/components/run-progress/run-progress.ts?raw';
import { mockServerUrl, startMockRun } from '../helpers/mock-server.ts';
import { HOSTILE, documentedParts, fedRun, part, renderedParts, storeUntil } from './helpers.ts';

async function progressFixture(run = fedRun()) {
  const el = await fixture<RunProgress>(html`<run-progress .run=${run}></run-progress>`);
  return { el, run };
}

const bar = (el: RunProgress) => part(el, 'track');

describe('<run-progress> fed from a store', () => {
  it('is an indeterminate progressbar until the run gives a percentage', async () => {
    const { el, run } = await progressFixture();
    run.feed({ type: 'status', state: 'running' });
    await el.updateComplete;
    expect(bar(el).getAttribute('role')).to.equal('progressbar');
    expect(bar(el).getAttribute('aria-label')).to.equal('Run progress');
    expect(bar(el).hasAttribute('aria-valuenow')).to.equal(false);
    expect(bar(el).getAttribute('aria-valuetext')).to.equal('Running');
    expect(el.indeterminate).to.equal(true);
    expect(el.hasAttribute('indeterminate')).to.equal(true);
    expect(part(el, 'label').textContent).to.equal('Running');
  });

  it('shows the percentage, the message and the status, and reflects the state', async () => {
    const { el, run } = await progressFixture();
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'progress', pct: 40, message: 'Step 2/5: gathering context' },
    );
    await el.updateComplete;
    expect(bar(el).getAttribute('aria-valuenow')).to.equal('40');
    expect(bar(el).getAttribute('aria-valuemin')).to.equal('0');
    expect(bar(el).getAttribute('aria-valuemax')).to.equal('100');
    expect(bar(el).getAttribute('aria-valuetext')).to.equal('40%, Step 2/5: gathering context');
    expect(part(el, 'value').textContent).to.equal('40%');
    expect(part(el, 'message').textContent).to.equal('Step 2/5: gathering context');
    expect(part(el, 'indicator').style.getPropertyValue('--_aw-pct')).to.equal('40%');
    expect(el.getAttribute('state')).to.equal('running');
    expect(el.hasAttribute('indeterminate')).to.equal(false);
    run.feed({ type: 'need_input', prompt: 'Go?', resume_token: 'T' });
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('waiting');
    expect(part(el, 'label').textContent).to.equal('Waiting for input');
  });

  it('reflects every terminal state', async () => {
    for (const [done, state, label] of [
      ['completed', 'done', 'Done'],
      ['failed', 'failed', 'Failed'],
      ['cancelled', 'cancelled', 'Cancelled'],
    ] as const) {
      const { el, run } = await progressFixture();
      run.feed({ type: 'progress', pct: 100 }, { type: 'done', state: done });
      await el.updateComplete;
      expect(el.state).to.equal(state);
      expect(el.getAttribute('state')).to.equal(state);
      expect(part(el, 'label').textContent).to.equal(label);
    }
  });

  it('clamps out-of-range percentages', async () => {
    const { el, run } = await progressFixture();
    run.feed({ type: 'progress', pct: 140 });
    await el.updateComplete;
    expect(bar(el).getAttribute('aria-valuenow')).to.equal('100');
  });

  it('shows the connection state when it is not plainly open, in a polite live region', async () => {
    const { el, run } = await progressFixture();
    run.feed({ type: 'status', state: 'running' });
    const connection = () => part(el, 'connection');
    run.store.setConnection({ status: 'connecting', transport: 'sse', attempt: 0, error: null });
    await el.updateComplete;
    expect(connection().textContent).to.equal('Connecting…');
    expect(connection().getAttribute('role')).to.equal('status');
    run.store.setConnection({ status: 'open', attempt: 0 });
    await el.updateComplete;
    expect(connection().textContent).to.equal('');
    expect(el.getAttribute('connection')).to.equal('open');
    run.store.setConnection({ status: 'reconnecting', attempt: 1 });
    await el.updateComplete;
    expect(connection().textContent).to.equal('Reconnecting…');
    expect(el.getAttribute('connection')).to.equal('reconnecting');
    run.store.setConnection({ status: 'reconnecting', attempt: 3 });
    await el.updateComplete;
    expect(connection().textContent).to.equal('Reconnecting… (attempt 3)');
    run.store.setConnection({ status: 'failed', error: { code: 'http_status', message: 'server unavailable' } });
    await el.updateComplete;
    expect(connection().textContent).to.equal('Connection lost: server unavailable');
  });

  it('marks a plain server without sequence numbers as unsequenced, discreetly', async () => {
    const { el, run } = await progressFixture();
    run.store.setConnection({ status: 'open', transport: 'sse', attempt: 0, error: null });
    run.store.apply({ type: 'progress', pct: 10 });
    await el.updateComplete;
    expect(part(el, 'connection').textContent).to.equal('unsequenced');
    expect(part(el, 'connection').title).to.include('no sequence numbers');
  });

  it('shows an untrusted message as text', async () => {
    const { el, run } = await progressFixture();
    run.feed({ type: 'progress', pct: 5, message: HOSTILE });
    await el.updateComplete;
    expect(part(el, 'message').textContent).to.equal(HOSTILE);
    expect(bar(el).getAttribute('aria-valuetext')).to.equal(`5%, ${HOSTILE}`);
    expect(el.shadowRoot!.querySelectorAll('img, script').length).to.equal(0);
    expect(globalThis.__pwned).to.equal(undefined);
  });

  it('has every documented part', async () => {
    const { el, run } = await progressFixture();
    run.feed({ type: 'progress', pct: 5, message: 'm' });
    run.store.setConnection({ status: 'reconnecting', transport: 'sse', attempt: 1, error: null });
    await el.updateComplete;
    const rendered = new Set(renderedParts(el));
    // The result part shows once a run ended with a result.
    const ended = await progressFixture();
    ended.run.feed({ type: 'done', state: 'completed', result: { files: 42 } });
    await ended.el.updateComplete;
    for (const name of renderedParts(ended.el)) rendered.add(name);
    expect([...rendered]).to.include.members(documentedParts(source));
  });

  it('is accessible, determinate and indeterminate', async () => {
    const { el, run } = await progressFixture();
    run.feed({ type: 'status', state: 'running' });
    await el.updateComplete;
    await expect(el).to.be.accessible();
    run.feed({ type: 'progress', pct: 60, message: 'Step 4/5' });
    run.store.setConnection({ status: 'reconnecting', transport: 'sse', attempt: 2, error: null });
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});

describe('<run-progress>: how a run ended (issue 11)', () => {
  it('done is a full bar with a final message and the result, never the last step frozen', async () => {
    const { el, run } = await progressFixture();
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'progress', pct: 40, message: 'Searching…' },
      { type: 'done', state: 'completed', result: 'deployed' },
    );
    await el.updateComplete;
    expect(part(el, 'label').textContent).to.equal('Done');
    expect(part(el, 'value').textContent).to.equal('100%');
    expect(bar(el).getAttribute('aria-valuenow')).to.equal('100');
    expect(part(el, 'message').textContent).to.equal('Finished');
    expect(part(el, 'result').textContent).to.equal('deployed');
  });

  it('shows a JSON result as JSON text, and a plain task done without a percentage as 100 %', async () => {
    const { el, run } = await progressFixture();
    run.store.applySnapshot(
      {
        run_id: 't-1',
        state: 'done',
        progress: { pct: null, message: null },
        messages: [],
        log: [],
        pending_input: null,
        result: { type: 'done', state: 'completed', result: { files: 42 } },
        last_seq: 0,
      },
      false,
    );
    await el.updateComplete;
    expect(part(el, 'result').textContent).to.equal('{"files":42}');
    expect(part(el, 'value').textContent).to.equal('100%');
    expect(el.indeterminate).to.equal(false);
  });

  it('a cancelled run keeps its percentage, is not green, and says it stopped', async () => {
    const { el, run } = await progressFixture();
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'progress', pct: 60, message: 'Waiting for approval' },
      { type: 'done', state: 'cancelled', result: 'cancelled' },
    );
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('cancelled');
    expect(part(el, 'label').textContent).to.equal('Cancelled');
    expect(part(el, 'value').textContent).to.equal('60%');
    expect(part(el, 'message').textContent).to.equal('Stopped before it finished');
    const fill = getComputedStyle(part(el, 'indicator')).backgroundColor;
    const green = getComputedStyle(el).getPropertyValue('--aw-color-success');
    expect(fill).to.not.equal(green);
    expect(el.shadowRoot!.querySelector('[part~="result"]') === null).to.equal(
      true,
      'the word "cancelled" is not a result',
    );
  });

  it("shows the server's own state word while the run goes on", async () => {
    const { el, run } = await progressFixture();
    run.feed({ type: 'status', state: 'running', label: 'planning' });
    await el.updateComplete;
    expect(part(el, 'label').textContent).to.equal('Planning');
    expect(el.getAttribute('state')).to.equal('running');
  });

  it('leaving the indeterminate state, the fill grows from 0 (the sliding block is another element)', async () => {
    const { el, run } = await progressFixture();
    run.feed({ type: 'status', state: 'running' });
    await el.updateComplete;
    const fill = part(el, 'indicator');
    expect(fill.getBoundingClientRect().width).to.equal(0, 'indeterminate: the fill is empty, a block slides');
    expect(el.shadowRoot!.querySelectorAll('[part~="indicator"]').length).to.equal(2);
    run.feed({ type: 'progress', pct: 10 });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('[part~="indicator"]').length).to.equal(1, 'no sliding block');
    expect(part(el, 'indicator')).to.equal(fill, 'the same fill, growing from its 0 width');
  });

  it('says so when it reconnects while a question waits for an answer', async () => {
    const { el, run } = await progressFixture();
    run.feed({ type: 'need_input', prompt: 'Deploy?', resume_token: 'T' });
    run.store.setConnection({ status: 'reconnecting', transport: 'websocket', attempt: 1, error: null });
    await el.updateComplete;
    expect(part(el, 'connection').textContent).to.equal('Reconnecting… Your answer is still awaited.');
  });
});

describe('<run-progress> through <agent-run> against the mock server', () => {
  it('follows a real run from queued to done', async () => {
    const runId = await startMockRun({ scenario: 'quick', speed: 0 });
    const wrapper = await fixture<AgentRun>(
      html`<agent-run base-url=${await mockServerUrl()} run-id=${runId} transport="sse">
        <run-progress></run-progress>
      </agent-run>`,
    );
    const el = wrapper.querySelector('run-progress')!;
    await storeUntil(wrapper.handle!.store.$status, (s) => s === 'done');
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('done');
    expect(bar(el).getAttribute('aria-valuenow')).to.equal('100');
    expect(part(el, 'message').textContent).to.equal('Done');
    expect(part(el, 'label').textContent).to.equal('Done');
  });

  it('shows a failing run as failed', async () => {
    const runId = await startMockRun({ scenario: 'failing', speed: 0 });
    const wrapper = await fixture<AgentRun>(
      html`<agent-run base-url=${await mockServerUrl()} run-id=${runId} transport="websocket">
        <run-progress></run-progress>
      </agent-run>`,
    );
    const el = wrapper.querySelector('run-progress')!;
    await storeUntil(wrapper.handle!.store.$status, (s) => s === 'failed');
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('failed');
    expect(bar(el).getAttribute('aria-valuenow')).to.equal('35');
    // A failed run keeps its last percentage and says why it failed (issue 11), not its last step.
    expect(bar(el).getAttribute('aria-valuetext')).to.equal('35%, Failed: The compile tool crashed (exit code 137)');
    expect(part(el, 'message').textContent).to.equal('Failed: The compile tool crashed (exit code 137)');
  });
});
