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
import { frames, nextFrame, offlineRun, token } from './shared.ts';

const RUN_ID = 'bench';
defineNaiveStream();

/** The variant under test, built by `prepare`. */
interface Subject {
  deliver(index: number): void;
  /** Length of the text on screen (O(text): called once at the end). */
  shown(): number;
  /** Nodes whose mutations count as commits. */
  observe: Node[];
  /** Called at the start of every frame (naive and limit follow the end here, as ours does itself). */
  onFrame?: () => void;
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

/** Deliver tokens one per task until done or over budget; resolves with the count delivered. */
function feed(run: B1Config, deliver: (i: number) => void, started: number): Promise<number> {
  const channel = new MessageChannel();
  const interval = run.rate > 0 ? 1000 / run.rate : 0;
  let i = 0;
  return new Promise((resolve) => {
    const step = (): void => {
      const now = performance.now();
      if (i >= run.tokens || now - started > run.budgetMs) {
        channel.port1.close();
        resolve(i);
        return;
      }
      if (interval > 0) {
        const due = started + i * interval;
        if (due > now + 1) {
          setTimeout(step, due - now);
          return;
        }
      }
      deliver(i++);
      deliveredCount = i;
      channel.port2.postMessage(0);
    };
    channel.port1.onmessage = step;
    step();
  });
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
    const run = config;
    const target = subject;
    let running = true;
    let commits = 0;
    let frameCommits = 0;
    let frameCount = 0;
    let framesWithCommits = 0;
    let framesOverOne = 0;
    let maxCommitsPerFrame = 0;
    let maxFrameGapMs = 0;
    let lastFrame = performance.now();
    const longTasks: number[] = [];

    const observer = new MutationObserver(() => {
      commits++;
      frameCommits++;
    });
    for (const node of target.observe)
      observer.observe(node, { subtree: true, childList: true, characterData: true, attributes: true });
    const longTaskObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push(entry.duration);
    });
    longTaskObserver.observe({ type: 'longtask' });

    const closeFrame = (): void => {
      frameCount++;
      if (frameCommits > 0) framesWithCommits++;
      if (frameCommits > 1) framesOverOne++;
      maxCommitsPerFrame = Math.max(maxCommitsPerFrame, frameCommits);
      frameCommits = 0;
    };
    // Registered before any token, so it runs first in every frame: commits made in frame F's
    // callbacks (ours) are counted in F's interval, commits made by tasks between frames in the next.
    const onFrame = (time: number): void => {
      if (!running) return;
      closeFrame();
      maxFrameGapMs = Math.max(maxFrameGapMs, time - lastFrame);
      lastFrame = time;
      target.onFrame?.();
      requestAnimationFrame(onFrame);
    };
    await nextFrame();
    requestAnimationFrame(onFrame);

    const started = performance.now();
    lastFrame = started;
    const delivered = await feed(run, (i) => target.deliver(i), started);
    // Whatever was delivered reaches the screen within a frame or two.
    await frames(3);
    const elapsedMs = performance.now() - started;
    running = false;
    observer.disconnect();
    longTaskObserver.takeRecords().forEach((entry) => longTasks.push(entry.duration));
    longTaskObserver.disconnect();
    closeFrame();

    let deliveredLength = 0;
    for (let i = 0; i < delivered; i++) deliveredLength += tokens[i]!.length;
    return {
      delivered,
      elapsedMs,
      truncated: delivered < run.tokens,
      frames: frameCount,
      commits,
      framesWithCommits,
      framesOverOne,
      maxCommitsPerFrame,
      longTasks: longTasks.length,
      longTaskMs: longTasks.reduce((a, b) => a + b, 0),
      maxFrameGapMs,
      shownLength: target.shown(),
      deliveredLength,
    };
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
