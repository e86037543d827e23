/**
 * `<agent-log>` for issue 14: tool calls streamed and rendered by renderers of your own (a
 * function, or a `<template data-tool>`), step groups, the level filter, times and durations,
 * copy buttons, requests tied to tool calls, automatic approvals, reasoning, true empty states
 * and printing.
 */
import { ignoreResizeObserverLoopErrors } from './setup.ts';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../../src/components/agent-log/define.ts';
import '../../../src/components/approval-prompt/define.ts';
import '../../../src/components/agent-run/define.ts';
import type { AgentRun } from '../../../src/components/agent-run/agent-run.ts';
import type { AgentLog } from '../../../src/components/agent-log/agent-log.ts';
import type { ToolView } from '../../../src/components/agent-log/row-view.ts';
import { charactersPushed } from '../../shared/count-reads.ts';
import type { EventBody } from './helpers.ts';
import {
  expectBoxFollowsItsEnd,
  expectReasoningFollowsItsEnd,
  expectReasoningOpenUnderSelection,
} from './stream-checks.ts';
import {
  HOSTILE,
  copiedWithoutClipboard,
  expectFocusOn,
  fedRun,
  frame,
  nextEvent,
  part,
  parts,
  userScroll,
} from './helpers.ts';

async function settle(el: AgentLog): Promise<void> {
  await el.updateComplete;
  await frame();
  await frame();
  await el.updateComplete;
}

const textOf = (row: Element, name: string) => row.querySelector(`[part~="${name}"]`)?.textContent.trim();
const rowKinds = (el: AgentLog) => parts(el, 'row').map((r) => r.dataset['kind']);
/**
 * How often JSON.stringify wrote a value holding `content` whole (no replacer: a preview's cuts it
 * short) while `during` ran.
 */
async function wholeJsonWrites(content: string, during: () => Promise<void>): Promise<number> {
  const stringify = JSON.stringify;
  let written = 0;
  JSON.stringify = ((
    value: unknown,
    ...rest: Parameters<typeof JSON.stringify> extends [unknown, ...infer R] ? R : never
  ) => {
    if ((value as { content?: unknown } | null)?.content === content && (rest[0] === undefined || rest[0] === null))
      written++;
    return stringify(value, ...rest);
  }) as typeof JSON.stringify;
  try {
    await during();
  } finally {
    JSON.stringify = stringify;
  }
  return written;
}

const at = (ms: number) => new Date(Date.UTC(2030, 0, 1, 12, 0, 0) + ms).toISOString();

