import './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/components/agent-log/define.ts';
import type { AgentLog } from '../../../src/components/agent-log/agent-log.ts';
import { fedRun, frame } from './helpers.ts';

/** Resolve once `check` holds after an update of `el` (the markdown renderer loads on first use). */
async function until(el: AgentLog, check: () => boolean): Promise<void> {
  while (!check()) {
    await el.updateComplete;
    await frame();
  }
}

describe('<agent-log format="markdown">', () => {
  it('renders log messages and result summaries as safe markdown', async () => {
    const run = fedRun();
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'log', level: 'info', message: 'Found **3** files in `src/` — see [docs](https://example.com/d)' },
      { type: 'tool_call', call_id: 'c1', name: 'search', args: {} },
      { type: 'tool_result', call_id: 'c1', summary: '- one\n- [two](javascript:alert(1))' },
    );
    const el = await fixture<AgentLog>(html`<agent-log format="markdown" .run=${run}></agent-log>`);
    const root = el.shadowRoot!;
    await until(el, () => root.querySelector('.markdown strong') !== null);
    expect(root.querySelector('[part~="log"] strong')?.textContent).to.equal('3');
    expect(root.querySelector('[part~="log"] code')?.textContent).to.equal('src/');
    const link = root.querySelector<HTMLAnchorElement>('[part~="log"] a');
    expect(link?.getAttribute('href')).to.equal('https://example.com/d');
    expect(link?.rel).to.equal('noopener noreferrer');
    expect(root.querySelectorAll('[part~="tool-result"] li').length).to.equal(2);
    expect(root.querySelector('[part~="tool-result"] a')).to.equal(null, 'a javascript: link is not a link');
    await expect(el).to.be.accessible();
    el.format = 'text';
    await el.updateComplete;
    await frame();
    expect(root.querySelector('[part~="log"] [part~="text"]')?.textContent).to.equal(
      'Found **3** files in `src/` — see [docs](https://example.com/d)',
    );
  });

  it('streams the reasoning block as markdown too, and as text again with format="text"', async () => {
    const run = fedRun();
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'reasoning', content: '**Choosing a tool**\n\nThe user wants `retry`', message_id: 'm1' },
    );
    const el = await fixture<AgentLog>(html`<agent-log format="markdown" .run=${run}></agent-log>`);
    const root = el.shadowRoot!;
    await until(el, () => root.querySelector('[part~="reasoning-text"] strong') !== null);
    const body = (): HTMLElement => root.querySelector<HTMLElement>('[part~="reasoning-text"]')!;
    expect(body().querySelector('strong')?.textContent).to.equal('Choosing a tool');
    expect(body().querySelector('code')?.textContent).to.equal('retry');
    expect(body().textContent).not.to.match(/\*\*|`/);
    run.feed({
      type: 'reasoning',
      content: ' with [a link](javascript:window.__pwned=1) and **more',
      message_id: 'm1',
    });
    await until(el, () => body().textContent.includes('more'));
    expect(body().querySelectorAll('strong')).to.have.length(2, 'the open bold shows as bold while it streams');
    expect(body().querySelector('a')).to.equal(null, 'a javascript: link is not a link');
    run.feed({ type: 'token', content: 'Answer.', message_id: 'm1' });
    await until(el, () => !root.querySelector<HTMLDetailsElement>('[part~="reasoning"]')!.open);
    expect(body().querySelectorAll('strong')).to.have.length(1, 'final: an unclosed ** is text, as written');
    await expect(el).to.be.accessible();
    el.format = 'text';
    await until(el, () => !body().classList.contains('markdown'));
    expect(body().textContent).to.equal(
      '**Choosing a tool**\n\nThe user wants `retry` with [a link](javascript:window.__pwned=1) and **more',
    );
    expect(globalThis.__pwned).to.equal(undefined);
  });
});
