/** The `poll` transport against the real mock server. */
import { expect } from '@open-wc/testing';
import { recordStatuses, waitFor } from './helpers.ts';
import { connect, describeTransport } from './suite.ts';

describeTransport('poll', { streaming: false, heartbeatOptions: { poll: { waitS: 0.2 } } });

describe('poll: specifics', () => {
  it('reconnect() on a quiet run shows open as soon as the server answers, not when the long-poll runs out', async () => {
    // Every events request, and whether it was answered (seen through fetch: no clock involved).
    const requests: { wait: string | null; answered: boolean }[] = [];
    const realFetch = fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (!url.pathname.endsWith('/events')) return realFetch(input, init);
      const request = { wait: url.searchParams.get('wait'), answered: false };
      requests.push(request);
      return realFetch(input, init).then((response) => {
        request.answered = true;
        return response;
      });
    };
    try {
      const c = await connect('poll', { scenario: 'agent', speed: 0 }, { poll: { waitS: 25 } });
      await waitFor(c.store, (s) => s.pendingInput !== null && s.connection.status === 'open', 'waiting, open');
      const { statuses, stop } = recordStatuses(c.store);
      const before = requests.length;
      c.transport.reconnect();
      // The run is waiting for an answer: a long-poll would hold for 25 s before anything comes back.
      await waitFor(c.store, (s) => s.connection.status === 'open' && statuses.includes('reconnecting'), 'open again');
      const since = requests.slice(before).map((r) => ({ ...r }));
      stop();
      c.controller.abort();
      expect(statuses).to.deep.equal(['open', 'reconnecting', 'open']);
      expect(since[0], 'the first request after reconnect()').to.deep.equal({ wait: null, answered: true });
      expect(since.slice(1).every((r) => r.wait === '25' && !r.answered)).to.equal(
        true,
        `open was shown before any long-poll returned: ${JSON.stringify(since)}`,
      );
    } finally {
      window.fetch = realFetch;
    }
  });
});
