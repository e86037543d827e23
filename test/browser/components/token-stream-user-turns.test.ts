/**
 * Custom user turns in `<token-stream>`: a `<template data-role="user">` child (text-only fields,
 * its code loaded on first use, its styles applied inside) and the `renderUserTurn` property
 * (wins over the template; null keeps the default). Hostile text stays text. In a conversation
 * against the mock server, the template draws the message being sent and a refused one with its error.
 */
import './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/components/define.ts';
import type { AgentRun } from '../../../src/components/agent-run/agent-run.ts';
import type { RunComposer } from '../../../src/components/run-composer/run-composer.ts';
import type { TokenStream } from '../../../src/components/token-stream/token-stream.ts';
import type { UserTurnData } from '../../../src/components/token-stream/user-turn-view.ts';
import { mockServerUrl } from '../helpers/mock-server.ts';
import { ended } from './chat-page.ts';
import { fedRun, frame, HOSTILE, nextEvent, part, parts } from './helpers.ts';

/** Frames until `check` holds (the test's timeout bounds it). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await frame();
}

const TEMPLATE = html`<template data-role="user">
  <style>
    .who {
      font-weight: 700;
    }
  </style>
  <div class="bubble">
    <span class="who">You</span>
    <p class="said" data-field="text"></p>
    <p class="why" data-if="error" data-field="error"></p>
  </div>
</template>`;

const filled = (el: TokenStream): HTMLElement | null =>
  el.shadowRoot!.querySelector<HTMLElement>('[part~="user-message"] [part~="user-template"]');

describe('<token-stream>: custom user turns', () => {
  afterEach(() => {
    delete window.__pwned;
  });

  it('<template data-role="user"> draws each user message, text only, styled by the template; the rest is unchanged', async () => {
    const run = fedRun();
    const el = await fixture<TokenStream>(html`<token-stream .run=${run}>${TEMPLATE}</token-stream>`);
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'message', message_id: 'u1', role: 'user', content: `${HOSTILE} hi` },
      { type: 'token', message_id: 'm1', content: 'Hello back' },
    );
    await until(() => filled(el) !== null && el.shadowRoot!.querySelector('[part~="message"]') !== null);
    const clone = filled(el)!;
    expect(clone.dataset['status']).to.equal('shown');
    expect(clone.querySelector('.said')!.textContent).to.equal(`${HOSTILE} hi`);
    expect(clone.querySelectorAll('img, script')).to.have.length(0);
    expect(window.__pwned).to.equal(undefined);
    expect(clone.querySelector<HTMLElement>('.why')!.hidden).to.equal(true, 'data-if: no error');
    expect(getComputedStyle(clone.querySelector('.who')!).fontWeight).to.equal('700');
    const userTurn = parts(el, 'turn').find((t) => t.dataset['role'] === 'user')!;
    expect(userTurn.querySelector('[part~="copy-message"]')).to.not.equal(null, 'the turn keeps its actions');
    expect(part(el, 'message').textContent).to.equal('Hello back', 'assistant text is streamed as before');
    await expect(el).to.be.accessible();

    // A change of the template draws the messages again.
    const template = el.querySelector('template')!;
    template.content.querySelector('.who')!.textContent = 'Me';
    template.setAttribute('data-changed', '');
    await until(() => filled(el)?.querySelector('.who')?.textContent === 'Me');
    expect(parts(el, 'user-message')).to.have.length(1);
  });

  it('renderUserTurn wins over the template; returning null keeps the default text', async () => {
    const run = fedRun();
    const seen: UserTurnData[] = [];
    const el = await fixture<TokenStream>(
      html`<token-stream
        .run=${run}
        .renderUserTurn=${(turn: UserTurnData) => {
          seen.push(turn);
          const strong = document.createElement('strong');
          strong.className = 'mine';
          strong.textContent = `${turn.status}: ${turn.text}`;
          return strong;
        }}
        >${TEMPLATE}</token-stream
      >`,
    );
    run.feed({ type: 'message', message_id: 'u1', role: 'user', content: 'Ship it' });
    await until(() => el.shadowRoot!.querySelector('.mine') !== null);
    expect(el.shadowRoot!.querySelector('.mine')!.textContent).to.equal('shown: Ship it');
    expect(filled(el)).to.equal(null);
    expect(seen.at(-1)).to.deep.equal({ messageId: 'u1', runId: 'r1', status: 'shown', error: '', text: 'Ship it' });

    el.renderUserTurn = () => null;
    await until(() => el.shadowRoot!.querySelector('.mine') === null && part(el, 'user-message').textContent !== '');
    expect(part(el, 'user-message').textContent).to.equal('Ship it');
  });

  it('in a conversation: the template draws the message being sent, and a refused one with its error', async () => {
    const page = await fixture<HTMLDivElement>(
      html`<div>
        <agent-run base-url=${await mockServerUrl()} .body=${{ scenario: 'chat', speed: 0 }}>
          <token-stream>${TEMPLATE}</token-stream>
          <run-composer></run-composer>
        </agent-run>
      </div>`,
    );
    const agent = page.querySelector<AgentRun>('agent-run')!;
    const stream = page.querySelector<TokenStream>('token-stream')!;
    const composer = page.querySelector<RunComposer>('run-composer')!;
    await composer.updateComplete;
    composer.addEventListener('before-send', (e) => (e.body = { scenario: 'no-such-scenario' }), { once: true });
    const settled = nextEvent(composer, 'send-settle');
    part(composer, 'input').focus();
    await sendKeys({ type: 'Fix the upload' });
    await sendKeys({ press: 'Enter' });
    await settled;
    await until(() => filled(stream)?.dataset['status'] === 'failed');
    const failed = filled(stream)!;
    expect(failed.querySelector('.said')!.textContent).to.equal('Fix the upload');
    expect(failed.querySelector<HTMLElement>('.why')!.hidden).to.equal(false);
    expect(failed.querySelector('.why')!.textContent).to.match(/no-such-scenario/);

    const started = nextEvent(agent, 'run-start');
    await sendKeys({ press: 'Enter' });
    await ended((await started).run);
    await until(() => filled(stream)?.dataset['status'] === 'shown');
    expect(parts(stream, 'user-template').map((t) => t.dataset['status'])).to.deep.equal(['shown']);
    await expect(stream).to.be.accessible();
  });
});
