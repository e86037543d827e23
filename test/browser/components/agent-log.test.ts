import { ignoreResizeObserverLoopErrors, loopErrorsIgnored } from './setup.ts';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../../src/components/agent-log/define.ts';
import '../../../src/components/agent-run/define.ts';
import type { AgentRun } from '../../../src/components/agent-run/agent-run.ts';
import type { AgentLog } from '../../../src/components/agent-log/agent-log.ts';
import source from '../../../src/components/agent-log/agent-log.ts?raw';
import { mockServerUrl, startMockRun } from '../helpers/mock-server.ts';
import type { EventBody } from './helpers.ts';
import {
  HOSTILE,
  countReads,
  documentedParts,
  fedRun,
  frame,
  part,
  parts,
  renderedParts,
  storeUntil,
  userScroll,
  expectFocusOn,
  expectSameNode,
} from './helpers.ts';

/** Render, and let the virtualizer lay its rows out (it measures them over a few frames). */
async function settle(el: AgentLog): Promise<void> {
  await el.updateComplete;
  await frame();
  await frame();
  await el.updateComplete;
}

async function logFixture(run = fedRun()): Promise<{ el: AgentLog; run: typeof run }> {
  const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
  await settle(el);
  return { el, run };
}

const agentEvents: EventBody[] = [
  { type: 'status', state: 'running' },
  { type: 'step', name: 'planning', state: 'started' },
  { type: 'log', level: 'info', message: 'Task: add retries' },
  { type: 'log', level: 'debug', message: 'Plan: gather → test → deploy' },
  { type: 'tool_call', call_id: 'call_1', name: 'search_docs', args: { query: 'retry', limit: 5 } },
  { type: 'tool_result', call_id: 'call_1', summary: 'Found 3 relevant pages', ok: true },
  { type: 'log', level: 'warn', message: '2 deprecated API calls' },
  { type: 'need_input', prompt: 'Deploy to production? (yes/no)', resume_token: 'T1', choices: ['yes', 'no'] },
  { type: 'input_accepted', resume_token: 'T1' },
  { type: 'error', message: 'The compile tool crashed', code: 'tool_crashed' },
  { type: 'log', level: 'error', message: 'Out of memory' },
  { type: 'unknown', event_type: 'thinking', data: { text: 'Considering the options…' } },
  { type: 'step', name: 'planning', state: 'finished' },
];

/** Feed `events` one per task, as a live stream delivers them (each in a task of its own, many in a frame). */
async function feedOnePerTask(run: ReturnType<typeof fedRun>, events: EventBody[]): Promise<void> {
  const channel = new MessageChannel();
  await new Promise<void>((resolve) => {
    let i = 0;
    channel.port1.onmessage = () => {
      run.feed(events[i++]!);
      if (i < events.length) channel.port2.postMessage(0);
      else resolve();
    };
    channel.port2.postMessage(0);
  });
  channel.port1.close();
}

/** Resolve once the next frame is laid out and painted (a message posted from its callbacks arrives after both). */
async function paintedFrame(): Promise<void> {
  await frame();
  await new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(0);
  });
}

const rowKinds = (el: AgentLog) => parts(el, 'row').map((r) => r.dataset['kind']);
const textOf = (row: Element, name: string) => row.querySelector(`[part~="${name}"]`)?.textContent.trim();

