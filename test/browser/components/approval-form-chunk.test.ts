/**
 * `<approval-prompt>` loads its form path (schema-form-chunk.ts) with `import()` the first time a
 * request carries a response_schema. Alone in its file, so the page starts without it: the test
 * sees the cold load. The request arrives whole, with its form, announced and offered once; the
 * requests already shown are not disturbed while it loads.
 */
import './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/components/approval-prompt/define.ts';
import type { ApprovalPrompt } from '../../../src/components/approval-prompt/approval-prompt.ts';
import { schemaForms } from '../../../src/components/approval-prompt/schema-forms.ts';
import { expectFocusOn, fedRun, nextEvent, part, parts } from './helpers.ts';

describe('<approval-prompt> form path, loaded on first use', () => {
  it('is not loaded until a request carries a schema; then that request shows with its form, announced once', async () => {
    const run = fedRun('r1');
    const el = await fixture<ApprovalPrompt>(html`<approval-prompt .run=${run}></approval-prompt>`);
    run.feed({ type: 'status', state: 'running' }, { type: 'need_input', prompt: 'Which branch?', resume_token: 'A' });
    await el.updateComplete;
    expect(schemaForms()).to.equal(null, 'a text request needs no form code');
    const first = part(el, 'input');
    expectFocusOn(first, 'the text request took focus');

    const offered: string[] = [];
    el.addEventListener('approval-request', (e) => offered.push(e.request.resume_token));
    const shown = nextEvent(el, 'approval-request');
    run.feed({
      type: 'need_input',
      prompt: 'Deploy settings',
      resume_token: 'F',
      response_schema: { type: 'object', required: ['replicas'], properties: { replicas: { type: 'integer' } } },
    });
    await el.updateComplete;
    expect(schemaForms()).to.not.equal(null, 'updateComplete waits for the form path');
    expect((await shown).request.resume_token).to.equal('F');
    expect(parts(el, 'request').map((c) => c.dataset['kind'])).to.deep.equal(['text', 'form']);
    expect(parts(el, 'field-label').map((l) => l.textContent.replace(/\s+/g, ' ').trim())).to.deep.equal(['Replicas*']);
    expect(part(el, 'announcer').textContent).to.equal('Input needed (2 open): Deploy settings');
    expectFocusOn(first, 'the user was typing in the first request: focus stays there');
    await el.updateComplete;
    expect(offered).to.deep.equal(['F'], 'offered once');
    // Axe measures contrast with the current opacity: let the cards' entrance animation end.
    await Promise.all(el.shadowRoot!.getAnimations().map((a) => a.finished));
    await expect(el).to.be.accessible();
  });
});
