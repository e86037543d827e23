// The demo page: starts a run on the mock server (mounted into this dev server) and streams it
// into the run store. Text is written with textContent only: stream content is never HTML.
import { decodeEventText } from '../src/protocol/index.ts';
import { createRunStore, textSince } from '../src/store/index.ts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

async function start(): Promise<void> {
  const res = await fetch('/api/runs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ scenario: 'quick' }) });
  const { run_id: runId } = (await res.json()) as { run_id: string };
  const store = createRunStore(runId);
  let shown = 0;
  store.$status.subscribe((status) => ($('status').textContent = status));
  store.$progress.subscribe(({ pct }) => {
    const bar = $<HTMLProgressElement>('progress');
    if (pct === null) bar.removeAttribute('value');
    else bar.value = pct;
  });
  $('text').textContent = '';
  store.$text.subscribe((text) => {
    for (const delta of textSince(text, shown)) $('text').append(delta.content);
    shown = text.chunks.length;
  });
  const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/stream`);
  const onEvent = (message: MessageEvent<string>): void => {
    const decoded = decodeEventText(message.data, { eventName: message.type, runId });
    if (decoded.ok) store.apply(decoded.value);
    else store.reportError(decoded.error);
    if (decoded.ok && decoded.value.type === 'done') source.close();
  };
  for (const type of ['status', 'progress', 'token', 'log', 'step', 'done']) source.addEventListener(type, onEvent);
}

$('start').addEventListener('click', () => void start());