describe('<agent-log> fed from a store', () => {
  // The virtualizer measures rows with a ResizeObserver; a long jump (the first render of many
  // rows, or to the end of 100,000) takes more than one pass, which Chromium reports as a benign
  // "ResizeObserver loop" window error (see @lit-labs/virtualizer's README and <agent-log>'s
  // JSDoc). Only that message is ignored; appending while following must raise none (checked).
  let restore: () => void;
  beforeEach(() => (restore = ignoreResizeObserverLoopErrors()));
  afterEach(() => restore());

  it('shows steps, tool calls with paired results, log lines by level, requests, errors and unknown events', async () => {
    const { el, run } = await logFixture();
    run.feed(...agentEvents);
    await settle(el);
    // One row per step (finished in place) and per request (answered in place).
    expect(rowKinds(el)).to.deep.equal(['step', 'log', 'log', 'tool', 'log', 'request', 'error', 'log', 'unknown']);
    const [step, info, debug, tool, warn, request, error, errorLine, unknown] = parts(el, 'row');
    expect(textOf(step!, 'text')).to.equal('planning');
    expect(textOf(step!, 'step-status')).to.equal('finished');
    expect(step!.dataset['status']).to.equal('finished');
    expect(
      info!.part.contains('level-info') && debug!.part.contains('level-debug') && warn!.part.contains('level-warn'),
    ).to.equal(true);
    expect(errorLine!.part.contains('level-error')).to.equal(true);
    expect(textOf(warn!, 'text')).to.equal('2 deprecated API calls');
    expect(textOf(tool!, 'tool-name')).to.equal('search_docs');
    expect(textOf(tool!, 'tool-status')).to.equal('done');
    expect(textOf(tool!, 'tool-result')).to.equal('Found 3 relevant pages');
    expect(textOf(tool!, 'tool-preview')).to.equal('{ "query": "retry", "limit": 5 }');
    expect(textOf(request!, 'label')).to.equal('Asked');
    expect(textOf(request!, 'text')).to.equal('Deploy to production? (yes/no)');
    expect(textOf(request!, 'answer')).to.equal(
      'Answered',
      'answered by someone else: the server did not say with what',
    );
    expect(request!.dataset['status']).to.equal('answered');
    expect(textOf(error!, 'text')).to.equal('The compile tool crashed');
    expect(textOf(error!, 'detail')).to.equal('tool_crashed');
    expect(textOf(unknown!, 'label')).to.equal('thinking');
    expect(JSON.parse(textOf(unknown!, 'raw')!)).to.deep.equal({ text: 'Considering the options…' });
  });

  it('updates a running tool call in place when its result arrives', async () => {
    const { el, run } = await logFixture();
    run.feed({ type: 'tool_call', call_id: 'c1', name: 'run_tests', args: { suite: 'unit' } });
    await settle(el);
    const row = part(el, 'tool');
    expect(textOf(row, 'tool-status')).to.equal('running…');
    run.feed({ type: 'tool_result', call_id: 'c1', summary: '1 failed', ok: false });
    await settle(el);
    expect(parts(el, 'row').length).to.equal(1);
    expectSameNode(part(el, 'tool'), row, 'the same row element');
    expect(textOf(row, 'tool-status')).to.equal('failed');
    expect(part(el, 'tool-status').dataset['status']).to.equal('failed');
    expect(textOf(row, 'tool-result')).to.equal('1 failed');
  });

  it('expands and collapses tool arguments from the keyboard, and keeps them expanded', async () => {
    const { el, run } = await logFixture();
    run.feed({ type: 'tool_call', call_id: 'c1', name: 'search', args: { query: 'x' } });
    await settle(el);
    expect(parts(el, 'tool-args').length).to.equal(0);
    const summary = part(el, 'tool-summary');
    summary.focus();
    expectFocusOn(summary);
    let toggled = oneEvent(part(el, 'tool-details'), 'toggle');
    await sendKeys({ press: 'Enter' });
    await toggled;
    await el.updateComplete;
    expect(JSON.parse(part(el, 'tool-args').textContent)).to.deep.equal({ query: 'x' });
    run.feed({ type: 'log', level: 'info', message: 'later' });
    await settle(el);
    expect(parts(el, 'tool-args').length).to.equal(1, 'still expanded after other rows arrive');
    summary.focus();
    toggled = oneEvent(part(el, 'tool-details'), 'toggle');
    await sendKeys({ press: 'Space' });
    await toggled;
    await el.updateComplete;
    expect(parts(el, 'tool-args').length).to.equal(0);
  });

  it('shows client errors (malformed frames) as error rows', async () => {
    const { el, run } = await logFixture();
    run.store.reportError({ code: 'malformed_json', message: 'A frame was not valid JSON' });
    await settle(el);
    const row = part(el, 'error');
    expect(textOf(row, 'label')).to.equal('Stream error');
    expect(textOf(row, 'text')).to.equal('A frame was not valid JSON');
    expect(textOf(row, 'detail')).to.equal('malformed_json');
  });

  it('shows untrusted names, arguments, messages and unknown data as text', async () => {
    const { el, run } = await logFixture();
    run.feed(
      { type: 'step', name: HOSTILE },
      { type: 'log', level: 'info', message: HOSTILE },
      { type: 'tool_call', call_id: 'c1', name: HOSTILE, args: { html: HOSTILE } },
      { type: 'tool_result', call_id: 'c1', summary: HOSTILE },
      { type: 'error', message: HOSTILE, code: HOSTILE },
      { type: 'need_input', prompt: HOSTILE, resume_token: 'T', choices: [HOSTILE] },
      { type: 'unknown', event_type: HOSTILE, data: HOSTILE },
    );
    await settle(el);
    part(el, 'tool-summary').click();
    await oneEvent(part(el, 'tool-details'), 'toggle');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('img, script').length).to.equal(0);
    const texts = parts(el, 'row').map((r) => r.textContent);
    expect(texts.every((t) => t.includes(HOSTILE))).to.equal(true);
    expect(part(el, 'tool-args').textContent).to.include(JSON.stringify(HOSTILE).slice(1, -1));
    expect(globalThis.__pwned).to.equal(undefined);
  });

  it('renders only the rows in view of 100,000 entries, reading only their entries; an appended entry reads and renders only what is new', async () => {
    const { run, reads } = countReads(fedRun(), '$log');
    const { el } = await logFixture(run);
    const many: EventBody[] = [];
    for (let i = 0; i < 100_000; i++)
      many.push({ type: 'log', level: i % 10 === 0 ? 'warn' : 'info', message: `Line ${i}` });
    reads.count = 0;
    run.feed(...many);
    await settle(el);
    const inView = parts(el, 'row').length;
    expect(inView).to.be.within(1, 200, 'only the rows in view are rendered');
    // The store indexes the rows as events are applied (store.rows); the element reads only the
    // entries of the rows it renders, however long the log.
    expect(reads.count).to.be.within(1, 2 * inView + 10, `the first render reads the rows in view (${inView})`);
    expect(run.store.rows.count).to.equal(100_000);
    const last = () => parts(el, 'row').at(-1)?.querySelector('[part~="text"]')?.textContent;
    expect(last()).to.equal('Line 99999', 'following the end');

    // One entry per frame, as a live run delivers them. What a frame costs is counted, not timed
    // (speed is the benchmarks' job): log entries read, rows created, rows touched.
    const list = part(el, 'list');
    let records: MutationRecord[] = [];
    const observer = new MutationObserver((found) => records.push(...found));
    observer.observe(list, { childList: true, subtree: true, characterData: true, attributes: true });
    const rowOf = (node: Node): Element | null =>
      (node instanceof Element ? node : node.parentElement)?.closest('[part~="row"]') ?? null;
    const frames: { reads: number; created: number; touched: number }[] = [];
    const loopErrorsBefore = loopErrorsIgnored();
    for (let i = 0; i < 30; i++) {
      reads.count = 0;
      records = [];
      run.feed({ type: 'log', level: 'info', message: `More ${i}` });
      await frame();
      records.push(...observer.takeRecords());
      const created = records.reduce(
        (n, r) => n + [...r.addedNodes].filter((a) => a instanceof Element && a.matches('[part~="row"]')).length,
        0,
      );
      const touched = new Set(records.map((r) => rowOf(r.target)).filter((row) => row !== null)).size;
      frames.push({ reads: reads.count, created, touched });
    }
    observer.disconnect();
    await settle(el);
    expect(loopErrorsIgnored() - loopErrorsBefore).to.equal(
      0,
      'following the end, an appended entry raises no "ResizeObserver loop" error',
    );
    expect(last()).to.equal('More 29');
    expect(parts(el, 'row').length).to.be.within(1, 200);
    const worst = (key: keyof (typeof frames)[number]) => Math.max(...frames.map((f) => f[key]));
    const figures = JSON.stringify(frames.slice(0, 3));
    // Bounds independent of the log's size (100,000 entries):
    expect(worst('reads')).to.be.at.most(8, `log entries read per frame for one new entry: ${figures}`);
    expect(worst('created')).to.be.at.most(4, `rows created per frame: ${figures}`);
    expect(worst('touched')).to.be.at.most(inView + 4, `rows changed per frame (${inView} in view): ${figures}`);
  });

  it('draws a long log with its newest row in view in the first frame after it is attached, never an empty one', async () => {
    // A snapshot of a long run, then the log attached: the frame after it must show the end. The
    // virtualizer placed the newest row below the view in its first pass and emptied its range once
    // it measured the rows (range -1..-1), so the log was painted empty for two frames.
    const run = fedRun();
    const many: EventBody[] = [];
    for (let i = 0; i < 20_000; i++) many.push({ type: 'log', level: 'info', message: `Line ${i}` });
    run.feed(...many);
    const container = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement('agent-log');
    el.run = run;
    container.append(el);
    await paintedFrame();
    const rows = parts(el, 'row');
    expect(rows.length).to.be.within(1, 200, 'rows are drawn in the first frame');
    const newest = rows.find((row) => textOf(row, 'text') === 'Line 19999');
    expect(newest, 'the newest row is drawn in the first frame').to.not.equal(undefined);
    const view = part(el, 'list').getBoundingClientRect();
    const box = newest!.getBoundingClientRect();
    expect([box.top >= view.top - 1, box.bottom <= view.bottom + 1]).to.deep.equal(
      [true, true],
      `the newest row (${box.top}–${box.bottom}) lies inside the view (${view.top}–${view.bottom})`,
    );
    // Little more than the rows in view is drawn in that first frame (the 1,000 px overhang, 31 more rows, waits).
    const outside = rows.filter((row) => {
      const r = row.getBoundingClientRect();
      return r.bottom <= view.top + 1 || r.top >= view.bottom - 1;
    });
    expect(outside.length).to.be.below(
      12,
      `rows drawn outside the view in the first frame: ${outside.length} of ${rows.length}`,
    );
    await settle(el);
    expect(parts(el, 'row').at(-1)?.querySelector('[part~="text"]')?.textContent).to.equal('Line 19999');
    // Then the rows above the view are rendered ahead of a scroll.
    const above = parts(el, 'row').filter((row) => row.getBoundingClientRect().bottom <= view.top + 1);
    expect(above.length).to.be.above(10, 'rows above the view are rendered once the log is on screen');
  });

  it('keeps the newest row in view in every frame while it measures its rows, when they are shorter than estimated', async () => {
    // Steps, log lines and tool calls with results: measured, their rows average less than the
    // estimate, so the layout's scroll size shrinks twice in the frames after the first. The
    // layout kept its end pinned but scrolled by the shrink as well, after the browser had already
    // clamped the scroll position to the smaller size: the view landed 29,560 px, then 5,251 px
    // above the end, and two painted frames showed no row at all.
    const run = fedRun();
    const many: EventBody[] = [];
    let calls = 0;
    for (let n = 1; n <= 100_000; n++) {
      const kind = n % 10;
      if (kind === 1) many.push({ type: 'step', name: `step #${n}`, state: 'started' });
      else if (kind === 0) many.push({ type: 'step', name: `step #${n}`, state: 'finished' });
      else if (kind === 4)
        many.push({ type: 'tool_call', call_id: `call_${++calls}`, name: 'search_docs', args: { query: `q #${n}` } });
      else if (kind === 5)
        many.push({ type: 'tool_result', call_id: `call_${calls}`, summary: `Found #${n}`, ok: true });
      else many.push({ type: 'log', level: 'info', message: `Line #${n}` });
    }
    run.feed(...many);
    const container = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement('agent-log');
    el.run = run;
    container.append(el);
    const seen: string[] = [];
    for (let i = 0; i < 8; i++) {
      await paintedFrame();
      const view = part(el, 'list').getBoundingClientRect();
      const newest = parts(el, 'row').find((row) => textOf(row, 'text') === 'step #100000');
      const box = newest?.getBoundingClientRect();
      seen.push(box ? `${Math.round(box.top - view.top)}` : 'none');
    }
    const inView = (top: string) => top !== 'none' && Number(top) >= -1 && Number(top) <= part(el, 'list').clientHeight;
    expect(seen.every(inView), `the newest row's top in the view, frame by frame: ${seen.join(', ')}`).to.equal(true);
  });

  it('renders entries that arrive one per task once per frame, and its list keeps only the rows in view', async () => {
    const { el, run } = await logFixture();
    const lines = (from: number, count: number): EventBody[] =>
      Array.from({ length: count }, (_, i) => ({ type: 'log', level: 'info', message: `Line ${from + i}` }) as const);
    run.feed(...lines(0, 1_000));
    await settle(el);
    const list = part(el, 'list');
    const last = () => parts(el, 'row').at(-1)?.querySelector('[part~="text"]')?.textContent;

    // DOM work comes in frames: a few mutation deliveries per frame (the update, the virtualizer
    // measuring the new rows), not some per entry (there were two per entry when every entry
    // caused an update). Frames are counted, not timed: a slow machine only loosens the bound.
    const entries = 300;
    let deliveries = 0;
    const observer = new MutationObserver(() => deliveries++);
    observer.observe(list, { childList: true, subtree: true, characterData: true, attributes: true });
    let frames = 0;
    let counting = true;
    const count = (): void => {
      if (!counting) return;
      frames++;
      requestAnimationFrame(count);
    };
    requestAnimationFrame(count);
    await feedOnePerTask(run, lines(1_000, entries));
    await frame();
    await frame();
    counting = false;
    observer.disconnect();
    expect(deliveries).to.be.at.most(
      4 * frames,
      `${deliveries} DOM mutation deliveries for ${entries} entries in ${frames} frames`,
    );
    await settle(el);
    expect(last()).to.equal(`Line ${1_000 + entries - 1}`, 'following the end');

    // Rows scrolled out of range leave nothing behind: each row and its part's two markers, Lit's
    // anchor of the list, two whitespace text nodes and the virtualizer's sizer (see sweep-markers.ts).
    const rows = parts(el, 'row').length;
    expect(rows).to.be.within(1, 200);
    expect(list.childNodes.length).to.be.at.most(
      3 * rows + 4,
      `child nodes of the list, ${rows} rows in it, after ${1_000 + entries} entries`,
    );
  });

  it('follows the end, stops when the user scrolls up, and jumps back with the button', async () => {
    const { el, run } = await logFixture();
    el.style.setProperty('--aw-log-height', '10rem');
    const lines: EventBody[] = [];
    for (let i = 0; i < 200; i++) lines.push({ type: 'log', level: 'info', message: `Line ${i}` });
    run.feed(...lines);
    await settle(el);
    const list = part(el, 'list');
    const atEnd = () => list.scrollHeight - list.scrollTop - list.clientHeight < 2;
    expect(atEnd()).to.equal(true);
    const jump = part(el, 'jump', HTMLButtonElement);
    expect(jump.hidden).to.equal(true);
    expect(list.getAttribute('aria-live')).to.equal('polite');

    await userScroll(list, 0);
    await el.updateComplete;
    expect(jump.hidden).to.equal(false);
    expect(list.getAttribute('aria-live')).to.equal('off', 'rows scrolled into view are not announced');
    run.feed({ type: 'log', level: 'info', message: 'New' });
    await settle(el);
    expect(list.scrollTop).to.equal(0, 'new rows do not pull the user down');

    jump.click();
    await settle(el);
    expect(atEnd()).to.equal(true);
    expect(jump.hidden).to.equal(true);
    expectFocusOn(list);
  });

  it('has role=log with a name, and is keyboard scrollable', async () => {
    const { el } = await logFixture();
    const list = part(el, 'list');
    expect(list.getAttribute('role')).to.equal('log');
    expect(list.getAttribute('aria-label')).to.equal('Agent log');
    expect(list.tabIndex).to.equal(0);
    expect(part(el, 'empty').textContent).to.equal('No activity yet.');
  });

  it('has every documented part', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(
      html`<agent-log .run=${run}>
        <template data-tool="templated"><p data-field="name"></p></template>
      </agent-log>`,
    );
    await settle(el);
    const found = new Set<string>(renderedParts(el)); // "empty" is only there before the first entry
    el.renderers = {
      custom: (call) => html`<p>${call.name}</p>`,
      broken: () => {
        throw new Error('boom');
      },
    };
    el.addEventListener('tool-render-error', (e) => e.stopPropagation());
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'reasoning', content: 'Thinking.' },
      ...agentEvents,
      { type: 'tool_result', call_id: 'unseen', summary: 'orphan' },
      { type: 'input_accepted', resume_token: 'never-asked' },
      { type: 'step', name: 'group', state: 'started' },
      { type: 'tool_call', call_id: 'x1', name: 'custom', args: {} },
      { type: 'tool_call', call_id: 'x2', name: 'templated', args: {} },
      { type: 'tool_call', call_id: 'x3', name: 'broken', args: {} },
      { type: 'tool_call', call_id: 'x4', name: 'plain', args: { a: 1 } },
      { type: 'tool_result', call_id: 'x4', summary: 'ok', result: { b: 2 } },
      { type: 'need_input', prompt: 'Go?', resume_token: 'W', kind: 'approval', tool_call_id: 'x4' },
    );
    el.style.setProperty('--aw-log-height', '60rem');
    await settle(el);
    parts(el, 'tool-summary').forEach((summary) => summary.click());
    await settle(el);
    for (const name of renderedParts(el)) found.add(name);
    part(el, 'group-toggle').click();
    await settle(el);
    for (const name of renderedParts(el)) found.add(name);
    part(el, 'group-toggle').click();
    await settle(el);
    el.style.setProperty('--aw-log-height', '4rem');
    await settle(el);
    await userScroll(part(el, 'list'), 0);
    await settle(el);
    for (const name of renderedParts(el)) found.add(name);
    run.feed({ type: 'log', level: 'info', message: 'x' });
    part(el, 'jump').click();
    await settle(el);
    for (const name of renderedParts(el)) found.add(name);
    run.feed({ type: 'done', state: 'completed', result: { ok: true } });
    await settle(el);
    for (const name of renderedParts(el)) found.add(name);
    try {
      await emulateMedia({ media: 'print' });
      await settle(el);
      for (const name of renderedParts(el)) found.add(name);
    } finally {
      await emulateMedia({ media: 'screen' });
    }
    const documented = documentedParts(source);
    expect(documented.length).to.be.greaterThan(40);
    expect([...found]).to.include.members(
      documented,
      `not rendered: ${documented.filter((p) => !found.has(p)).join(', ')}`,
    );
  });

  it('starts over when given another run', async () => {
    const { el, run } = await logFixture();
    run.feed({ type: 'log', level: 'info', message: 'old' });
    await settle(el);
    const other = fedRun('r2');
    other.feed({ type: 'log', level: 'info', message: 'new' });
    el.run = other;
    await settle(el);
    expect(parts(el, 'row').map((r) => textOf(r, 'text'))).to.deep.equal(['new']);
  });

  it('is accessible', async () => {
    const { el, run } = await logFixture();
    await expect(el).to.be.accessible();
    run.feed(...agentEvents);
    await settle(el);
    part(el, 'tool-summary').click();
    await oneEvent(part(el, 'tool-details'), 'toggle');
    await settle(el);
    await expect(el).to.be.accessible();
  });
});

