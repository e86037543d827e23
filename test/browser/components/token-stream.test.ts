import './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/components/agent-run/define.ts';
import '../../../src/components/token-stream/define.ts';
import type { AgentRun } from '../../../src/components/agent-run/agent-run.ts';
import type { TokenStream } from '../../../src/components/token-stream/token-stream.ts';
import source from '../../../src/components/token-stream/token-stream.ts?raw';
import { messageText } from '../../../src/store/index.ts';
import { mockServerUrl, startMockRun } from '../helpers/mock-server.ts';
import { BLOCK_MAX } from '../../../src/components/token-stream/text-cursor.ts';
import {
  HOSTILE,
  countReads,
  documentedParts,
  fedRun,
  frame,
  nextEvent,
  part,
  parts,
  renderedParts,
  scrolledUntil,
  storeUntil,
  userScroll,
  expectFocusOn,
  expectSameNode,
} from './helpers.ts';

const tok = (content: string, message_id = 'm1') => ({ type: 'token', content, message_id }) as const;

async function streamFixture(run = fedRun()): Promise<{ el: TokenStream; run: typeof run }> {
  const el = await fixture<TokenStream>(html`<token-stream .run=${run}></token-stream>`);
  await frame();
  return { el, run };
}

/** The block (a child of a message) that holds `node`, or null above the blocks. */
function blockOf(node: Node): Element | null {
  for (let e = node instanceof Element ? node : node.parentElement; e; e = e.parentElement)
    if (e.parentElement?.matches('[part~="message"]')) return e;
  return null;
}

/** Count elements added to the live region from now on. */
function countAnnouncements(el: TokenStream): { readonly count: number; readonly texts: string[] } {
  const region = el.shadowRoot!.querySelector('[aria-live]')!;
  const texts: string[] = [];
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) texts.push(n.textContent ?? '');
  }).observe(region, { childList: true, subtree: true, characterData: true });
  return {
    get count() {
      return texts.length;
    },
    texts,
  };
}

