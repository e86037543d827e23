import './setup.ts';
import { ContextConsumer } from '@lit/context';
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import sinon from 'sinon';
import '../../../src/components/agent-run/define.ts';
import '../../../src/components/run-progress/define.ts';
import '../../../src/components/token-stream/define.ts';
import type { AgentRun } from '../../../src/components/agent-run/agent-run.ts';
import source from '../../../src/components/agent-run/agent-run.ts?raw';
import { runContext } from '../../../src/context/run-context.ts';
import type { RunHandle } from '../../../src/run/types.ts';
import { mockServerUrl, startMockRun } from '../helpers/mock-server.ts';
import { documentedParts, fedRun, frame, part, parts, storeUntil } from './helpers.ts';

/** A bare consumer of the run context, to see which handle a descendant gets. */
class RunProbe extends LitElement {
  readonly consumer = new ContextConsumer(this, { context: runContext, subscribe: true });
  get handle(): RunHandle | undefined {
    return this.consumer.value;
  }
}
customElements.define('run-probe', RunProbe);

async function startPlainTask(body: object): Promise<string> {
  const res = await fetch(`${await mockServerUrl()}/plain/tasks`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { task_id: string }).task_id;
}

describe('<agent-run>', () => {
  it('documents no parts (it draws nothing) and a default slot', () => {
    expect(documentedParts(source)).to.deep.equal([]);
    expect(source).to.match(/@slot - /);
  });

  it('provides one handle, connected from its attributes, to every element inside', async () => {
    const runId = await startMockRun({ scenario: 'quick', speed: 0 });
    const el = await fixture<AgentRun>(
      html`<agent-run base-url=${await mockServerUrl()} run-id=${runId} transport="sse">
        <run-probe></run-probe>
        <div><run-probe></run-probe></div>
      </agent-run>`,
    );
    const handle = el.handle!;
    expect(handle.runId).to.equal(runId);
    expect(handle.transport).to.equal('sse');
    const probes = [...el.querySelectorAll<RunProbe>('run-probe')];
    expect(probes.every((p) => p.handle === handle)).to.equal(true, 'one shared handle, so one connection');
  });

  it('connects lazily: only while an element inside shows the run', async () => {
    const runId = await startMockRun({ scenario: 'long', speed: 1 });
    const el = await fixture<AgentRun>(
      html`<agent-run base-url=${await mockServerUrl()} run-id=${runId} transport="sse"></agent-run>`,
    );
    const handle = el.handle!;
    await el.updateComplete;
    expect(handle.$connected.get()).to.equal(false, 'nothing shows the run yet');
    const progress = document.createElement('run-progress');
    el.append(progress);
    await storeUntil(handle.$connected, (open) => open);
    await storeUntil(handle.store.$status, (s) => s === 'running');
    await progress.updateComplete;
    expect(progress.getAttribute('state')).to.equal('running');
    el.run = fedRun(); // hand over to another run: the one connected from the attributes is released
    await el.updateComplete;
    await storeUntil(handle.$connected, (open) => !open);
  });

  it('keeps two providers isolated', async () => {
    const url = await mockServerUrl();
    const [a, b] = await Promise.all([
      startMockRun({ scenario: 'quick', speed: 0, seed: 1 }),
      startMockRun({ scenario: 'quick', speed: 0, seed: 2 }),
    ]);
    const page = await fixture<HTMLDivElement>(
      html`<div>
        <agent-run id="a" base-url=${url} run-id=${a} transport="websocket"><token-stream></token-stream></agent-run>
        <agent-run id="b" base-url=${url} run-id=${b} transport="poll"><token-stream></token-stream></agent-run>
      </div>`,
    );
    const [runA, runB] = [...page.querySelectorAll<AgentRun>('agent-run')];
    expect(runA!.handle !== runB!.handle).to.equal(true, 'separate handles');
    await Promise.all([runA, runB].map((r) => storeUntil(r!.handle!.store.$status, (s) => s === 'done')));
    await frame();
    await frame();
    const [streamA, streamB] = [...page.querySelectorAll('token-stream')];
    const textA = part(streamA!, 'message').textContent;
    const textB = part(streamB!, 'message').textContent;
    expect(textA).to.not.equal('');
    expect(textB).to.not.equal('');
    expect(textA).to.not.equal(textB, 'each shows its own run');
  });

  it('provides a ready handle given with .run, which wins over the attributes', async () => {
    const run = fedRun('given');
    const el = await fixture<AgentRun>(
      html`<agent-run run-id="ignored" .run=${run}><run-probe></run-probe></agent-run>`,
    );
    expect(el.handle === run).to.equal(true, 'the given handle is provided');
    expect(el.querySelector<RunProbe>('run-probe')!.handle === run).to.equal(true, 'a descendant gets it');
    const other = fedRun('other');
    el.run = other;
    await el.updateComplete;
    expect(el.querySelector<RunProbe>('run-probe')!.handle === other).to.equal(true, 'descendants follow a new handle');
  });

  it('gives elements defined before it still their run (late upgrade)', async () => {
    const run = fedRun('late');
    run.feed({ type: 'status', state: 'running' }, { type: 'progress', pct: 30, message: 'working' });
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <late-agent-run><run-progress></run-progress></late-agent-run>
      </div>`,
    );
    const { AgentRun: Provider } = await import('../../../src/components/agent-run/agent-run.ts');
    const host = wrapper.querySelector<AgentRun>('late-agent-run')!;
    customElements.define('late-agent-run', class extends Provider {});
    host.run = run;
    await host.updateComplete;
    const progress = wrapper.querySelector('run-progress')!;
    await progress.updateComplete;
    expect(part(progress, 'message').textContent).to.equal('working');
  });

  it('reaches a plain server through the *-path attributes (and marks it unsequenced)', async () => {
    const taskId = await startPlainTask({ scenario: 'quick', speed: 0 });
    const el = await fixture<AgentRun>(
      html`<agent-run
        base-url=${await mockServerUrl()}
        run-id=${taskId}
        transport="sse"
        snapshot-path="/plain/tasks/{id}"
        stream-path="/plain/tasks/{id}/stream"
        ><run-progress></run-progress><token-stream></token-stream
      ></agent-run>`,
    );
    await storeUntil(el.handle!.store.$status, (s) => s === 'done');
    const progress = el.querySelector('run-progress')!;
    await progress.updateComplete;
    expect(progress.getAttribute('state')).to.equal('done');
    await frame();
    expect(parts(el.querySelector('token-stream')!, 'message').length).to.be.greaterThan(0);
  });

  it("reaches a plain server's WebSocket through the paths property", async () => {
    const taskId = await startPlainTask({ scenario: 'quick', speed: 0 });
    const el = await fixture<AgentRun>(
      html`<agent-run
        base-url=${await mockServerUrl()}
        run-id=${taskId}
        transport="websocket"
        .paths=${{ socket: '/plain/ws/agent/{id}', snapshot: '/plain/tasks/{id}' }}
        ><run-progress></run-progress
      ></agent-run>`,
    );
    await storeUntil(el.handle!.store.$status, (s) => s === 'done');
    const progress = el.querySelector('run-progress')!;
    await progress.updateComplete;
    expect(progress.getAttribute('state')).to.equal('done');
  });

  it('falls back to auto for an unknown transport name', async () => {
    const el = await fixture<AgentRun>(html`<agent-run run-id="x" transport="carrier-pigeon"></agent-run>`);
    expect(el.handle!.transport).to.equal('auto');
  });

  it('connects nothing without a run id', async () => {
    const el = await fixture<AgentRun>(
      html`<agent-run base-url="http://127.0.0.1:9"><run-probe></run-probe></agent-run>`,
    );
    expect(el.handle).to.equal(undefined);
    expect(el.querySelector<RunProbe>('run-probe')!.handle).to.equal(undefined);
  });
});

describe('guarded registration', () => {
  it('keeps the first definition and warns (does not throw) when another class takes a tag', async () => {
    const { defineElement } = await import('../../../src/components/define-element.ts');
    const { RunProgress } = await import('../../../src/components/run-progress/run-progress.ts');
    const warn = sinon.stub(console, 'warn');
    try {
      defineElement('run-progress', RunProgress); // the same class again: nothing to say
      expect(warn.callCount).to.equal(0);
      defineElement('run-progress', class extends HTMLElement {});
      expect(warn.callCount).to.equal(1);
      expect(String(warn.firstCall.args[0])).to.include('<run-progress> is already defined');
    } finally {
      warn.restore();
    }
    expect(customElements.get('run-progress') === RunProgress).to.equal(true);
  });
});