describe('<agent-log> through <agent-run> against the mock server', () => {
  let restore: () => void;
  beforeEach(() => (restore = ignoreResizeObserverLoopErrors()));
  afterEach(() => restore());

  it('shows a failing run: the tool call and its failed result, the error line and the error', async () => {
    const runId = await startMockRun({ scenario: 'failing', speed: 0 });
    const wrapper = await fixture<AgentRun>(
      html`<agent-run base-url=${await mockServerUrl()} run-id=${runId} transport="hybrid">
        <agent-log></agent-log>
      </agent-run>`,
    );
    const el = wrapper.querySelector('agent-log')!;
    await storeUntil(wrapper.handle!.store.$status, (s) => s === 'failed');
    await settle(el);
    expect(rowKinds(el)).to.deep.equal(['step', 'log', 'tool', 'log', 'error', 'end']);
    expect(part(el, 'step').dataset['status']).to.equal('failed', 'the step the run failed in (it never finished it)');
    expect(part(el, 'end').dataset['status']).to.equal('failed');
    expect(textOf(part(el, 'end'), 'text')).to.match(/^Failed: ./, 'the reason, from the run’s error');
    const tool = part(el, 'tool');
    expect(textOf(tool, 'tool-name')).to.equal('compile');
    expect(textOf(tool, 'tool-status')).to.equal('failed');
    expect(textOf(tool, 'tool-result')).to.equal('Process exited with code 137');
    expect(textOf(part(el, 'error'), 'detail')).to.equal('tool_crashed');
  });

  it('shows events of unknown types raw', async () => {
    const runId = await startMockRun({ scenario: 'unknown-events', speed: 0 });
    const wrapper = await fixture<AgentRun>(
      html`<agent-run base-url=${await mockServerUrl()} run-id=${runId} transport="poll">
        <agent-log></agent-log>
      </agent-run>`,
    );
    const el = wrapper.querySelector('agent-log')!;
    await storeUntil(wrapper.handle!.store.$status, (s) => s === 'done');
    await settle(el);
    const unknown = parts(el, 'unknown');
    expect(unknown.map((r) => textOf(r, 'label'))).to.deep.equal(['thinking', 'citation']);
    expect(JSON.parse(textOf(unknown[1]!, 'raw')!)).to.include({ url: 'https://example.invalid/doc', title: 'Docs' });
  });
});
