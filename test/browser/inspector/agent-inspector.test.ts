/**
 * `<agent-inspector>` against the real mock server: a gap and a duplicate injected by the fault
 * switches, a reconnect after a cut, a recording exported, imported and replayed to the same final
 * store (and replayed by the mock server's replay scenario), keyboard, axe, 100,000 entries.
 */
import '../components/setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/components/agent-run/define.ts';
import '../../../src/components/token-stream/define.ts';
import '../../../src/components/agent-inspector/define.ts';
import type { AgentRun } from '../../../src/components/agent-run/agent-run.ts';
import type { AgentInspector } from '../../../src/components/agent-inspector/agent-inspector.ts';
import { type RecordingImportEvent } from '../../../src/components/agent-inspector/events.ts';
import { replayRecording, replayRequestBody, stringifyRecording } from '../../../src/inspector/index.ts';
import type { CreateRunResponse } from '../../../src/protocol/index.ts';
import { connectRun } from '../../../src/run/index.ts';
import { fullText, type RunStoreState } from '../../../src/store/index.ts';
import { storeUntil } from '../components/helpers.ts';
import { mockFaultCounts, mockServerUrl } from '../helpers/mock-server.ts';

/** Start a run on the mock server with any body (stamp, replay). */
async function startRun(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${await mockServerUrl()}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST /api/runs answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as CreateRunResponse).run_id;
}

/** The inspector first (it taps the run before the run connects), then the run it inspects. */
async function inspected(runId: string, transport: string, query: Record<string, string> = {}) {
  const wrapper = await fixture<HTMLElement>(
    html`<div>
      <agent-inspector for="inspected-run"></agent-inspector>
      <agent-run
        id="inspected-run"
        base-url=${await mockServerUrl()}
        run-id=${runId}
        transport=${transport}
        .query=${query}
      >
        <token-stream></token-stream>
      </agent-run>
    </div>`,
  );
  const inspector = wrapper.querySelector('agent-inspector')!;
  const run = wrapper.querySelector<AgentRun>('agent-run')!;
  await storeUntil(run.handle!.$state, (s) => s.result !== null);
  await inspector.updateComplete;
  return { inspector, run };
}

const kinds = (inspector: AgentInspector): string[] => inspector.rows.map((row) => row.kind);

/** Choose a filter in the toolbar as a user would. */
async function show(inspector: AgentInspector, label: 'Show' | 'Plane', value: string): Promise<void> {
  const select = [...inspector.shadowRoot!.querySelectorAll('label')]
    .find((l) => l.textContent.trim().startsWith(label))!
    .querySelector('select')!;
  select.value = value;
  select.dispatchEvent(new Event('change'));
  await inspector.updateComplete;
}

/** What the elements show of a run's state. */
const shown = (s: RunStoreState) => ({
  status: s.status,
  lastSeq: s.lastSeq,
  text: fullText(s.text),
  result: s.result?.state,
});

