/**
 * B1 and B6 page: replays a token stream into one of four variants and measures DOM commits per
 * frame, long tasks and frame gaps in the page (main-thread time comes from CDP on the Node side).
 * One token per task, as network chunks arrive; paced to a rate, or back to back.
 */
import '../../src/components/token-stream/define.ts';
import type { TokenStream } from '../../src/components/token-stream/token-stream.ts';
import { decodeEventText, encodeSseEvent, type RunEvent } from '../../src/protocol/index.ts';
import { createRunStore, type RunStore } from '../../src/store/index.ts';
import { createEventStreamDecoder } from '../../src/transports/event-stream-decoder.ts';
import { createOrderedSink, type EventSink } from '../../src/store/index.ts';
import { systemClock } from '../../src/transports/types.ts';
import type { B1Config, B1Outcome, StreamPageApi } from './api.ts';
import { defineNaiveStream } from './naive-stream.ts';
import { replay, type ReplaySubject } from './replay.ts';
import { frames, nextFrame, offlineRun, token } from './shared.ts';

const RUN_ID = 'bench';
defineNaiveStream();

/** The variant under test, built by `prepare` (naive and limit follow the end in `onFrame`, as ours does itself). */
interface Subject extends ReplaySubject {
  /** Length of the text on screen (O(text): called once at the end). */
  shown(): number;
}

let config: B1Config | null = null;
let subject: Subject | null = null;
let tokens: string[] = [];
let deliveredCount = 0;
let ours: { store: RunStore; sink: EventSink; element: TokenStream } | null = null;

const VIEWPORT_CSS =
  'max-height:24rem;overflow-y:auto;padding:0.75rem;border:1px solid #ccc;white-space:pre-wrap;overflow-wrap:anywhere';

function buildOurs(): Subject {
  const store = createRunStore(RUN_ID);
  const sink = createOrderedSink(store, systemClock, 60_000);
  sink.event({ type: 'status', run_id: RUN_ID, seq: 1, state: 'running' });
  sink.flush();
  const element = document.createElement('token-stream');
  element.run = offlineRun(store, RUN_ID);
  document.body.append(element);
  ours = { store, sink, element };
  const events: RunEvent[] = tokens.map((content, i) => ({
    type: 'token',
    run_id: RUN_ID,
    seq: i + 2,
    content,
    message_id: 'm1',
  }));
  return {
    deliver: (i) => sink.event(events[i]!),
    shown: () => element.shadowRoot?.querySelector('[part~="content"]')?.textContent.length ?? -1,
    observe: [element, element.shadowRoot!],
  };
}

function buildNaive(): Subject {
  const element = document.createElement('naive-stream');
  document.body.append(element);
  return {
    deliver: (i) => {
      element.text += tokens[i]!;
    },
    shown: () => element.viewport?.textContent.length ?? -1,
    observe: [element, element.shadowRoot!],
    onFrame: () => {
      const box = element.viewport;
      if (box) box.scrollTop = box.scrollHeight;
    },
  };
}

function buildLimit(): Subject {
  const box = document.createElement('div');
  box.style.cssText = VIEWPORT_CSS;
  const text = new Text('');
  box.append(text);
  document.body.append(box);
  return {
    deliver: (i) => text.appendData(tokens[i]!),
    shown: () => text.length,
    observe: [box],
    onFrame: () => {
      box.scrollTop = box.scrollHeight;
    },
  };
}

/** Characters per Text node and per block `div` of the batched limit (ours: 1,024 per node, blocks from 1,500). */
const BATCH_NODE = 1024;
const BATCH_BLOCK = 1500;

function buildBatched(): Subject {
  const box = document.createElement('div');
  box.style.cssText = VIEWPORT_CSS;
  document.body.append(box);
  let pending = '';
  let block = document.createElement('div');
  let blockLength = 0;
  let node = new Text('');
  block.append(node);
  box.append(block);
  return {
    deliver: (i) => {
      pending += tokens[i]!;
    },
    shown: () => box.textContent.length,
    observe: [box],
    onFrame: () => {
      if (pending !== '') {
        if (blockLength >= BATCH_BLOCK) {
          block = document.createElement('div');
          blockLength = 0;
          node = new Text('');
          block.append(node);
          box.append(block);
        } else if (node.length >= BATCH_NODE) {
          node = new Text('');
          block.append(node);
        }
        node.appendData(pending);
        blockLength += pending.length;
        pending = '';
      }
      box.scrollTop = box.scrollHeight;
    },
  };
}

function buildFloor(): Subject {
  let length = 0;
  return {
    deliver: (i) => {
      length += tokens[i]!.length;
    },
    shown: () => length,
    observe: [],
  };
}

const api: StreamPageApi = {
  async prepare(next) {
    document.body.replaceChildren();
    config = next;
    deliveredCount = 0;
    ours = null;
    tokens = Array.from({ length: next.tokens }, (_, i) => token(i));
    const build = { ours: buildOurs, naive: buildNaive, limit: buildLimit, batched: buildBatched, floor: buildFloor }[
      next.variant
    ];
    subject = build();
    await frames(2);
  },

  async start(): Promise<B1Outcome> {
    if (!config || !subject) throw new Error('prepare() first');
    const target = subject;
    const counts = await replay(config, target, (i) => (deliveredCount = i));
    let deliveredLength = 0;
    for (let i = 0; i < counts.delivered; i++) deliveredLength += tokens[i]!.length;
    return { ...counts, shownLength: target.shown(), deliveredLength };
  },

  delivered: () => deliveredCount,

  async fill(count, perFrame) {
    if (!ours) throw new Error('prepare({variant: "ours"}) first');
    const { store, sink, element } = ours;
    const decoder = createEventStreamDecoder(({ type, data }) => {
      sink.decoded(decodeEventText(data, { eventName: type, runId: RUN_ID }));
    });
    const encoder = new TextEncoder();
    const started = performance.now();
    let seq = store.lastSeq;
    for (let i = 0; i < count;) {
      let frame = '';
      for (const end = Math.min(count, i + perFrame); i < end; i++) {
        frame += encodeSseEvent({ type: 'token', run_id: RUN_ID, seq: ++seq, content: token(i), message_id: 'm1' });
      }
      decoder.push(encoder.encode(frame));
      sink.flush();
      await nextFrame();
    }
    await frames(3);
    const ms = performance.now() - started;
    const shownLength = element.shadowRoot?.querySelector('[part~="content"]')?.textContent.length ?? -1;
    return { textLength: store.$text.get().length, shownLength, ms };
  },

  async fillRaw(count, perFrame) {
    document.body.replaceChildren();
    const box = document.createElement('div');
    box.style.cssText = VIEWPORT_CSS;
    const text = new Text('');
    box.append(text);
    document.body.append(box);
    const started = performance.now();
    for (let i = 0; i < count;) {
      let frame = '';
      for (const end = Math.min(count, i + perFrame); i < end; i++) frame += token(i);
      text.appendData(frame);
      box.scrollTop = box.scrollHeight;
      await nextFrame();
    }
    await frames(3);
    return { textLength: text.length, shownLength: text.length, ms: performance.now() - started };
  },

  clear() {
    document.body.replaceChildren();
    ours = null;
    subject = null;
    tokens = [];
  },

  async uaMemory() {
    const measure = (performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> })
      .measureUserAgentSpecificMemory;
    if (!crossOriginIsolated || typeof measure !== 'function') return -1;
    const result = await measure.call(performance);
    return result.bytes;
  },
};

window.b1 = api;