describe('<token-stream> fed from a store', () => {
  it('appends streamed text per frame without replacing what is shown', async () => {
    const { el, run } = await streamFixture();
    run.feed({ type: 'status', state: 'running' }, tok('Hello'));
    await frame();
    const message = part(el, 'message');
    const firstText = message.firstChild;
    expect(message.textContent).to.equal('Hello');
    run.feed(tok(','), tok(' world'));
    await frame();
    expect(message.textContent).to.equal('Hello, world');
    expectSameNode(part(el, 'message'), message, 'the message element is kept');
    expectSameNode(message.firstChild, firstText, 'the text is extended in place, not replaced');
  });

  it('batches many tokens into one DOM write per frame', async () => {
    const { el, run } = await streamFixture();
    run.feed({ type: 'status', state: 'running' });
    await frame();
    const content = part(el, 'content');
    let mutations = 0;
    const observer = new MutationObserver((records) => (mutations += records.length));
    observer.observe(content, { childList: true, subtree: true, characterData: true });
    for (let i = 0; i < 500; i++) run.feed(tok(` t${i}`));
    await frame();
    observer.disconnect();
    expect(part(el, 'message').textContent).to.have.length.greaterThan(2000);
    expect(mutations).to.be.lessThan(12, `500 tokens took ${mutations} DOM mutations`);
  });

  it('does O(new text) work per frame on a 100,000-token text: reads only the new chunks, writes only the last block', async () => {
    const { run, reads } = countReads(fedRun(), '$text');
    const { el } = await streamFixture(run);
    const many = [];
    for (let i = 0; i < 100_000; i++) many.push(tok(i % 17 === 16 ? ' word.' : ' word'));
    run.feed({ type: 'status', state: 'running' }, ...many);
    await frame();
    const expected = many.reduce((n, t) => n + t.content.length, 0);
    const message = part(el, 'message');
    expect(message.textContent.length).to.equal(expected);
    const blocks = [...message.children].map((b) => b.textContent.length);
    expect(blocks.length).to.be.greaterThan(100, 'laid out in blocks');
    expect(Math.max(...blocks)).to.be.at.most(
      BLOCK_MAX,
      'every block is bounded (a block is laid out whole when it grows)',
    );

    // One token per frame, as a live run delivers them. What a frame costs is counted, not timed
    // (speed is the benchmarks' job): store items read, DOM mutations, characters laid out again.
    let records: MutationRecord[] = [];
    const observer = new MutationObserver((found) => records.push(...found));
    observer.observe(part(el, 'content'), { childList: true, subtree: true, characterData: true });
    const frames: { reads: number; mutations: number; relaid: number }[] = [];
    for (let i = 0; i < 30; i++) {
      reads.count = 0;
      records = [];
      run.feed(tok(' more'));
      await frame();
      records.push(...observer.takeRecords());
      // Characters the browser lays out again: the whole block of every change (a block is laid out whole).
      const blocks = new Set<Node>();
      for (const record of records) {
        const block = blockOf(record.target);
        if (block) blocks.add(block);
        else for (const node of record.addedNodes) blocks.add(node);
      }
      const relaid = [...blocks].reduce((n, block) => n + (block.textContent?.length ?? 0), 0);
      frames.push({ reads: reads.count, mutations: records.length, relaid });
    }
    observer.disconnect();
    expect(message.textContent.length).to.equal(expected + 30 * ' more'.length);
    const worst = (key: keyof (typeof frames)[number]) => Math.max(...frames.map((f) => f[key]));
    const figures = JSON.stringify(frames.slice(0, 3));
    // Bounds independent of the text's size (100,000 chunks, ~500,000 characters):
    expect(worst('reads')).to.be.at.most(8, `chunks read per frame for one new chunk: ${figures}`);
    expect(worst('mutations')).to.be.at.most(3, `DOM mutations per frame: ${figures}`);
    expect(worst('relaid')).to.be.at.most(2 * BLOCK_MAX, `characters of the blocks changed per frame: ${figures}`);
  });

  it('shows a caret while streaming and sets aria-busy; neither once the run ends', async () => {
    const { el, run } = await streamFixture();
    run.feed({ type: 'status', state: 'running' }, tok('Hi'));
    await frame();
    await el.updateComplete;
    const viewport = part(el, 'viewport');
    expect(viewport.getAttribute('aria-busy')).to.equal('true');
    expect(el.streaming).to.equal(true);
    expect(el.hasAttribute('streaming')).to.equal(true);
    const caret = part(el, 'caret');
    expect(part(el, 'message').contains(caret)).to.equal(true, 'the caret sits in the newest message');
    expect(caret.nextSibling === null && caret.previousSibling?.textContent === 'Hi').to.equal(
      true,
      'right after the text',
    );
    expect(caret.getAttribute('aria-hidden')).to.equal('true');
    run.feed({ type: 'done', state: 'completed' });
    await frame();
    await el.updateComplete;
    expect(viewport.getAttribute('aria-busy')).to.equal('false');
    expect(parts(el, 'caret').length).to.equal(0);
  });

  it('keeps the caret steady while text arrives and blinks it once the text rests', async () => {
    const { el, run } = await streamFixture();
    run.feed({ type: 'status', state: 'running' }, tok('Hi'));
    await frame();
    const caret = part(el, 'caret');
    const blink = (): string => getComputedStyle(caret).animationName;
    expect(caret.hasAttribute('data-steady')).to.equal(true);
    expect(blink()).to.equal('none', 'no blink while text arrives');
    // More text before it rested keeps it steady (the timer is pushed back, not restarted per frame).
    run.feed(tok(' there'));
    await frame();
    expect(caret.hasAttribute('data-steady')).to.equal(true);
    // Once no text came for CARET_REST_MS the caret blinks again: wait for that change, not a time.
    await new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => {
        if (caret.hasAttribute('data-steady')) return;
        observer.disconnect();
        resolve();
      });
      observer.observe(caret, { attributes: true, attributeFilter: ['data-steady'] });
    });
    expect(blink()).to.equal(matchMedia('(prefers-reduced-motion: reduce)').matches ? 'none' : 'aw-blink');
    // Text again: steady again.
    run.feed(tok('!'));
    await frame();
    expect(caret.hasAttribute('data-steady')).to.equal(true);
    expect(caret.previousSibling?.textContent).to.equal('Hi there!');
  });

  it('shows one part per message, in order', async () => {
    const { el, run } = await streamFixture();
    run.feed({ type: 'status', state: 'running' }, tok('First.'), tok('Second.', 'm2'), tok(' More first.'));
    await frame();
    const messages = parts(el, 'message');
    expect(messages.map((m) => m.dataset['messageId'])).to.deep.equal(['m1', 'm2']);
    expect(messages.map((m) => m.textContent)).to.deep.equal(['First. More first.', 'Second.']);
  });

  it('announces each completed message exactly once, politely, never token by token', async () => {
    const { el, run } = await streamFixture();
    const announced = countAnnouncements(el);
    const region = el.shadowRoot!.querySelector('[aria-live]')!;
    expect(region.getAttribute('aria-live')).to.equal('polite');
    expect(part(el, 'viewport').hasAttribute('aria-live')).to.equal(false);
    run.feed({ type: 'status', state: 'running' });
    for (const word of ['The ', 'plan ', 'is ', 'ready.']) {
      run.feed(tok(word));
      await frame();
    }
    expect(announced.count).to.equal(0, 'nothing is read while the message streams');
    const completed = nextEvent(el, 'message-complete');
    run.feed({ type: 'need_input', prompt: 'Go?', resume_token: 'T1' });
    const event = await completed;
    expect(event.messageId).to.equal('m1');
    expect(event.text).to.equal('The plan is ready.');
    await frame();
    expect(announced.texts).to.deep.equal(['The plan is ready.']);

    run.feed(
      { type: 'input_accepted', resume_token: 'T1' },
      { type: 'status', state: 'running' },
      tok('Deployed', 'm2'),
      tok(' 1.2.', 'm2'),
    );
    await frame();
    run.feed(tok(' Done.', 'm2'), { type: 'status', state: 'done' }, { type: 'done', state: 'completed' });
    await frame();
    await frame();
    expect(announced.texts).to.deep.equal(['The plan is ready.', 'Deployed 1.2. Done.']);
  });

  it('does not announce text that was there before it was shown', async () => {
    const run = fedRun();
    run.feed({ type: 'status', state: 'running' }, tok('Earlier text.'), { type: 'done', state: 'completed' });
    const { el } = await streamFixture(run);
    const announced = countAnnouncements(el);
    await frame();
    expect(part(el, 'message').textContent).to.equal('Earlier text.');
    expect(announced.count).to.equal(0);
  });

  it('shows untrusted tokens as text and creates no element from them', async () => {
    const { el, run } = await streamFixture();
    run.feed({ type: 'status', state: 'running' }, tok(HOSTILE), tok(HOSTILE, `<b id="x">`), {
      type: 'done',
      state: 'completed',
    });
    await frame();
    const messages = parts(el, 'message');
    expect(messages.map((m) => m.textContent)).to.deep.equal([HOSTILE, HOSTILE]);
    expect(messages[1]!.dataset['messageId']).to.equal('<b id="x">');
    const created = messages.flatMap((m) => [...m.querySelectorAll('*')].map((e) => e.localName));
    expect(new Set(created)).to.deep.equal(new Set(['div']), "only the element's own blocks");
    expect(el.shadowRoot!.querySelectorAll('img, script, b').length).to.equal(0);
    expect(globalThis.__pwned).to.equal(undefined);
  });

  it('follows the end, stops when the user scrolls up, and jumps back with the button', async () => {
    const { el, run } = await streamFixture();
    el.style.setProperty('--aw-stream-max-height', '6rem');
    run.feed({ type: 'status', state: 'running' });
    for (let i = 0; i < 40; i++) run.feed(tok(`Line ${i}\n`));
    await frame();
    await el.updateComplete;
    const viewport = part(el, 'viewport');
    const atEnd = () => viewport.scrollHeight - viewport.scrollTop - viewport.clientHeight < 2;
    expect(viewport.scrollHeight).to.be.greaterThan(viewport.clientHeight);
    expect(atEnd()).to.equal(true);
    const jump = part(el, 'jump', HTMLButtonElement);
    expect(jump.hidden).to.equal(true);

    await userScroll(viewport, 0);
    await el.updateComplete;
    expect(jump.hidden).to.equal(false);
    run.feed(tok('More\n'));
    await frame();
    expect(viewport.scrollTop).to.equal(0, 'new text does not pull the user down');

    jump.click();
    await el.updateComplete;
    expect(atEnd()).to.equal(true);
    expect(jump.hidden).to.equal(true);
    expectFocusOn(viewport, 'focus goes to the text, not lost with the hidden button');
    run.feed(tok('Even more\n'));
    await frame();
    expect(atEnd()).to.equal(true);
  });

  it('is keyboard scrollable: Home leaves the end (and stops following), End comes back', async () => {
    const { el, run } = await streamFixture();
    el.label = 'Agent answer';
    el.style.setProperty('--aw-stream-max-height', '5rem');
    run.feed({ type: 'status', state: 'running' });
    for (let i = 0; i < 30; i++) run.feed(tok(`Line ${i}\n`));
    await frame();
    await el.updateComplete;
    const viewport = part(el, 'viewport');
    expect(viewport.tabIndex).to.equal(0);
    expect(viewport.getAttribute('role')).to.equal('region');
    expect(viewport.getAttribute('aria-label')).to.equal('Agent answer');
    viewport.focus();
    // Keyboard scrolling may be animated: wait until it arrives.
    const atTop = scrolledUntil(viewport, (v) => v.scrollTop === 0);
    await sendKeys({ press: 'Home' });
    await atTop;
    await el.updateComplete;
    expect(part(el, 'jump', HTMLButtonElement).hidden).to.equal(false);
    const atEnd = scrolledUntil(viewport, (v) => v.scrollHeight - v.scrollTop - v.clientHeight < 2);
    await sendKeys({ press: 'End' });
    await atEnd;
    await el.updateComplete;
    expect(part(el, 'jump', HTMLButtonElement).hidden).to.equal(true, 'back at the end: following again');
  });

  it('has every documented part', async () => {
    const { el, run } = await streamFixture();
    el.style.setProperty('--aw-stream-max-height', '3rem');
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'reasoning', content: 'First, think.' },
      { type: 'message', message_id: 'u1', role: 'user', content: 'Hi' },
    );
    for (let i = 0; i < 20; i++) run.feed(tok(`Line ${i}\n`));
    await frame();
    // Parts documented as "Markdown: …" appear with format="markdown" (token-stream-markdown.test.ts);
    // `history` holds a conversation's earlier runs (run-composer.test.ts); `send-error` is a refused
    // message's (run-composer-turns.test.ts); `user-template` a template's clone (token-stream-user-turns.test.ts).
    const elsewhere = ['history', 'send-error', 'user-template'];
    const markdownParts = new Set([...source.matchAll(/@csspart\s+([\w-]+)\s+-\s+Markdown:/g)].map((m) => m[1]));
    const documented = documentedParts(source).filter((name) => !markdownParts.has(name) && !elsewhere.includes(name));
    expect(documented).to.include.members(['base', 'viewport', 'content', 'message', 'caret', 'jump']);
    expect([...renderedParts(el)]).to.include.members(documented);
  });

  it('says after the text why a run failed or was stopped, and nothing after a done run', async () => {
    const ending = (el: TokenStream) => {
      const line = part(el, 'ending');
      return line.hidden ? null : line.textContent;
    };
    const failed = await streamFixture();
    failed.run.feed({ type: 'status', state: 'running' }, tok('Scanning'));
    await frame();
    expect(ending(failed.el), 'while it runs').to.equal(null);
    failed.run.feed({ type: 'error', message: 'disk full' }, { type: 'done', state: 'failed' });
    await frame();
    expect(ending(failed.el)).to.equal('Failed: disk full');
    expect(part(failed.el, 'content').textContent).to.equal('Scanning', 'the text stays as it was');
    await expect(failed.el).to.be.accessible();
    const stopped = await streamFixture(fedRun('r2'));
    stopped.run.feed({ type: 'status', state: 'running' }, { type: 'done', state: 'cancelled' });
    await frame();
    expect(ending(stopped.el)).to.equal('Stopped before it finished');
    const done = await streamFixture(fedRun('r3'));
    done.run.feed({ type: 'status', state: 'running' }, tok('All good'), { type: 'done', state: 'completed' });
    await frame();
    expect(ending(done.el)).to.equal(null);
  });

  it('starts over when given another run', async () => {
    const { el, run } = await streamFixture();
    run.feed({ type: 'status', state: 'running' }, tok('Old run'));
    await frame();
    const other = fedRun('r2');
    other.feed({ type: 'status', state: 'running' }, tok('New run'));
    el.run = other;
    await el.updateComplete;
    await frame();
    expect(parts(el, 'message').map((m) => m.textContent)).to.deep.equal(['New run']);
  });

  it('is accessible while streaming and when done', async () => {
    const { el, run } = await streamFixture();
    run.feed({ type: 'status', state: 'running' }, tok('Some streamed text.'));
    await frame();
    await expect(el).to.be.accessible();
    run.feed({ type: 'done', state: 'completed' });
    await frame();
    await expect(el).to.be.accessible();
  });
});

