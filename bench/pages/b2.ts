/** B2 page: the wire → store measurement in Chromium, where the client actually runs. */
import type { WirePageApi } from './api.ts';
import { measureWire } from './wire.ts';

const api: WirePageApi = {
  run: (options) => {
    const lines: string[] = [];
    const results = measureWire(options, (message) => lines.push(message));
    return Promise.resolve({ results, log: lines });
  },
};

window.b2 = api;
