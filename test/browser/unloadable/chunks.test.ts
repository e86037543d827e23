/**
 * The elements' code loaded on first use, when it cannot be loaded: a chunk gone after a deploy,
 * or a blocked request (here the dev server answers 404 for it, and `import()` rejects). Nothing
 * is lost: `<token-stream>` shows its messages as text instead of waiting for the markdown path,
 * a user message without its template's code is shown as text, `<agent-log>` keeps its text, and
 * no promise is left rejected unhandled. In a test group of its own (`unloadable`), so its browser
 * has never loaded these chunks and keeps no copy of them, and no other test sees them fail.
 */
import { ignoreResizeObserverLoopErrors } from '../components/setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../../src/components/token-stream/define.ts';
import '../../../src/components/agent-log/define.ts';
import type { TokenStream } from '../../../src/components/token-stream/token-stream.ts';
import type { AgentLog } from '../../../src/components/agent-log/agent-log.ts';
import { fedRun, frame, nextEvent, part, parts } from '../components/helpers.ts';

const FAILING = [
  '/src/components/token-stream/markdown-message-view.ts',
  '/src/components/token-stream/user-template.ts',
  '/src/components/agent-log/markdown-text.ts',
];

/** Wait frame by frame until `check` holds (the failed load settles on its own schedule). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await frame();
}

describe('code loaded on first use that cannot be loaded', () => {
  const unhandled: unknown[] = [];
  const onRejection = (event: PromiseRejectionEvent): void => {
    unhandled.push(event.reason);
  };
  before(async () => {
    await executeServerCommand('fail-modules', FAILING);
    window.addEventListener('unhandledrejection', onRejection);
  });
  after(async () => {
    window.removeEventListener('unhandledrejection', onRejection);
    await executeServerCommand('fail-modules', []);
  });
  afterEach(() => expect(unhandled).to.deep.equal([], 'no unhandled rejection'));

  it('<token-stream format="markdown"> shows the answer as text, whole, and announces it once', async () => {
    const run = fedRun();
    const el = await fixture<TokenStream>(html`<token-stream format="markdown" .run=${run}></token-stream>`);
    const complete = nextEvent(el, 'message-complete');
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'token', content: 'Use **retries** with', message_id: 'm1' },
      { type: 'token', content: ' `backoff`.', message_id: 'm1' },
    );
    await until(() => el.shadowRoot!.querySelector('[part~="message"]') !== null);
    expect(part(el, 'message').textContent).to.equal('Use **retries** with `backoff`.');
    run.feed({ type: 'token', content: ' Then ship.', message_id: 'm1' }, { type: 'done', state: 'completed' });
    expect((await complete).text).to.equal('Use **retries** with `backoff`. Then ship.');
    await until(() => part(el, 'message').textContent === 'Use **retries** with `backoff`. Then ship.');
    expect(el.shadowRoot!.querySelector('strong, code')).to.equal(null, 'text, not a half-loaded markdown view');
  });

  it('<token-stream> shows a user message as text when its template code cannot be loaded', async () => {
    const run = fedRun();
    const el = await fixture<TokenStream>(
      html`<token-stream .run=${run}
        ><template data-role="user"><p data-field="text"></p></template
      ></token-stream>`,
    );
    run.feed(
      { type: 'message', message_id: 'u1', role: 'user', content: 'Ship it' },
      { type: 'token', content: 'Shipping.', message_id: 'm1' },
    );
    await until(() => el.shadowRoot!.querySelector('[part~="user-message"]') !== null);
    expect(part(el, 'user-message').textContent.trim()).to.equal('Ship it');
    await until(() => el.shadowRoot!.querySelector('[part~="message"]') !== null);
    expect(part(el, 'message').textContent).to.equal('Shipping.');
  });

  it('<agent-log format="markdown"> keeps showing messages and summaries as text', async () => {
    const restore = ignoreResizeObserverLoopErrors();
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log format="markdown" .run=${run}></agent-log>`);
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'log', level: 'info', message: 'Read **3** files' },
      { type: 'tool_call', call_id: 'c1', name: 'search', args: {} },
      { type: 'tool_result', call_id: 'c1', summary: 'Found `retry()`', ok: true },
    );
    await until(() => parts(el, 'row').length >= 2);
    // Several updates after the failure: each renders text, none loads again or rejects.
    for (let i = 0; i < 3; i++) {
      run.feed({ type: 'log', level: 'debug', message: `update ${i}` });
      await el.updateComplete;
      await frame();
    }
    const texts = parts(el, 'row').map((row) => row.textContent.replace(/\s+/g, ' '));
    expect(texts.some((t) => t.includes('Read **3** files'))).to.equal(true, texts.join(' | '));
    expect(texts.some((t) => t.includes('Found `retry()`'))).to.equal(true, texts.join(' | '));
    expect(el.shadowRoot!.querySelector('[part~="row"] strong')).to.equal(null);
    restore();
  });
});
