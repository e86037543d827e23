/**
 * `<agent-log>` loads the code of `<template data-tool>` renderers (tool-template.ts) with
 * `import()` the first time a log has such templates. Alone in its file, so the page starts
 * without it: the test sees the cold load. Nothing renders until the code is there, so a templated
 * tool never shows the default view first.
 */
import './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/components/agent-log/define.ts';
import type { AgentLog } from '../../../src/components/agent-log/agent-log.ts';
import { toolTemplates } from '../../../src/components/agent-log/tool-templates.ts';
import { fedRun, part } from './helpers.ts';

describe('<agent-log> template renderers, loaded on first use', () => {
  it('loads them only for a log with templates, and never shows a templated tool with the default view first', async () => {
    const plain = fedRun('p');
    plain.feed({ type: 'tool_call', call_id: 'w0', name: 'get_weather', args: { city: 'Oslo' } });
    const without = await fixture<AgentLog>(html`<agent-log .run=${plain}></agent-log>`);
    expect(part(without, 'tool-name').textContent).to.equal('get_weather');
    expect(toolTemplates()).to.equal(null, 'a log without templates loads no template code');

    const run = fedRun('r');
    run.feed({ type: 'tool_call', call_id: 'w1', name: 'get_weather', args: { city: 'Bergen' } });
    const el = document.createElement('agent-log');
    el.run = run;
    el.innerHTML = '<template data-tool="get_weather"><p class="city" data-field="args.city"></p></template>';
    document.body.append(el);
    // A tool row without its template's view is the default rendering: record any such render.
    let defaultShown = false;
    const root = el.shadowRoot!;
    const watcher = new MutationObserver(() => {
      if (root.querySelector('[part~="tool-name"]') && !root.querySelector('[part~="tool-view"]')) defaultShown = true;
    });
    watcher.observe(root, { childList: true, subtree: true });
    try {
      await el.updateComplete;
      expect(toolTemplates()).to.not.equal(null, 'updateComplete waits for the template code');
      expect(part(el, 'tool-template').querySelector('.city')!.textContent).to.equal('Bergen');
      expect(defaultShown).to.equal(false, 'the default view was never rendered');
    } finally {
      watcher.disconnect();
      el.remove();
    }
  });
});
