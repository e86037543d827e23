/**
 * Requests for input in `<agent-log>` (issue 14): the "Asked" row shows the answer given, and
 * keeps it after later answers.
 */
import { ignoreResizeObserverLoopErrors } from './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import '../../../src/components/agent-log/define.ts';
import type { AgentLog } from '../../../src/components/agent-log/agent-log.ts';
import { fedRun, frame, parts } from './helpers.ts';

async function settle(el: AgentLog): Promise<void> {
  await el.updateComplete;
  await frame();
  await frame();
  await el.updateComplete;
}

const askedRows = (el: AgentLog) =>
  parts(el, 'row').filter((r) => r.querySelector('[part~="label"]')?.textContent.trim() === 'Asked');

describe('<agent-log> requests (issue 14)', () => {
  let restore: () => void;
  beforeEach(() => (restore = ignoreResizeObserverLoopErrors()));
  afterEach(() => restore());

  it('the "Asked" row shows the answer given, and keeps it after later answers', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    run.feed({ type: 'need_input', prompt: 'Migrate?', resume_token: 'T1', choices: ['yes', 'no'] });
    await run.reply('yes', { resumeToken: 'T1' });
    // This server confirms without repeating the answer: the tracker's text is shown.
    run.feed({ type: 'input_accepted', resume_token: 'T1' });
    await settle(el);
    expect(askedRows(el).map((r) => r.textContent)).to.satisfy((texts: string[]) => texts[0]!.includes('“yes”'));
    run.feed({ type: 'need_input', prompt: 'Restart?', resume_token: 'T2', choices: ['yes', 'no'] });
    await run.reply('no', { resumeToken: 'T2' });
    run.feed({ type: 'input_accepted', resume_token: 'T2' });
    // A third answer came from another client; the server says what it was.
    run.feed({ type: 'need_input', prompt: 'Notify?', resume_token: 'T3' });
    run.feed({ type: 'input_accepted', resume_token: 'T3', text: 'only the on-call team' });
    await settle(el);
    const texts = askedRows(el).map((r) => r.textContent.replace(/\s+/g, ' '));
    expect(texts).to.have.length(3);
    expect(texts[0]).to.include('Migrate?').and.include('“yes”');
    expect(texts[1]).to.include('Restart?').and.include('“no”');
    expect(texts[2]).to.include('Notify?').and.include('“only the on-call team”');
  });

  it("says a request expired by the server's clock, not this client's", async () => {
    // This client's clock is 2 minutes ahead of the server's.
    const clock = sinon.useFakeTimers({ now: Date.parse('2030-01-01T00:02:00Z'), toFake: ['Date'] });
    try {
      const run = fedRun();
      const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
      run.feed({
        type: 'need_input',
        prompt: 'Migrate?',
        resume_token: 'T1',
        at: '2030-01-01T00:00:00Z',
        expires_at: '2030-01-01T00:01:05Z',
      });
      await settle(el);
      expect(askedRows(el)[0]!.textContent).not.to.include('Expired');
      clock.tick(65_000);
      run.feed({ type: 'log', level: 'info', message: 'later' });
      await settle(el);
      expect(askedRows(el)[0]!.textContent).to.include('Expired unanswered');
    } finally {
      clock.restore();
    }
  });
});