describe('<token-stream> through <agent-run> against the mock server', () => {
  it("shows a real run's text exactly once, in order, and announces the message once", async () => {
    const runId = await startMockRun({ scenario: 'quick', speed: 0 });
    const wrapper = await fixture<AgentRun>(
      html`<agent-run base-url=${await mockServerUrl()} run-id=${runId} transport="websocket">
        <token-stream></token-stream>
      </agent-run>`,
    );
    const el = wrapper.querySelector('token-stream')!;
    const announced = countAnnouncements(el);
    const completed = nextEvent(el, 'message-complete');
    const store = wrapper.handle!.store;
    await storeUntil(store.$status, (s) => s === 'done');
    const event = await completed;
    await frame();
    const expected = messageText(store.$text.get(), 'm1');
    expect(expected.length).to.be.greaterThan(20);
    expect(parts(el, 'message').map((m) => m.textContent)).to.deep.equal([expected]);
    expect(event.text).to.equal(expected);
    expect(announced.texts).to.deep.equal([expected.trim()]);
    expect(parts(el, 'caret').length).to.equal(0);
  });

  it("streams the agent scenario's explanation, then stops the caret while it waits for approval", async () => {
    const runId = await startMockRun({ scenario: 'agent', speed: 0 });
    const wrapper = await fixture<AgentRun>(
      html`<agent-run base-url=${await mockServerUrl()} run-id=${runId} transport="sse">
        <token-stream></token-stream>
      </agent-run>`,
    );
    const el = wrapper.querySelector('token-stream')!;
    await storeUntil(wrapper.handle!.store.$status, (s) => s === 'waiting');
    await frame();
    await el.updateComplete;
    expect(part(el, 'message').textContent).to.match(/^I will wrap the upload call in a retry loop/);
    expect(el.streaming).to.equal(false);
    expect(part(el, 'viewport').getAttribute('aria-busy')).to.equal('false');
    expect(parts(el, 'caret').length).to.equal(0);
  });
});
