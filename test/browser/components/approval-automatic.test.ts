/**
 * Approvals decided by policy (issue 14), end to end: the mock server's `auto-approvals` scenario
 * records two decisions with the server kit's `run.decide()` (a read approved, a shell command
 * denied), then asks one approval. `<approval-prompt>` asks only that one; `<agent-log>` shows the
 * two as decided automatically, with the policy's reasons, and never offers to answer them.
 */
import { ignoreResizeObserverLoopErrors } from './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/components/agent-log/define.ts';
import '../../../src/components/agent-run/define.ts';
import '../../../src/components/approval-prompt/define.ts';
import type { AgentLog } from '../../../src/components/agent-log/agent-log.ts';
import type { AgentRun } from '../../../src/components/agent-run/agent-run.ts';
import type { ApprovalPrompt } from '../../../src/components/approval-prompt/approval-prompt.ts';
import { mockServerUrl, startMockRun } from '../helpers/mock-server.ts';
import { frame, nextEvent, parts, storeUntil } from './helpers.ts';

const text = (element: Element, name: string): string | undefined =>
  element.querySelector(`[part~="${name}"]`)?.textContent.replace(/\s+/g, ' ').trim();

describe('approvals decided by policy, against the mock server (auto-approvals)', () => {
  let restore: () => void;
  beforeEach(() => (restore = ignoreResizeObserverLoopErrors()));
  afterEach(() => restore());

  it('are never asked: the prompt shows only the asked approval; the log shows both decisions as automatic', async () => {
    const runId = await startMockRun({ scenario: 'auto-approvals', speed: 0 });
    const wrapper = await fixture<AgentRun>(
      html`<agent-run base-url=${await mockServerUrl()} run-id=${runId} transport="sse">
        <approval-prompt></approval-prompt>
        <agent-log></agent-log>
      </agent-run>`,
    );
    const prompt = wrapper.querySelector<ApprovalPrompt>('approval-prompt')!;
    const log = wrapper.querySelector<AgentLog>('agent-log')!;
    const store = wrapper.handle!.store;
    const pending = await storeUntil(store.$pendingInputs, (open) => open.length > 0);
    expect(pending.map((r) => r.prompt)).to.deep.equal(['Delete the branch feature/old-uploader?']);
    await prompt.updateComplete;
    await log.updateComplete;
    await frame();
    await log.updateComplete;

    // The prompt: one card, the asked one; no "Request 1 of 3".
    const cards = parts(prompt, 'request');
    expect(cards).to.have.length(1);
    expect(text(cards[0]!, 'prompt')).to.equal('Delete the branch feature/old-uploader?');
    expect(prompt.shadowRoot!.querySelector('[part~="count"]')).to.equal(null);

    // The log: both decisions as automatic rows (no Answer button), the asked one waiting.
    const requests = parts(log, 'request');
    expect(requests.map((row) => [text(row, 'label'), text(row, 'text'), text(row, 'answer') ?? null])).to.deep.equal([
      ['Auto', 'Read CONTRIBUTING.md?', 'Approved automatically (by policy): read-only tools are allowed by policy'],
      ['Auto', 'Run `git gc --prune=now`?', 'Denied automatically (by policy): shell commands are never run by policy'],
      ['Approval', 'Delete the branch feature/old-uploader?', null],
    ]);
    expect(requests.map((row) => row.querySelector('[part~="approval-link"]') !== null)).to.deep.equal([
      false,
      false,
      true,
    ]);
    const tools = parts(log, 'tool');
    expect(tools.map((row) => text(row, 'tool-approval'))).to.deep.equal([
      'Approved automatically (by policy): read-only tools are allowed by policy',
      'Denied automatically (by policy): shell commands are never run by policy',
      'Waiting for approval Answer',
    ]);
    // Checked once the card's arrival animation ended (mid-fade, its colours are not yet its own).
    await Promise.all(prompt.shadowRoot!.getAnimations().map((a) => a.finished));
    await expect(prompt).to.be.accessible();
    await expect(log).to.be.accessible();

    // Approving the asked one ends the run; the automatic rows stay as they were.
    const settled = nextEvent(prompt, 'approval-settle');
    cards[0]!.querySelector<HTMLButtonElement>('[part~="approve"]')!.click();
    await settled;
    await storeUntil(store.$status, (status) => status === 'done');
    await log.updateComplete;
    await frame();
    await log.updateComplete;
    expect(parts(log, 'request').map((row) => text(row, 'answer'))).to.deep.equal([
      'Approved automatically (by policy): read-only tools are allowed by policy',
      'Denied automatically (by policy): shell commands are never run by policy',
      '“Approved”',
    ]);
    expect(parts(prompt, 'request')).to.have.length(0);
  });
});
