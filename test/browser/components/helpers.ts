/** Helpers of the element tests: store-fed run handles, event builders, hostile strings, part checks. */
import { computed, type ReadableAtom } from 'nanostores';
import { deepActiveElement } from '../../../src/controllers/focus-return.ts';
import type { RunEvent } from '../../../src/protocol/index.ts';
import { createLocalRun } from '../../../src/run/index.ts';
import type { RunHandle } from '../../../src/run/types.ts';
import type { ReplyAck } from '../../../src/transports/index.ts';
import { createRunStore, type RunStore } from '../../../src/store/index.ts';
import { countingList, type ReadCounter } from '../../shared/count-reads.ts';

/** A server event without the fields the feeder adds. */
export type EventBody = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'run_id' | 'seq'> : never) : never;

/** Markup that would run script if it were ever parsed as HTML. */
export const HOSTILE = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`;

declare global {
  var __pwned: number | undefined;
}

/** A run handle over a store the test feeds directly (no network). `replies` records what was sent. */
export interface FedRun extends RunHandle {
  /** Apply server events, numbering them in order. */
  feed(...events: EventBody[]): void;
  /** Texts passed to `reply()`. */
  readonly replies: string[];
  /** Decide how the next `reply()` ends (default: delivered, then accepted when the test feeds input_accepted). */
  onReply: (text: string, resumeToken: string) => Promise<ReplyAck>;
}

/** A handle over a fresh store fed by the test. */
export function fedRun(runId = 'r1', store: RunStore = createRunStore(runId)): FedRun {
  let seq = 0;
  const replies: string[] = [];
  const handle = createLocalRun({
    runId,
    store,
    reply: ({ text, request }) => {
      replies.push(text);
      return run.onReply(text, request.resume_token);
    },
    cancel: () => Promise.resolve(),
  });
  const run: FedRun = Object.assign(handle, {
    replies,
    feed(...events: EventBody[]) {
      store.applyAll(events.map((event) => ({ ...event, run_id: runId, seq: ++seq })));
    },
    onReply: (): Promise<ReplyAck> => Promise.resolve('delivered'),
  });
  return run;
}

/**
 * The same run, except that its store hands the element counting views of the text's chunks
 * (`$text`) or of the log's entries (`$log`): how many items an element reads per update, to
 * check it reads what is new, never the whole text or log (work per update independent of size).
 */
export function countReads(run: FedRun, store: '$text' | '$log'): { run: FedRun; reads: ReadCounter } {
  const reads: ReadCounter = { count: 0 };
  const derived =
    store === '$text'
      ? computed(run.store.$text, (text) => ({ ...text, chunks: countingList(text.chunks, reads) }))
      : computed(run.store.$log, (log) => countingList(log, reads));
  // Everything else (getters included) is the real store's.
  const counted = Object.create(run.store, { [store]: { value: derived } }) as RunStore;
  return { run: { ...run, store: counted }, reads };
}

/** The `@csspart` names documented in an element's source (its JSDoc header is the API). */
export function documentedParts(source: string): string[] {
  return [...source.matchAll(/@csspart\s+([\w-]+)/g)].map((m) => m[1]!);
}

/** Every part name present in an element's shadow root. */
export function renderedParts(element: Element): Set<string> {
  const names = new Set<string>();
  for (const node of element.shadowRoot?.querySelectorAll('[part]') ?? [])
    for (const name of node.part) names.add(name);
  return names;
}

/** The first element with `part` in the shadow root, of class `type` (throws when there is none, or it is another kind). */
export function part(element: Element, name: string): HTMLElement;
export function part<T extends Element>(element: Element, name: string, type: abstract new () => T): T;
export function part(element: Element, name: string, type: abstract new () => Element = HTMLElement): Element {
  const found = element.shadowRoot?.querySelector(`[part~="${name}"]`);
  if (!found) throw new Error(`no part "${name}" in <${element.localName}>`);
  if (found instanceof type) return found;
  throw new Error(`part "${name}" of <${element.localName}> is not a ${type.name}`);
}

/** All elements with `part` in the shadow root. */
export function parts<T extends Element = HTMLElement>(element: Element, name: string): T[] {
  return [...(element.shadowRoot?.querySelectorAll<T>(`[part~="${name}"]`) ?? [])];
}

/** Resolve after the next animation frame (elements flush their DOM work once per frame). */
export function frame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/** Counts the animation frames the page asks for until `restore()`; its own `frame()` is not counted. */
export interface FrameRequests {
  readonly asked: number;
  frame(): Promise<void>;
  restore(): void;
}

/** Start counting the animation frames the page asks for (an element asking for none between draws, say). */
export function countFrameRequests(): FrameRequests {
  const requestFrame = window.requestAnimationFrame.bind(window);
  let asked = 0;
  window.requestAnimationFrame = (callback) => {
    asked++;
    return requestFrame(callback);
  };
  return {
    get asked() {
      return asked;
    },
    frame: () => new Promise((resolve) => requestFrame(() => resolve())),
    restore: () => {
      window.requestAnimationFrame = requestFrame;
    },
  };
}

/** Resolve once `store` holds a value for which `check` is true (event-driven: no polling, no sleeping). */
export function storeUntil<T>(store: ReadableAtom<T>, check: (value: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    let done = false;
    const unsubscribe = store.subscribe((value) => {
      if (done || !check(value)) return;
      done = true;
      queueMicrotask(() => unsubscribe());
      resolve(value);
    });
  });
}

/** The next `name` event on `target`, typed from GlobalEventHandlersEventMap. */
export function nextEvent<K extends keyof GlobalEventHandlersEventMap>(
  target: EventTarget,
  name: K,
): Promise<GlobalEventHandlersEventMap[K]> {
  return new Promise((resolve) =>
    target.addEventListener(name, (event) => resolve(event as GlobalEventHandlersEventMap[K]), { once: true }),
  );
}

/** Scroll `scroller` to `top` as a user would (a wheel turn, then the scroll it causes); resolves after the scroll event. */
export async function userScroll(scroller: HTMLElement, top: number): Promise<void> {
  const scrolled = new Promise((resolve) => scroller.addEventListener('scroll', resolve, { once: true }));
  scroller.dispatchEvent(new WheelEvent('wheel', { deltaY: top - scroller.scrollTop, bubbles: true }));
  scroller.scrollTop = top;
  await scrolled;
}

/** A short, safe description of a node for assertion messages (chai's own formatting of live elements can hang). */
export function describeNode(node: Node | null | undefined): string {
  if (!node) return String(node);
  if (!(node instanceof Element)) return node.nodeName;
  const part = node.getAttribute('part');
  return `<${node.localName}${node.id ? `#${node.id}` : ''}${part ? ` part="${part}"` : ''}>`;
}

/** Assert that focus (looking inside shadow roots) is on `expected`. */
export function expectFocusOn(expected: Element | null | undefined, message = 'focus'): void {
  const active = deepActiveElement();
  if (active !== expected)
    throw new Error(`${message}: expected ${describeNode(expected)} to have focus, but ${describeNode(active)} has it`);
}

/** Assert that two nodes are the same node. */
export function expectSameNode(
  actual: Node | null | undefined,
  expected: Node | null | undefined,
  message = 'node',
): void {
  if (actual !== expected)
    throw new Error(`${message}: expected ${describeNode(expected)}, got ${describeNode(actual)}`);
}

/** Resolve at the first `scrollend` (a finished, possibly animated, scroll) after which `check(scroller)` holds. */
export function scrolledUntil(scroller: HTMLElement, check: (scroller: HTMLElement) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const onEnd = (): void => {
      if (!check(scroller)) return;
      scroller.removeEventListener('scrollend', onEnd);
      resolve();
    };
    scroller.addEventListener('scrollend', onEnd);
  });
}

/**
 * Run `fn` as on a page without the async clipboard (served over plain http, where
 * `navigator.clipboard` is undefined): resolves with what the copy command copied, the fallback.
 */
export async function copiedWithoutClipboard(fn: () => Promise<void>): Promise<string[]> {
  const copied: string[] = [];
  const onCopy = (event: ClipboardEvent): void => {
    const source = event.composedPath()[0];
    copied.push(
      source instanceof HTMLTextAreaElement
        ? source.value.slice(source.selectionStart, source.selectionEnd)
        : String(document.getSelection()),
    );
  };
  const own = Object.getOwnPropertyDescriptor(navigator, 'clipboard');
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined });
  document.addEventListener('copy', onCopy, true);
  try {
    await fn();
  } finally {
    document.removeEventListener('copy', onCopy, true);
    if (own) Object.defineProperty(navigator, 'clipboard', own);
    else Reflect.deleteProperty(navigator, 'clipboard');
  }
  return copied;
}
