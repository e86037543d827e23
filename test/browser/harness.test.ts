import { expect } from '@open-wc/testing';
import { decodeEventText } from '../../src/protocol/index.ts';
import { createRunStore, fullText } from '../../src/store/index.ts';
import { mockServerUrl, startMockRun } from './helpers/mock-server.ts';

describe('test harness', () => {
  it('runs in Chromium and reaches the mock server over loopback', async () => {
    const url = new URL(await mockServerUrl());
    expect(url.hostname).to.equal('127.0.0.1');
    expect(navigator.userAgent).to.contain('Chrome');
  });

  it('streams a whole run into the store with the browser EventSource', async () => {
    const base = await mockServerUrl();
    const runId = await startMockRun({ scenario: 'quick', speed: 0 });
    const store = createRunStore(runId);
    const source = new EventSource(`${base}/api/runs/${runId}/stream`);
    const types = ['status', 'progress', 'token', 'done'];
    await new Promise<void>((resolve, reject) => {
      const onEvent = (message: MessageEvent<string>): void => {
        const decoded = decodeEventText(message.data, { eventName: message.type, runId });
        if (!decoded.ok) {
          reject(decoded.error);
          return;
        }
        store.apply(decoded.value);
        if (decoded.value.type === 'done') resolve();
      };
      for (const type of types) source.addEventListener(type, onEvent);
      source.onerror = () => (store.$state.get().result ? resolve() : undefined);
    });
    source.close();
    const snapshot = (await (await fetch(`${base}/api/runs/${runId}`)).json()) as {
      last_seq: number;
      messages: { text: string }[];
    };
    expect(store.lastSeq).to.equal(snapshot.last_seq);
    expect(fullText(store.$text.get())).to.equal(snapshot.messages.map((m) => m.text).join(''));
    expect(store.$status.get()).to.equal('done');
  });
});
