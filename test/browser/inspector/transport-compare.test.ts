/**
 * `<transport-compare>` against the real mock server: the same scenario over poll, SSE, WebSocket
 * and hybrid; its counters come from each lane's wire tap and must match what the mock server
 * counted for that run (requests, bytes each way) within 5 %.
 */
import '../components/setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/components/transport-compare/define.ts';
import type { TransportCompare } from '../../../src/components/transport-compare/transport-compare.ts';
import type { CompareCompleteEvent } from '../../../src/components/transport-compare/events.ts';
import { mockServerUrl, mockTraffic } from '../helpers/mock-server.ts';

const within = (measured: number, counted: number, share = 0.05): boolean =>
  Math.abs(measured - counted) <= Math.max(1, counted * share);

describe('<transport-compare>', () => {
  it('runs one scenario over every transport; its requests and bytes match the mock server within 5 %', async () => {
    const el = await fixture<TransportCompare>(
      html`<transport-compare
        base-url=${await mockServerUrl()}
        scenario="agent"
        speed="4"
        answer="yes"
        .serverCount=${async (runId: string) => (await mockTraffic(runId)) ?? undefined}
      ></transport-compare>`,
    );
    const complete = new Promise<CompareCompleteEvent>((resolve) =>
      el.addEventListener('compare-complete', resolve, { once: true }),
    );
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="start"]')!.click();
    const { figures } = await complete;
    expect(figures.map((f) => f.transport)).to.deep.equal(['poll', 'sse', 'websocket', 'hybrid']);
    for (const f of figures) {
      const counted = (await mockTraffic(f.runId))!;
      const label = `${f.transport}: page ${f.requests} requests ${f.bytesIn} in ${f.bytesOut} out; server ${JSON.stringify(counted)}`;
      expect(f.status, label).to.equal('done');
      expect(within(f.requests, counted.requests), `requests, ${label}`).to.equal(true);
      expect(within(f.bytesIn, counted.bytesOut), `bytes to the page, ${label}`).to.equal(true);
      expect(within(f.bytesOut, counted.bytesIn), `bytes from the page, ${label}`).to.equal(true);
      expect(f.firstTokenMs, label).to.be.a('number');
      expect(f.screenP50, label).to.be.a('number');
      expect(f.answerMs, `the question was answered, ${label}`).to.be.a('number');
    }
    const [poll, sse, websocket, hybrid] = figures;
    expect(websocket!.twoWay && hybrid!.twoWay).to.equal(true);
    expect(poll!.twoWay || sse!.twoWay).to.equal(false);
    expect(websocket!.requests - websocket!.httpRequests, 'one upgrade').to.equal(1);
    expect(poll!.requests).to.be.greaterThan(sse!.requests);
    // Both tables are drawn, with the server's counts beside the page's.
    const text = el.shadowRoot!.textContent;
    expect(text).to.contain('server counted: requests');
    expect(text).to.match(/WebSocket upgrade/);
    expect(text).to.match(/plain HTTP only/);
    await expect(el).to.be.accessible();
  });

  it('shows the reconnects a cut causes on every transport', async () => {
    const el = await fixture<TransportCompare>(
      html`<transport-compare
        base-url=${await mockServerUrl()}
        scenario="quick"
        speed="0"
        .transports=${['sse', 'websocket'] as const}
        .query=${{ fault_close_after: '10' }}
      ></transport-compare>`,
    );
    const figures = await el.start();
    for (const f of figures) expect(f.reconnects, f.transport).to.equal(1);
    expect(el.shadowRoot!.querySelector('[part="tutorial"]')!.textContent).to.match(/1 reconnect,/);
  });
});
