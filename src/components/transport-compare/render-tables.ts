/** Templates of `<transport-compare>`: the measured counters per transport, and the tutorial table filled with them. */
import { html, nothing, type TemplateResult } from 'lit';
import type { LaneFigures } from '../../inspector/compare.ts';

/** What a server counted for a run (the mock server's `GET /api/_dev/traffic/{id}`). */
export interface ServerCount {
  readonly requests: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
}

const ms = (v: number | null): string => (v === null ? '–' : `${v.toFixed(1)} ms`);
const kib = (n: number): string => (n >= 10_240 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

/** The counters, one column per transport. */
export function renderCounters(
  figures: readonly LaneFigures[],
  server: ReadonlyMap<string, ServerCount>,
): TemplateResult {
  const row = (label: string, cell: (f: LaneFigures) => unknown): TemplateResult =>
    html`<tr>
      <th scope="row">${label}</th>
      ${figures.map((f) => html`<td>${cell(f)}</td>`)}
    </tr>`;
  const counted = (f: LaneFigures): ServerCount | undefined => server.get(f.runId);
  return html`<table part="counters">
    <caption>
      Measured from this page's traffic
    </caption>
    <thead>
      <tr>
        <th scope="col">measure</th>
        ${figures.map((f) => html`<th scope="col">${f.transport}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${row('status', (f) => f.status)} ${row('time to first token', (f) => ms(f.firstTokenMs))}
      ${row('update latency p50 / p95 (server → screen)', (f) => `${ms(f.screenP50)} / ${ms(f.screenP95)}`)}
      ${row('server → store p50 / p95', (f) => `${ms(f.storeP50)} / ${ms(f.storeP95)}`)}
      ${row('requests', (f) => f.requests)} ${row('bytes in / out', (f) => `${kib(f.bytesIn)} / ${kib(f.bytesOut)}`)}
      ${row('connections open (most at once)', (f) => `${f.open} (${f.maxOpen})`)}
      ${row('reconnects', (f) => f.reconnects)} ${row('duplicates dropped', (f) => f.duplicates)}
      ${row('events applied', (f) => f.applied)}
      ${
        server.size > 0
          ? html`${row('server counted: requests', (f) => counted(f)?.requests ?? '–')}
            ${row('server counted: bytes out / in', (f) => {
              const c = counted(f);
              return c ? `${kib(c.bytesOut)} / ${kib(c.bytesIn)}` : '–';
            })}`
          : nothing
      }
    </tbody>
  </table>`;
}

/** The table the tutorials print, filled with what this run measured. */
export function renderTutorial(figures: readonly LaneFigures[]): TemplateResult {
  const direction = (f: LaneFigures): string =>
    f.twoWay
      ? `both ways on the event connection (${kib(f.bytesIn)} in, ${kib(f.bytesOut)} out)`
      : `server → client (${kib(f.bytesIn)} in); the client sends by separate requests (${kib(f.bytesOut)} out)`;
  const reconnect = (f: LaneFigures): string =>
    `${f.reconnects} reconnect${f.reconnects === 1 ? '' : 's'}, ${f.duplicates} duplicate${f.duplicates === 1 ? '' : 's'} dropped, ${f.applied} events applied once`;
  const proxy = (f: LaneFigures): string => {
    const upgrades = f.requests - f.httpRequests;
    return upgrades > 0
      ? `${upgrades} WebSocket upgrade${upgrades === 1 ? '' : 's'} (a proxy must pass Upgrade), ${f.httpRequests} HTTP request${f.httpRequests === 1 ? '' : 's'}`
      : `plain HTTP only: ${f.httpRequests} request${f.httpRequests === 1 ? '' : 's'}`;
  };
  const input = (f: LaneFigures): string =>
    f.answerMs === null
      ? f.twoWay
        ? 'on the open socket (no question answered in this run)'
        : 'a POST per answer (no question answered in this run)'
      : `answered in ${ms(f.answerMs)} (${f.twoWay ? 'on the open socket' : 'a POST'})`;
  return html`<table part="tutorial">
    <caption>
      The tutorial table, measured
    </caption>
    <thead>
      <tr>
        <th scope="col">transport</th>
        <th scope="col">direction</th>
        <th scope="col">reconnect</th>
        <th scope="col">proxy friendliness</th>
        <th scope="col">mid-task input</th>
      </tr>
    </thead>
    <tbody>
      ${figures.map(
        (f) =>
          html`<tr>
            <th scope="row">${f.transport}</th>
            <td>${direction(f)}</td>
            <td>${reconnect(f)}</td>
            <td>${proxy(f)}</td>
            <td>${input(f)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
