/**
 * `<token-stream>` for issue 14: each message's reasoning above its answer (streamed, collapsed once
 * the answer starts, text only) and a placeholder instead of an empty box before the first token.
 */
import './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/components/token-stream/define.ts';
import type { TokenStream } from '../../../src/components/token-stream/token-stream.ts';
import { renderMarkdown } from '../../../src/markdown/render-document.ts';
import { HOSTILE, expectFocusOn, fedRun, frame, part, parts, userScroll } from './helpers.ts';
import { expectReasoningFollowsItsEnd, expectReasoningOpenUnderSelection } from './stream-checks.ts';

async function settle(el: TokenStream): Promise<void> {
  await el.updateComplete;
  await frame();
  await el.updateComplete;
}

describe('<token-stream> reasoning and placeholder (issue 14)', () => {
  it('says "Thinking…" before the first token, not an empty box, and what else it waits for', async () => {
    const run = fedRun();
    const el = await fixture<TokenStream>(html`<token-stream .run=${run}></token-stream>`);
    await settle(el);
    const placeholder = part(el, 'placeholder');
    expect(placeholder.hidden).to.equal(false);
    expect(placeholder.textContent).to.equal('No response yet.');
    run.feed({ type: 'status', state: 'queued' });
    await settle(el);
    expect(placeholder.textContent).to.equal('Waiting for the run to start…');
    run.feed({ type: 'status', state: 'running' });
    await settle(el);
    expect(placeholder.textContent).to.equal('Thinking…');
    run.feed({ type: 'token', content: 'Hello', message_id: 'm1' });
    await settle(el);
    expect(placeholder.hidden).to.equal(true);
    expect(part(el, 'message').textContent).to.equal('Hello');
  });

  it('streams reasoning in a block above its answer, as text, then collapses it once the answer starts', async () => {
    const run = fedRun();
    const el = await fixture<TokenStream>(html`<token-stream .run=${run}></token-stream>`);
    run.feed({ type: 'status', state: 'running' }, { type: 'reasoning', content: 'Let me think ', message_id: 'm1' });
    await settle(el);
    const block = part(el, 'reasoning') as HTMLDetailsElement;
    expect(block.open).to.equal(true);
    expect(part(el, 'reasoning-summary').textContent).to.equal('Thinking…');
    expect(part(el, 'placeholder').hidden).to.equal(true, 'the reasoning is what shows');
    run.feed({ type: 'reasoning', content: `about {"json": true} and ${HOSTILE}`, message_id: 'm1' });
    await settle(el);
    expect(part(el, 'reasoning-text').textContent).to.equal(`Let me think about {"json": true} and ${HOSTILE}`);
    expect(el.shadowRoot!.querySelectorAll('img, script')).to.have.length(0);
    run.feed({ type: 'token', content: 'The answer.', message_id: 'm1' });
    await settle(el);
    expect(block.open).to.equal(false, 'collapsed once the answer started');
    expect(part(el, 'reasoning-summary').textContent).to.match(/^Thought for \d+ s$/);
    const content = part(el, 'content');
    // Each message sits in its turn (the frame with its actions); the reasoning goes above the turn.
    expect([...content.children].map((c) => c.getAttribute('part'))).to.deep.equal(['reasoning', 'turn']);
    // A second turn: its reasoning goes above its own answer.
    run.feed({ type: 'reasoning', content: 'Now the second.', message_id: 'm2' });
    run.feed({ type: 'token', content: 'Second answer.', message_id: 'm2' });
    await settle(el);
    const shown = (c: Element): string => {
      const inner = c.getAttribute('part') === 'turn' ? c.querySelector('[part="message"]') : c;
      return `${c.getAttribute('part')}:${(inner as HTMLElement | null)?.dataset['messageId']}`;
    };
    expect([...content.children].map(shown)).to.deep.equal(['reasoning:m1', 'turn:m1', 'reasoning:m2', 'turn:m2']);
    expect(globalThis.__pwned).to.equal(undefined);
  });

  it('leaves a block as the user set it, and opens it from the keyboard', async () => {
    const run = fedRun();
    const el = await fixture<TokenStream>(html`<token-stream .run=${run}></token-stream>`);
    run.feed({ type: 'status', state: 'running' }, { type: 'reasoning', content: 'Hmm.', message_id: 'm1' });
    await settle(el);
    const block = part(el, 'reasoning') as HTMLDetailsElement;
    part(el, 'reasoning-summary').focus();
    expectFocusOn(part(el, 'reasoning-summary'));
    await sendKeys({ press: 'Enter' });
    await frame();
    expect(block.open).to.equal(false, 'closed by the user');
    await sendKeys({ press: 'Enter' });
    await frame();
    expect(block.open).to.equal(true, 'opened again by the user');
    run.feed({ type: 'token', content: 'Answer.', message_id: 'm1' });
    await settle(el);
    expect(block.open).to.equal(true, 'the user opened it: it stays open');
  });

  it('does not collapse the reasoning under a reader: scrolled away from the end, it stays open until they are back', async () => {
    const run = fedRun();
    const el = await fixture<TokenStream>(
      html`<token-stream style="--aw-stream-max-height: 8rem" .run=${run}></token-stream>`,
    );
    const steps = Array.from({ length: 30 }, (_, i) => `Step ${i + 1}: weigh option ${i + 1}.`).join('\n');
    run.feed({ type: 'status', state: 'running' }, { type: 'reasoning', content: steps, message_id: 'm1' });
    await settle(el);
    const block = part(el, 'reasoning') as HTMLDetailsElement;
    const viewport = part(el, 'viewport');
    expect(viewport.scrollHeight).to.be.greaterThan(viewport.clientHeight * 2);
    // The user scrolls up to read the reasoning while the model still thinks.
    await userScroll(viewport, 40);
    await settle(el);
    expect(part(el, 'jump').hidden).to.equal(false, 'no longer following the end');
    const reading = part(el, 'reasoning-text');
    const top = reading.getBoundingClientRect().top;
    run.feed({ type: 'token', content: 'The answer.', message_id: 'm1' });
    await settle(el);
    expect(block.open).to.equal(true, 'left open while the user reads it');
    expect(reading.getBoundingClientRect().top).to.equal(top, 'what they read did not move');
    expect(part(el, 'reasoning-summary').textContent).to.match(/^Thought for \d+ s$/);
    // Back at the end by the jump button: now it collapses.
    part(el, 'jump').click();
    await settle(el);
    expect(block.open).to.equal(false, 'collapsed once the user is back at the end');
    // The next message's reasoning, read while its answer starts and the run ends; the user then
    // scrolls back to the end (no event comes any more): it collapses then.
    run.feed({ type: 'reasoning', content: steps, message_id: 'm2' });
    await settle(el);
    await userScroll(viewport, 40);
    await settle(el);
    run.feed({ type: 'token', content: 'Second answer.', message_id: 'm2' }, { type: 'status', state: 'done' });
    await settle(el);
    const second = parts(el, 'reasoning')[1] as HTMLDetailsElement;
    expect(second.open).to.equal(true, 'left open while the user reads');
    await userScroll(viewport, viewport.scrollHeight);
    await settle(el);
    expect(part(el, 'jump').hidden).to.equal(true, 'following again');
    expect(second.open).to.equal(false, 'collapsed once the user is back at the end');
  });

  it('keeps a reasoning block open while the user selects text in it, and collapses it once they are done', async () => {
    const run = fedRun();
    const el = await fixture<TokenStream>(html`<token-stream .run=${run}></token-stream>`);
    await expectReasoningOpenUnderSelection(el, run, () => settle(el));
  });

  it('shows the newest thoughts of a long reasoning: its box follows its end unless the user scrolled it', async () => {
    const run = fedRun();
    const el = await fixture<TokenStream>(html`<token-stream .run=${run}></token-stream>`);
    await expectReasoningFollowsItsEnd(el, run);
  });

  it('forgets where the user scrolled a reasoning box when another run is shown (same message id)', async () => {
    const run = fedRun();
    const el = await fixture<TokenStream>(html`<token-stream .run=${run}></token-stream>`);
    const steps = Array.from({ length: 40 }, (_, i) => `Thought ${i + 1}: weigh this option.`).join('\n');
    run.feed({ type: 'status', state: 'running' }, { type: 'reasoning', content: steps, message_id: 'm1' });
    await settle(el);
    await userScroll(part(el, 'reasoning-text'), 20);
    const next = fedRun('r2');
    el.run = next;
    await settle(el);
    next.feed({ type: 'status', state: 'running' }, { type: 'reasoning', content: steps, message_id: 'm1' });
    await settle(el);
    next.feed({ type: 'reasoning', content: '\nOne more thought.', message_id: 'm1' });
    await settle(el);
    const box = part(el, 'reasoning-text');
    expect(box.scrollHeight - box.scrollTop - box.clientHeight).to.be.lessThan(2, 'the new run’s box follows its end');
  });

  it('shows reasoning from a snapshot collapsed when its answer is there, and hides it with no-reasoning', async () => {
    const run = fedRun();
    run.feed(
      { type: 'reasoning', content: 'Earlier thoughts.', message_id: 'm1' },
      { type: 'token', content: 'Earlier answer.', message_id: 'm1' },
      { type: 'status', state: 'done' },
    );
    const el = await fixture<TokenStream>(html`<token-stream .run=${run}></token-stream>`);
    await settle(el);
    const block = part(el, 'reasoning') as HTMLDetailsElement;
    expect(block.open).to.equal(false);
    expect(part(el, 'reasoning-summary').textContent).to.equal('Reasoning');
    el.noReasoning = true;
    await settle(el);
    expect(parts(el, 'reasoning')).to.have.length(0);
    expect(part(el, 'message').textContent).to.equal('Earlier answer.');
  });

  it('with format="markdown", streams reasoning as markdown: a bold title, code and a list, never raw markers', async () => {
    // Loaded first, as in the markdown tests: the element waits for it before it draws.
    await import('../../../src/components/token-stream/markdown-message-view.ts');
    const run = fedRun();
    const el = await fixture<TokenStream>(html`<token-stream format="markdown" .run=${run}></token-stream>`);
    run.feed({ type: 'status', state: 'running' });
    await settle(el);
    // What a reasoning summary looks like (OpenAI's start with a bold title), with hostile parts.
    const thoughts = [
      '**Planning the retry**',
      '',
      'I should check `isTransient` first:',
      '',
      '- 5xx: retry with *full jitter*',
      '- 4xx: give up',
      '',
      `See [the docs](https://example.com/retry), not [this](javascript:window.__pwned=1) or ${HOSTILE}.`,
    ].join('\n');
    const raw: string[] = [];
    for (const [i, token] of thoughts.match(/\s*\S+|\s+$/g)!.entries()) {
      run.feed({ type: 'reasoning', content: token, message_id: 'm1' });
      await frame();
      // The element loads its markdown path when asked for it; on a busy machine the import can
      // outlast the first frames. The first thoughts show in the frame after it (never raw).
      for (let wait = 0; i === 0 && wait < 300 && parts(el, 'reasoning-text').length === 0; wait++) await frame();
      const shown = part(el, 'reasoning-text').textContent;
      if (/\*\*|`/.test(shown)) raw.push(`after ${JSON.stringify(token)}: ${JSON.stringify(shown.slice(-40))}`);
    }
    expect(raw, 'raw markers shown while the thoughts streamed').to.deep.equal([]);
    const body = part(el, 'reasoning-text');
    expect(body.classList.contains('markdown')).to.equal(true);
    expect(body.querySelector('strong')?.textContent).to.equal('Planning the retry');
    expect(body.querySelector('code')?.textContent).to.equal('isTransient');
    expect(body.querySelector('em')?.textContent).to.equal('full jitter');
    expect(body.querySelectorAll('li')).to.have.length(2);
    expect(part(el, 'reasoning-summary').textContent).to.equal('Thinking…');
    expect(getComputedStyle(body).whiteSpace, 'line breaks in a paragraph are not kept').to.equal('normal');

    run.feed({ type: 'token', content: 'The answer.', message_id: 'm1' });
    await settle(el);
    expect((part(el, 'reasoning') as HTMLDetailsElement).open).to.equal(false);
    // Final: what rendering the whole thoughts at once shows.
    const whole = renderMarkdown(thoughts);
    expect(body.childNodes.length).to.equal(whole.childNodes.length);
    expect([...body.childNodes].every((node, i) => node.isEqualNode(whole.childNodes[i]!))).to.equal(true);
    const links = [...body.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).to.deep.equal(['https://example.com/retry']);
    expect(el.shadowRoot!.querySelectorAll('img, script')).to.have.length(0);
    expect(globalThis.__pwned).to.equal(undefined);
    await expect(el).to.be.accessible();

    // Back to text: the same thoughts, as written.
    el.format = 'text';
    await settle(el);
    expect(part(el, 'reasoning-text').classList.contains('markdown')).to.equal(false);
    expect(part(el, 'reasoning-text').textContent).to.equal(thoughts);
  });

  it('is accessible while thinking and after', async () => {
    const run = fedRun();
    const el = await fixture<TokenStream>(html`<token-stream .run=${run}></token-stream>`);
    run.feed({ type: 'status', state: 'running' });
    await settle(el);
    await expect(el).to.be.accessible();
    run.feed({ type: 'reasoning', content: 'Thinking hard.' });
    await settle(el);
    await expect(el).to.be.accessible();
    run.feed({ type: 'token', content: 'Done.' }, { type: 'status', state: 'done' });
    await settle(el);
    await expect(el).to.be.accessible();
  });
});