describe('<agent-inspector>', () => {
  it('shows a gap (held, then closed) and a duplicate injected by the fault switches', async () => {
    const runId = await startRun({ scenario: 'quick', speed: 0 });
    const { inspector, run } = await inspected(runId, 'sse', { fault_gap: '3', fault_duplicate: '5' });
    const faults = await mockFaultCounts(runId);
    expect(faults.gap, 'the server left one event out').to.equal(1);
    expect(faults.duplicate, 'and sent some twice').to.be.greaterThan(0);
    expect(kinds(inspector)).to.include.members(['held', 'released', 'duplicate', 'request', 'frame', 'applied']);
    const held = inspector.rows.find((r) => r.kind === 'held')!;
    expect(held.detail).to.match(/held/);
    // The gap's missing seq arrived later and released what was held.
    const released = inspector.rows.filter((r) => r.kind === 'released');
    expect(released.some((r) => r.seq === held.seq)).to.equal(true);
    expect(inspector.recorder.counters.duplicates).to.be.greaterThan(0);
    // Shown in the list when filtered to ordering problems (from the top: Home).
    await show(inspector, 'Show', 'order');
    part(inspector, 'list').focus();
    await sendKeys({ press: 'Home' });
    await inspector.updateComplete;
    const rendered = [...inspector.shadowRoot!.querySelectorAll('[part~="row"]')].map((r) =>
      r.getAttribute('data-kind'),
    );
    expect(rendered).to.include.members(['held', 'duplicate']);
    expect(
      rendered.every((k) => ['held', 'released', 'duplicate', 'resync', 'stale', 'rebuild'].includes(k!)),
    ).to.equal(true);
    // The text is still shown once, in order.
    expect(fullText(run.handle!.$state.get().text).length).to.be.greaterThan(0);
    await expect(inspector).to.be.accessible();
  });

  it('shows a reconnect after a cut, with its reason and backoff', async () => {
    const runId = await startRun({ scenario: 'quick', speed: 0 });
    const { inspector } = await inspected(runId, 'websocket', { fault_close_after: '6' });
    expect((await mockFaultCounts(runId)).close_after).to.equal(1);
    const reconnect = inspector.rows.find((r) => r.kind === 'connection' && r.detail.includes('reconnecting'))!;
    expect(reconnect, 'a reconnecting entry').to.not.equal(undefined);
    expect(reconnect.detail).to.match(/next try in \d+ ms/);
    expect(inspector.recorder.counters.reconnects).to.equal(1);
    expect(inspector.rows.filter((r) => r.kind === 'request' && r.plane === 'socket')).to.have.length(2);
    await show(inspector, 'Show', 'connection');
    const rows = [...inspector.shadowRoot!.querySelectorAll('[part~="row"]')];
    expect(rows.some((r) => r.textContent.includes('reconnecting'))).to.equal(true);
  });

  it('exports a recording, imports it back, and replays it to the same final store (and on the mock server)', async () => {
    const base = await mockServerUrl();
    const runId = await startRun({ scenario: 'quick', speed: 10, stamp: true });
    const inspector = await fixture<AgentInspector>(html`<agent-inspector></agent-inspector>`);
    const handle = connectRun({
      baseUrl: base,
      runId,
      transport: 'hybrid',
      tap: inspector.tap,
      query: { fault_duplicate: '7' },
    });
    const live = await storeUntil(handle.$state, (s) => s.result !== null);
    handle.disconnect();
    await inspector.updateComplete;
    // Server-stamped events: latency to the store (and to the screen, once drawn).
    expect(inspector.recorder.latencies().toStore.length).to.be.greaterThan(10);
    const text = stringifyRecording(inspector.exportRecording());
    const other = await fixture<AgentInspector>(html`<agent-inspector></agent-inspector>`);
    const imported = new Promise<RecordingImportEvent>((resolve) =>
      other.addEventListener('recording-import', resolve, { once: true }),
    );
    await other.importRecording(text);
    const { recording } = await imported;
    expect(other.rows.length).to.equal(recording.entries.length);
    expect(part(other, 'status').textContent).to.match(/Imported \d+ entries/);
    // Step a few inputs, then the rest at once.
    const replay = replayRecording(recording, { autoplay: false });
    for (let i = 0; i < 3; i++) expect(replay.step()).to.equal(true);
    replay.finish();
    expect(shown(replay.store.$state.get())).to.deep.equal(shown(live));
    // The mock server replays the same run from the recording: the same text reaches a new client.
    const again = await startRun({ ...replayRequestBody(recording), speed: 0 });
    const replayed = connectRun({ baseUrl: base, runId: again, transport: 'sse' });
    const end = await storeUntil(replayed.$state, (s) => s.result !== null);
    replayed.disconnect();
    expect(fullText(end.text)).to.equal(fullText(live.text));
    expect(end.result?.state).to.equal('completed');
  });

  it('refuses a bad file with the reason shown, keeping what it showed', async () => {
    const inspector = await fixture<AgentInspector>(html`<agent-inspector></agent-inspector>`);
    inspector.recorder.tap({ kind: 'request', plane: 'poll', method: 'GET', url: 'http://x/', bytes: 0 });
    await inspector.updateComplete;
    let error: unknown;
    try {
      await inspector.importRecording('{"format":"agentwire-recording","version":9,"entries":[]}');
    } catch (caught) {
      error = caught;
    }
    expect((error as { code?: string }).code).to.equal('unsupported_version');
    await inspector.updateComplete;
    expect(part(inspector, 'status').textContent).to.match(/Not imported: recording version 9/);
    expect(inspector.rows).to.have.length(1);
  });

  it('is driven by the keyboard: arrows, Home and End move the selection, shown in full', async () => {
    const inspector = await fixture<AgentInspector>(html`<agent-inspector></agent-inspector>`);
    for (let i = 0; i < 50; i++)
      inspector.recorder.tap({ kind: 'request', plane: 'poll', method: 'GET', url: `http://x/${i}`, bytes: i });
    await inspector.updateComplete;
    const list = part(inspector, 'list');
    list.focus();
    await sendKeys({ press: 'ArrowUp' });
    await inspector.updateComplete;
    const active = (): string | null => list.getAttribute('aria-activedescendant');
    expect(active()).to.equal(`entry-${inspector.rows[48]!.id}`);
    await sendKeys({ press: 'Home' });
    await inspector.updateComplete;
    expect(active()).to.equal(`entry-${inspector.rows[0]!.id}`);
    expect(inspector.shadowRoot!.getElementById(active()!)!.getAttribute('aria-selected')).to.equal('true');
    expect(part(inspector, 'details').textContent).to.contain('http://x/0');
    await sendKeys({ press: 'End' });
    await inspector.updateComplete;
    expect(active()).to.equal(`entry-${inspector.rows[49]!.id}`);
    expect(inspector.shadowRoot!.activeElement).to.equal(list);
    await expect(inspector).to.be.accessible();
  });

  it('keeps 100,000 entries with a few dozen rows in the DOM, and searches them', async () => {
    const inspector = await fixture<AgentInspector>(html`<agent-inspector></agent-inspector>`);
    for (let i = 0; i < 100_000; i++)
      inspector.recorder.tap({ kind: 'frame', plane: 'stream', direction: 'in', bytes: 10, text: `data: ${i}\n\n` });
    await inspector.updateComplete;
    expect(inspector.rows).to.have.length(100_000);
    expect(inspector.shadowRoot!.querySelectorAll('[part~="row"]').length).to.be.lessThan(60);
    const search = inspector.shadowRoot!.querySelector<HTMLInputElement>('input[type="search"]')!;
    search.value = 'data: 99999';
    search.dispatchEvent(new Event('input'));
    await inspector.updateComplete;
    expect(inspector.rows).to.have.length(1);
    // Pause keeps nothing new; clear forgets everything.
    const pause = [...inspector.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Pause')!;
    pause.click();
    inspector.recorder.tap({ kind: 'frame', plane: 'stream', direction: 'in', bytes: 1, text: 'data: 99999x' });
    await inspector.updateComplete;
    expect(pause.getAttribute('aria-pressed')).to.equal('true');
    expect(inspector.rows).to.have.length(1);
    [...inspector.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Clear')!.click();
    await inspector.updateComplete;
    expect(inspector.rows).to.have.length(0);
  });
});

function part(el: AgentInspector, name: string): HTMLElement {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
}
