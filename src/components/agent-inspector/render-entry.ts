/** Templates of `<agent-inspector>`: one timeline row, and the counters line. */
import { html, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { TimelineEntry } from '../../inspector/entry.ts';
import { percentile, type Recorder } from '../../inspector/recorder.ts';

/** Labels of the kinds, as shown. */
const KIND_LABELS: Readonly<Record<TimelineEntry['kind'], string>> = {
  request: 'request',
  frame: 'frame',
  heartbeat: 'heartbeat',
  command: 'command',
  ack: 'ack',
  connection: 'connection',
  applied: 'event',
  released: 'gap closed',
  held: 'gap',
  duplicate: 'duplicate',
  resync: 'resync',
  stale: 'stale snapshot',
  error: 'error',
  rebuild: 'rebuild',
};

/** The label of a kind. */
export const kindLabel = (kind: TimelineEntry['kind']): string => KIND_LABELS[kind];

const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;
const bytes = (n: number): string => (n >= 10_240 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);
const ms = (value: number | null): string => (value === null ? '–' : `${value.toFixed(1)} ms`);

/** One row: time since the start, plane, kind, seq, bytes, detail; with its latency when stamped. */
export function renderEntry(
  entry: TimelineEntry,
  index: number,
  count: number,
  start: number,
  rowHeight: number,
  selected: boolean,
): TemplateResult {
  const latency = entry.latency;
  const late = latency
    ? ` · ${ms(latency.store - latency.server)} to store${latency.screen === null ? '' : `, ${ms(latency.screen - latency.server)} to screen`}`
    : '';
  return html`<div
    part="row kind-${entry.kind}"
    role="option"
    id="entry-${entry.id}"
    aria-selected=${selected ? 'true' : 'false'}
    aria-setsize=${count}
    aria-posinset=${index + 1}
    data-kind=${entry.kind}
    data-id=${entry.id}
    style=${styleMap({ transform: `translateY(${index * rowHeight}px)` })}
  >
    <span part="time">${seconds(entry.at - start)}</span>
    <span part="plane">${entry.plane}</span>
    <span part="kind">${kindLabel(entry.kind)}${entry.direction === 'out' ? ' ↑' : ''}</span>
    <span part="seq">${entry.seq === null ? '' : `#${entry.seq}`}</span>
    <span part="bytes">${entry.bytes > 0 ? bytes(entry.bytes) : ''}</span>
    <span part="detail">${entry.detail}${late}</span>
  </div>`;
}

/** The counters line: what crossed the wire and what the sink did. */
export function renderCounters(recorder: Recorder): TemplateResult {
  const c = recorder.counters;
  const { toStore, toScreen } = recorder.latencies();
  const latency =
    toStore.length > 0
      ? html`<span part="counter"
            >server → store p50 ${ms(percentile(toStore, 0.5))} · p95 ${ms(percentile(toStore, 0.95))}</span
          ><span part="counter"
            >→ screen p50 ${ms(percentile(toScreen, 0.5))} · p95 ${ms(percentile(toScreen, 0.95))}</span
          >`
      : html`<span part="counter">latency: no server-stamped events</span>`;
  return html`<span part="counter">${c.requests} requests</span
    ><span part="counter">${bytes(c.bytesIn)} in · ${bytes(c.bytesOut)} out</span
    ><span part="counter">${c.open} open</span><span part="counter">${c.reconnects} reconnects</span
    ><span part="counter">${c.applied} applied</span><span part="counter">${c.duplicates} duplicates</span
    ><span part="counter">${c.held} held</span><span part="counter">${c.resyncs} resyncs</span>${latency}`;
}