describe('<agent-log> tool calls, renderers and groups (issue 14)', () => {
  let restore: () => void;
  beforeEach(() => (restore = ignoreResizeObserverLoopErrors()));
  afterEach(() => restore());

  it('shows a tool call while its arguments stream (parsed leniently), then completed and answered, in one row', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'tool_call_delta', call_id: 'c1', name: 'search_docs', delta: '{"query": "retry ba', at: at(0) },
    );
    await settle(el);
    const row = part(el, 'tool');
    expect(textOf(row, 'tool-status')).to.equal('receiving…');
    expect(row.dataset['status']).to.equal('streaming');
    expect(textOf(row, 'tool-preview')).to.equal('{ "query": "retry ba" }');
    run.feed({ type: 'tool_call_delta', call_id: 'c1', delta: 'ckoff", "limit": 5}' });
    run.feed({ type: 'tool_call', call_id: 'c1', name: 'search_docs', args: { query: 'retry backoff', limit: 5 } });
    await settle(el);
    expect(part(el, 'tool')).to.equal(row, 'the same row element');
    expect(textOf(row, 'tool-status')).to.equal('running…');
    run.feed({
      type: 'tool_result',
      call_id: 'c1',
      summary: 'Found 2 pages',
      ok: true,
      result: { hits: [{ title: 'Backoff' }, { title: 'Jitter' }] },
      at: at(1500),
    });
    await settle(el);
    expect(parts(el, 'row')).to.have.length(1);
    expect(textOf(row, 'tool-status')).to.equal('done');
    expect(textOf(row, 'duration')).to.equal('1.5 s', 'from the server times');
    expect(row.querySelector('time')!.getAttribute('datetime')).to.equal(at(0));
    part(el, 'tool-summary').click();
    await oneEvent(part(el, 'tool-details'), 'toggle');
    await el.updateComplete;
    expect(JSON.parse(part(el, 'tool-args').textContent)).to.deep.equal({ query: 'retry backoff', limit: 5 });
    expect(JSON.parse(part(el, 'tool-result-data').textContent)).to.deep.equal({
      hits: [{ title: 'Backoff' }, { title: 'Jitter' }],
    });
  });

  it('gives rows the time this page received them when the server sends none', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    const before = Date.now();
    run.feed({ type: 'log', level: 'info', message: 'no server time' });
    await settle(el);
    const stamp = Date.parse(part(el, 'time').getAttribute('datetime')!);
    expect(stamp).to.be.within(before, Date.now());
  });

  it('renders a tool with a renderer function (Lit template or Node), given streamed args, status, result and duration', async () => {
    const run = fedRun();
    const seen: ToolView[] = [];
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    el.renderers = {
      search_docs: (call) => {
        seen.push(call);
        const args = call.args as { query?: string } | undefined;
        const hits = (call.result as { hits?: string[] } | undefined)?.hits ?? [];
        return html`<p class="card">
          <b>${args?.query ?? ''}</b> <span class="state">${call.status}</span>
          <span class="hits">${hits.join(', ')}</span>
        </p>`;
      },
      weather: (call) => Object.assign(document.createElement('p'), { className: 'node', textContent: call.name }),
    };
    run.feed(
      { type: 'tool_call_delta', call_id: 'c1', name: 'search_docs', delta: '{"query": "jit' },
      { type: 'tool_call', call_id: 'c2', name: 'weather', args: {} },
      { type: 'tool_call', call_id: 'c3', name: 'other', args: { a: 1 } },
      { type: 'tool_result', call_id: 'c3', summary: 'default rendering' },
    );
    await settle(el);
    const [search, weather, other] = parts(el, 'tool');
    expect(search!.querySelector('.card b')!.textContent).to.equal('jit');
    expect(search!.querySelector('.state')!.textContent).to.equal('streaming');
    expect(weather!.querySelector('p.node')!.textContent).to.equal('weather');
    expect(other!.querySelector('[part~="tool-view"]')).to.equal(null);
    expect(textOf(other!, 'tool-result')).to.equal('default rendering');
    run.feed(
      { type: 'tool_call_delta', call_id: 'c1', delta: 'ter"}' },
      { type: 'tool_call', call_id: 'c1', name: 'search_docs', args: { query: HOSTILE } },
      { type: 'tool_result', call_id: 'c1', summary: '2 hits', result: { hits: ['a', 'b'] } },
    );
    await settle(el);
    expect(search!.querySelector('.card b')!.textContent).to.equal(HOSTILE, 'a Lit template keeps data as text');
    expect(search!.querySelector('.state')!.textContent).to.equal('done');
    expect(search!.querySelector('.hits')!.textContent).to.equal('a, b');
    const last = seen.at(-1)!;
    expect(last.result).to.deep.equal({ hits: ['a', 'b'] });
    expect(last.durationMs).to.be.a('number');
    expect(el.shadowRoot!.querySelectorAll('img, script').length).to.equal(0);
    const calls = seen.length;
    run.feed({ type: 'log', level: 'info', message: 'unrelated' });
    await settle(el);
    expect(seen.length).to.equal(calls, 'a renderer runs again only when its call changed');
  });

  it("uses the run's renderers (run.$renderers, or <agent-run renderers>) in every log under the run; a log's own win per tool", async () => {
    const run = fedRun();
    run.$renderers.set({
      search_docs: (call) => html`<p class="shared">shared ${call.name}</p>`,
      weather: (call) => html`<p class="shared">shared ${call.name}</p>`,
    });
    const agentRun = await fixture<AgentRun>(html`
      <agent-run .run=${run}>
        <agent-log id="plain"></agent-log>
        <agent-log
          id="own"
          .renderers=${{ weather: (call: ToolView) => html`<p class="own">own ${call.name}</p>` }}
        ></agent-log>
      </agent-run>
    `);
    const plain = agentRun.querySelector<AgentLog>('#plain')!;
    const own = agentRun.querySelector<AgentLog>('#own')!;
    run.feed(
      { type: 'tool_call', call_id: 'c1', name: 'search_docs', args: { query: 'q' } },
      { type: 'tool_call', call_id: 'c2', name: 'weather', args: {} },
      { type: 'tool_call', call_id: 'c3', name: 'other', args: {} },
    );
    await settle(plain);
    await settle(own);
    const views = (el: AgentLog) =>
      parts(el, 'tool').map((row) => row.querySelector('p.shared, p.own')?.className ?? 'default');
    expect(views(plain)).to.deep.equal(['shared', 'shared', 'default']);
    expect(views(own)).to.deep.equal(['shared', 'own', 'default'], "the log's own renderer wins for weather only");
    // Changing the run's renderers renders again.
    run.$renderers.set({ other: (call) => html`<p class="shared">shared ${call.name}</p>` });
    await settle(plain);
    await settle(own);
    expect(views(plain)).to.deep.equal(['default', 'default', 'shared']);
    expect(views(own)).to.deep.equal(['default', 'own', 'shared']);
    // <agent-run renderers> sets them on the run it provides.
    const fromElement = { search_docs: (call: ToolView) => html`<p class="shared">element ${call.name}</p>` };
    agentRun.renderers = fromElement;
    await agentRun.updateComplete;
    expect(run.$renderers.get()).to.equal(fromElement);
    await settle(plain);
    expect(views(plain)).to.deep.equal(['shared', 'default', 'default']);
    expect(parts(plain, 'tool')[0]!.textContent).to.contain('element search_docs');
    await expect(plain).to.be.accessible();
  });

  it('renders a tool from a <template data-tool> with text only: fields, lists, conditions, its styles', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(
      html`<agent-log .run=${run}>
        <template data-tool="get_weather">
          <style>
            .city {
              color: rgb(1, 2, 3);
            }
          </style>
          <p class="city" data-field="args.city"></p>
          <ul data-each="result.days">
            <li data-field="."></li>
          </ul>
          <p class="done" data-if="result">Forecast ready</p>
        </template>
      </agent-log>`,
    );
    run.feed({ type: 'tool_call', call_id: 'w1', name: 'get_weather', args: { city: HOSTILE } });
    await settle(el);
    const view = part(el, 'tool-template');
    expect(view.dataset['status']).to.equal('running');
    expect(view.querySelector('.city')!.textContent).to.equal(HOSTILE);
    expect(getComputedStyle(view.querySelector('.city')!).color).to.equal('rgb(1, 2, 3)');
    expect(view.querySelector<HTMLElement>('.done')!.hidden).to.equal(true);
    expect(view.querySelectorAll('li')).to.have.length(0);
    run.feed({ type: 'tool_result', call_id: 'w1', summary: '', result: { days: ['Sun', HOSTILE, 'Rain'] } });
    await settle(el);
    expect(part(el, 'tool-template')).to.equal(view, 'filled in place');
    expect([...view.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal(['Sun', HOSTILE, 'Rain']);
    expect(view.querySelector<HTMLElement>('.done')!.hidden).to.equal(false);
    expect(view.dataset['status']).to.equal('done');
    expect(el.shadowRoot!.querySelectorAll('img, script').length).to.equal(0);
    expect(globalThis.__pwned).to.equal(undefined);
  });

  it('falls back to the default rendering when a renderer throws, and says so', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    el.renderers = {
      broken: () => {
        throw new Error('boom');
      },
    };
    const failed = nextEvent(el, 'tool-render-error');
    run.feed({ type: 'tool_call', call_id: 'b1', name: 'broken', args: {} });
    const event = await failed;
    expect(event.call.name).to.equal('broken');
    await settle(el);
    expect(part(el, 'render-error').textContent).to.include('failed');
    expect(textOf(part(el, 'tool'), 'tool-name')).to.equal('broken');
  });

  it('groups a step with its rows; the group collapses and expands from the keyboard', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    run.feed(
      { type: 'step', name: 'gather', state: 'started', at: at(0) },
      { type: 'tool_call', call_id: 'c1', name: 'search', args: {} },
      { type: 'log', level: 'info', message: 'inside' },
      { type: 'step', name: 'gather', state: 'finished', at: at(2000) },
      { type: 'log', level: 'info', message: 'after' },
    );
    await settle(el);
    expect(rowKinds(el)).to.deep.equal(['step', 'tool', 'log', 'log']);
    const step = part(el, 'step');
    expect(textOf(step, 'duration')).to.equal('2.0 s');
    expect(parts(el, 'row').map((r) => r.style.getPropertyValue('--_depth').trim())).to.deep.equal([
      '0',
      '1',
      '1',
      '0',
    ]);
    const toggle = part(el, 'group-toggle', HTMLButtonElement);
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await settle(el);
    expect(rowKinds(el)).to.deep.equal(['step', 'log']);
    expect(textOf(part(el, 'step'), 'hidden-count')).to.equal('2 entries hidden');
    const again = part(el, 'group-toggle', HTMLButtonElement);
    expect(again.getAttribute('aria-expanded')).to.equal('false');
    expectFocusOn(again, 'focus stays on the toggle');
    await sendKeys({ press: 'Space' });
    await settle(el);
    expect(rowKinds(el)).to.deep.equal(['step', 'tool', 'log', 'log']);
  });

  it('counts the rows that arrive in a collapsed step while it runs', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    run.feed({ type: 'step', name: 'gather', state: 'started' }, { type: 'log', level: 'info', message: 'one' });
    await settle(el);
    part(el, 'group-toggle', HTMLButtonElement).click();
    await settle(el);
    expect(textOf(part(el, 'step'), 'hidden-count')).to.equal('1 entry hidden');
    run.feed(
      { type: 'log', level: 'info', message: 'two' },
      { type: 'tool_call', call_id: 'c1', name: 'search', args: {} },
    );
    await settle(el);
    expect(rowKinds(el)).to.deep.equal(['step']);
    expect(textOf(part(el, 'step'), 'hidden-count')).to.equal('3 entries hidden', 'counted as they arrive');
  });

  it('filters log lines by level from the keyboard; steps, tools, requests and errors stay', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    run.feed(
      { type: 'log', level: 'debug', message: 'd' },
      { type: 'log', level: 'info', message: 'i' },
      { type: 'tool_call', call_id: 'c1', name: 't', args: {} },
      { type: 'log', level: 'warn', message: 'w' },
      { type: 'error', message: 'e' },
      { type: 'log', level: 'error', message: 'x' },
    );
    await settle(el);
    expect(parts(el, 'row')).to.have.length(6);
    const select = part(el, 'level-filter', HTMLSelectElement);
    select.focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await settle(el);
    expect(el.level).to.equal('warn');
    expect(el.getAttribute('level')).to.equal('warn');
    expect(parts(el, 'row').map((r) => textOf(r, 'text') ?? textOf(r, 'tool-name'))).to.deep.equal([
      't',
      'w',
      'e',
      'x',
    ]);
    run.feed({ type: 'log', level: 'info', message: 'hidden' }, { type: 'log', level: 'error', message: 'shown' });
    await settle(el);
    expect(parts(el, 'row').map((r) => textOf(r, 'text') ?? textOf(r, 'tool-name'))).to.deep.equal([
      't',
      'w',
      'e',
      'x',
      'shown',
    ]);
    el.level = 'debug';
    await settle(el);
    expect(parts(el, 'row')).to.have.length(8);
  });

  /** A log with one answered call, opened from the keyboard: the log and the call's two copy buttons. */
  async function openedCall(): Promise<{ el: AgentLog; buttons: HTMLButtonElement[] }> {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    run.feed(
      { type: 'tool_call', call_id: 'c1', name: 'search', args: { q: 'x' } },
      { type: 'tool_result', call_id: 'c1', summary: 'ok', result: { n: 1 } },
    );
    await settle(el);
    part(el, 'tool-summary').focus();
    await sendKeys({ press: 'Enter' });
    await settle(el);
    const buttons = parts<HTMLButtonElement>(el, 'copy');
    expect(buttons.map((b) => b.textContent.trim())).to.deep.equal(['Copy arguments', 'Copy result']);
    return { el, buttons };
  }

  /** Press each button with Enter: focus stays on it. */
  async function pressEach(el: AgentLog, buttons: HTMLButtonElement[]): Promise<void> {
    for (const button of buttons) {
      button.focus();
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      await frame();
      expectFocusOn(button, `focus after ${button.textContent.trim()}`);
    }
  }

  it('copies a call’s arguments and result with keyboard-reachable buttons, announced politely', async () => {
    const { el, buttons } = await openedCall();
    const written: string[] = [];
    const clipboard = navigator.clipboard;
    // The async clipboard needs a user-granted permission headless Chromium does not give; record what is written.
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: (text: string) => (written.push(text), Promise.resolve()) },
    });
    try {
      await pressEach(el, buttons);
      expect(written.map((t) => JSON.parse(t) as unknown)).to.deep.equal([{ q: 'x' }, { n: 1 }]);
      expect(part(el, 'announcer').textContent.trim()).to.equal('Copied the result');
    } finally {
      Object.defineProperty(navigator, 'clipboard', { configurable: true, value: clipboard });
    }
  });

  it('copies without the async clipboard too (a page over http): announced, and focus stays on the button', async () => {
    const { el, buttons } = await openedCall();
    const copied = await copiedWithoutClipboard(() => pressEach(el, buttons));
    expect(copied.map((t) => JSON.parse(t) as unknown)).to.deep.equal([{ q: 'x' }, { n: 1 }]);
    expect(part(el, 'announcer').textContent.trim()).to.equal('Copied the result');
  });

  it('links a request and its tool call both ways: the tool waits for approval, "Answer" reveals the prompt', async () => {
    const run = fedRun();
    const page = await fixture<HTMLDivElement>(
      html`<div>
        <agent-log .run=${run} style="--aw-log-height: 12rem"></agent-log>
        <approval-prompt .run=${run} no-autofocus></approval-prompt>
      </div>`,
    );
    const el = page.querySelector('agent-log')!;
    const prompt = page.querySelector('approval-prompt')!;
    const filler: EventBody[] = Array.from({ length: 40 }, (_, i) => ({
      type: 'log',
      level: 'info',
      message: `line ${i}`,
    }));
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'tool_call', call_id: 'rm', name: 'delete_files', args: { glob: 'tmp/*' } },
      ...filler,
      {
        type: 'need_input',
        prompt: 'Delete tmp/*?',
        resume_token: 'A1',
        kind: 'approval',
        tool_call_id: 'rm',
      },
    );
    await settle(el);
    const request = part(el, 'request');
    expect(textOf(request, 'label')).to.equal('Approval');
    const link = request.querySelector<HTMLButtonElement>('[part~="tool-link"]')!;
    expect(link.textContent.trim()).to.equal('delete_files');
    link.focus();
    await sendKeys({ press: 'Enter' });
    await settle(el);
    const summary = part(el, 'tool').querySelector<HTMLElement>('[part~="tool-summary"]')!;
    expectFocusOn(summary, 'the tool call is shown and focused');
    expect(parts(el, 'tool-args')).to.have.length(1, 'and its details opened');
    const waiting = part(el, 'tool-approval');
    expect(waiting.dataset['status']).to.equal('waiting');
    waiting.querySelector<HTMLButtonElement>('[part~="approval-link"]')!.focus();
    await sendKeys({ press: 'Enter' });
    await prompt.updateComplete;
    expectFocusOn(prompt.shadowRoot!.querySelector('[part~="approve"]'), 'the prompt of that request has focus');
  });

  it('writes the JSON of a call waiting for approval once, not again with every frame the run streams', async () => {
    const run = fedRun();
    const prompt = await fixture<HTMLElement & { updateComplete: Promise<boolean> }>(
      html`<approval-prompt .run=${run} no-autofocus></approval-prompt>`,
    );
    const content = 'export const line = 1;\n'.repeat(5000);
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'tool_call', call_id: 'w1', name: 'write_file', args: { path: 'big.ts', content } },
      { type: 'need_input', prompt: 'Write big.ts?', resume_token: 'W1', kind: 'approval', tool_call_id: 'w1' },
    );
    await prompt.updateComplete;
    const written = await wholeJsonWrites(content, async () => {
      // Another call streams its arguments, and the log grows, while the request waits.
      for (let i = 0; i < 30; i++) {
        run.feed(
          { type: 'tool_call_delta', call_id: 'r2', name: 'read_file', delta: i === 0 ? '{"path": "a' : 'a' },
          { type: 'log', level: 'info', message: `reading ${i}` },
        );
        await frame();
        await prompt.updateComplete;
      }
    });
    expect(written).to.equal(0, 'its JSON was written when it first showed, and kept');
    const shown = prompt.shadowRoot!.querySelector('[part~="tool-args"]')!.textContent;
    expect(shown.startsWith('{\n  "path": "big.ts",\n  "content": "export const line = 1;\\n')).to.equal(true);
    expect(shown).to.match(/… \(\d+ more characters\)$/);
  });

  it("writes a call's arguments and result JSON once, not again with every frame the log is drawn", async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    const content = 'export const line = 1;\n'.repeat(5000);
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'tool_call', call_id: 'r1', name: 'read_file', args: { path: 'big.ts', content } },
      { type: 'tool_result', call_id: 'r1', summary: '', result: { path: 'big.ts', content } },
    );
    await settle(el);
    let pieces = 0;
    const drawn = async (): Promise<void> => {
      // Another call streams its arguments: the rows in view are drawn again, every frame.
      for (let i = 0; i < 20; i++) {
        run.feed({ type: 'tool_call_delta', call_id: 's1', name: 'search', delta: pieces++ === 0 ? '{"q": "a' : 'a' });
        await frame();
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector('[data-kind="tool"]'), 'the call is in view').to.not.equal(null);
      }
    };
    expect(await wholeJsonWrites(content, drawn), 'collapsed').to.equal(0);
    part(el, 'tool-summary').click();
    await oneEvent(part(el, 'tool-details'), 'toggle');
    await settle(el);
    expect(await wholeJsonWrites(content, drawn), 'opened').to.equal(0);
    expect(part(el, 'tool-result-data').textContent).to.match(
      /^{\n {2}"path": "big.ts",[^]*… \(\d+ more characters\)$/,
    );
    expect(textOf(part(el, 'tool'), 'tool-result')).to.equal(
      `${JSON.stringify({ path: 'big.ts', content }, null, 2).replace(/\s+/g, ' ').slice(0, 80)}…`,
    );
  });

  it('shows an automatic approval as such, never as a question', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    run.feed(
      { type: 'tool_call', call_id: 'r1', name: 'read_file', args: { path: 'README.md' } },
      {
        type: 'need_input',
        prompt: 'Read README.md?',
        resume_token: 'auto-1',
        kind: 'approval',
        tool_call_id: 'r1',
        automatic: true,
      },
      { type: 'input_accepted', resume_token: 'auto-1', value: { approved: true } },
    );
    await settle(el);
    const request = part(el, 'request');
    expect(textOf(request, 'label')).to.equal('Auto');
    expect(textOf(request, 'answer')).to.equal('Approved automatically (by policy)');
    expect(request.querySelector('[part~="approval-link"]')).to.equal(null);
    expect(textOf(part(el, 'tool'), 'tool-approval')).to.equal('Approved automatically (by policy)');
  });

  it('shows the newest streamed arguments of an opened tool call: their box follows its end unless the user scrolled it', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'tool_call_delta', call_id: 'c1', name: 'write_file', delta: '{"path": "retry.ts", "content": "' },
    );
    await settle(el);
    part(el, 'tool-summary').click();
    await oneEvent(part(el, 'tool-details'), 'toggle');
    await settle(el);
    let line = 0;
    await expectBoxFollowsItsEnd(
      () => part(el, 'tool-args'),
      async (lines) => {
        for (let i = 0; i < lines; i++) {
          run.feed({ type: 'tool_call_delta', call_id: 'c1', delta: `export const step${++line} = ${line};\\n` });
          await settle(el);
        }
      },
      120,
    );
  });

  it('shows the newest part of long streamed arguments, bounded, and the whole call bounded once complete', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    const head = '{"path": "retry.ts", "content": "';
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'tool_call_delta', call_id: 'c1', name: 'write_file', delta: head },
    );
    await settle(el);
    part(el, 'tool-summary').click();
    await oneEvent(part(el, 'tool-details'), 'toggle');
    let content = '';
    for (let i = 1; i <= 400; i++) {
      const line = `export const step${i} = await compute(${i});\n`;
      content += line;
      run.feed({ type: 'tool_call_delta', call_id: 'c1', delta: JSON.stringify(line).slice(1, -1) });
      if (i % 50 !== 0) continue;
      await settle(el);
      const shown = part(el, 'tool-args').textContent;
      // The box (which follows its end) holds what was written last, not a head cut off long ago.
      expect(shown.endsWith(JSON.stringify(line).slice(1, -1)), `after line ${i}`).to.equal(true);
      expect(shown.length, 'the text in the box is bounded').to.be.below(4100);
    }
    const args = head + JSON.stringify(content).slice(1, -1);
    expect(part(el, 'tool-args').textContent).to.match(/^… \(\d+ earlier characters\)\n/);
    expect(part(el, 'tool-args').textContent).to.contain(`(${args.length - 4000} earlier characters)`);
    run.feed({ type: 'tool_call', call_id: 'c1', name: 'write_file', args: { path: 'retry.ts', content } });
    await settle(el);
    const done = part(el, 'tool-args').textContent;
    expect(done.startsWith('{\n  "path": "retry.ts",')).to.equal(true);
    expect(done).to.match(/… \(\d+ more characters\)$/);
  });

  it('gives a renderer the file a call is writing as it streams, each piece of its arguments parsed once', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    el.renderers = {
      write_file: (call) => {
        const args = call.args as { path?: string; content?: string } | undefined;
        return html`<pre class="file" data-path=${args?.path ?? ''}>${args?.content ?? ''}</pre>`;
      },
    };
    const head = '{"path": "retry.ts", "content": "';
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'tool_call_delta', call_id: 'c1', name: 'write_file', delta: head },
    );
    await settle(el);
    let content = '';
    let args = head;
    const read = await charactersPushed(async () => {
      for (let i = 1; i <= 600; i++) {
        const line = `export const step${i} = await compute(${i}, "\t");\n`;
        content += line;
        const delta = JSON.stringify(line).slice(1, -1);
        args += delta;
        run.feed({ type: 'tool_call_delta', call_id: 'c1', delta });
        if (i % 100 !== 0) continue;
        await settle(el);
        const file = el.shadowRoot!.querySelector<HTMLElement>('pre.file')!;
        expect(file.dataset['path']).to.equal('retry.ts');
        expect(file.textContent, `after line ${i}`).to.equal(content);
        // The collapsed row's preview: the start of the arguments' pretty JSON, on one line.
        const pretty = JSON.stringify({ path: 'retry.ts', content }, null, 2).replace(/\s+/g, ' ');
        expect(textOf(part(el, 'tool'), 'tool-preview')).to.equal(`${pretty.slice(0, 80)}…`);
      }
    });
    // Drawn six times and more (the settling frames): the 31,000 characters of arguments were read once.
    expect(read).to.equal(args.length - head.length);
  });

  it('keeps the rows a reader sees still when a row cut by the top of the view gets its result', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log style="width: 700px" .run=${run}></agent-log>`);
    el.style.setProperty('--aw-log-height', '20rem');
    const events: EventBody[] = [{ type: 'status', state: 'running' }];
    for (let i = 0; i < 40; i++) {
      events.push(
        { type: 'step', name: `step ${i}`, state: 'started' },
        { type: 'log', level: 'info', message: `Working on part ${i} of the plan` },
        { type: 'tool_call', call_id: `c${i}`, name: `tool_${i}`, args: { query: `retry policy ${i}` } },
      );
    }
    run.feed(...events);
    await settle(el);
    const list = part(el, 'list');
    await userScroll(list, Math.round(list.scrollHeight / 2));
    await settle(el);
    const y = (row: Element): number => row.getBoundingClientRect().top - list.getBoundingClientRect().top;
    const rowsInView = (): HTMLElement[] => parts(el, 'row').filter((row) => y(row) >= 0 && y(row) < list.clientHeight);
    const where = (): Record<string, number> =>
      Object.fromEntries(rowsInView().map((row) => [row.dataset['key']!, y(row)]));
    const end = (row: HTMLElement): void => {
      const i = textOf(row, 'tool-name')!.slice('tool_'.length);
      run.feed(
        {
          type: 'tool_result',
          call_id: `c${i}`,
          summary: `Found ${i} pages on retries, backoff and jitter`,
          ok: true,
          result: { pages: [1, 2, 3] },
        },
        { type: 'step', name: `step ${i}`, state: 'finished' },
      );
    };
    const running = (): HTMLElement[] =>
      rowsInView().filter((row) => row.dataset['kind'] === 'tool' && row.dataset['status'] === 'running');

    // A running call mostly above the view: 6 px of it show. It gets its result and grows.
    const cut = running()[1]!;
    await userScroll(list, list.scrollTop + y(cut) + cut.getBoundingClientRect().height - 6);
    await settle(el);
    const key = cut.dataset['key']!;
    const row = (): HTMLElement => parts(el, 'row').find((r) => r.dataset['key'] === key)!;
    const height = row().getBoundingClientRect().height;
    const before = where();
    expect(Object.keys(before)).to.not.include(key);
    end(row());
    await settle(el);
    expect(row().getBoundingClientRect().height - height).to.be.above(20, 'the row grew');
    expect(where()).to.deep.equal(before, 'the rows in view did not move');

    // A running call in view gets its result: it grows downwards, like a document; nothing above it moves.
    const inView = running()[1]!;
    const above = Object.fromEntries(Object.entries(where()).filter(([, top]) => top <= y(inView)));
    end(inView);
    await settle(el);
    const after = where();
    for (const [k, top] of Object.entries(above)) expect(after[k], `row ${k}`).to.equal(top);
  });

  it('shows the latest reasoning above the log, streamed, collapsed once the answer starts', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'reasoning', content: 'The user wants ', message_id: 'm1' },
      { type: 'reasoning', content: '{"not": "json"} retries.', message_id: 'm1' },
    );
    await settle(el);
    const block = part(el, 'reasoning') as HTMLDetailsElement;
    expect(block.open).to.equal(true);
    expect(textOf(block, 'reasoning-summary')).to.equal('Thinking…');
    expect(part(el, 'reasoning-text').textContent).to.equal('The user wants {"not": "json"} retries.');
    run.feed({ type: 'token', content: 'Here is', message_id: 'm1' });
    await settle(el);
    expect(block.open).to.equal(false);
    expect(textOf(block, 'reasoning-summary')).to.match(/^Thought for \d+ s$/);
    el.noReasoning = true;
    await settle(el);
    expect(part(el, 'reasoning-area').hidden).to.equal(true);
  });

  it('keeps its reasoning block open while the user selects text in it, and collapses it once they are done', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    await expectReasoningOpenUnderSelection(el, run, () => settle(el));
  });

  it('shows the newest thoughts of a long reasoning: its box follows its end unless the user scrolled it', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    await expectReasoningFollowsItsEnd(el, run);
  });

  it('says truly why it is empty', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    const empty = () => part(el, 'empty').textContent.trim();
    expect(empty()).to.equal('No activity yet.');
    run.feed({ type: 'status', state: 'running' });
    await settle(el);
    expect(empty()).to.equal('Thinking…');
    run.feed({ type: 'token', content: 'Only text.' });
    await settle(el);
    expect(empty()).to.equal('No steps or tool calls yet: the agent is answering.');
    run.feed({ type: 'status', state: 'done' }, { type: 'done', state: 'completed' });
    await settle(el);
    expect(parts(el, 'empty')).to.have.length(0, 'once ended, the log says how');
    expect(rowKinds(el)).to.deep.equal(['end']);
    expect(textOf(part(el, 'end'), 'text')).to.equal('Finished');
  });

  it('renders every row when printed (print media), not only those in view', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run} style="--aw-log-height: 8rem"></agent-log>`);
    run.feed(
      ...Array.from({ length: 300 }, (_, i): EventBody => ({ type: 'log', level: 'info', message: `line ${i}` })),
    );
    await settle(el);
    const inView = parts(el, 'list')[0]!.querySelectorAll('[part~="row"]').length;
    expect(inView).to.be.below(100);
    try {
      await emulateMedia({ media: 'print' });
      await settle(el);
      const printed = part(el, 'print-list').querySelectorAll('[part~="row"]');
      expect(printed).to.have.length(300);
      expect(getComputedStyle(part(el, 'print-list')).display).to.equal('block');
      expect(getComputedStyle(part(el, 'list')).display).to.equal('none');
    } finally {
      await emulateMedia({ media: 'screen' });
    }
    await settle(el);
    expect(parts(el, 'print-list')).to.have.length(0);
  });

  it('is accessible with groups, tools, renderers, requests, reasoning and the filter', async () => {
    const run = fedRun();
    const el = await fixture<AgentLog>(html`<agent-log .run=${run}></agent-log>`);
    el.renderers = { custom: (call) => html`<p>Custom view of ${call.name}</p>` };
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'reasoning', content: 'Thinking about it.' },
      { type: 'step', name: 'work', state: 'started' },
      { type: 'tool_call', call_id: 'c1', name: 'custom', args: {} },
      { type: 'tool_call', call_id: 'c2', name: 'plain', args: { a: 1 } },
      { type: 'tool_result', call_id: 'c2', summary: 'ok', result: { b: 2 } },
      { type: 'need_input', prompt: 'Go on?', resume_token: 'T', kind: 'approval', tool_call_id: 'c1' },
    );
    await settle(el);
    part(el, 'tool-summary').click();
    await settle(el);
    await expect(el).to.be.accessible();
  });
});
