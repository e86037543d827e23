/**
 * A page-level tripwire for XSS tests, installed on import (before any element exists):
 * - `window.__xss` is bumped by every payload of the corpus if it ever runs;
 * - every HTML-parsing sink (innerHTML, outerHTML, insertAdjacentHTML, setHTMLUnsafe,
 *   createContextualFragment, DOMParser, document.write, iframe srcdoc) and every `on*` attribute
 *   set from script is recorded when it carries payload code;
 * - a MutationObserver on the document and on every shadow root records each element added, so
 *   an element that was created from content is seen even if it was removed again.
 */
import { XSS_HIT } from '../../../mock-server/xss-corpus.ts';

declare global {
  var __xss: number | undefined;
}

/** Sink calls that carried payload code. */
export const sinkHits: string[] = [];
/** Every element added to the document or to a shadow root since install (or the last `forget()`). */
const added = new Set<Element>();
/** Elements whose attributes changed. */
const touched = new Set<Element>();

const MARK = '__xss';
const carries = (value: unknown): boolean => String(value).includes(MARK);

const observer = new MutationObserver((records) => collect(records));
const OBSERVE: MutationObserverInit = { childList: true, subtree: true, attributes: true };

function collect(records: MutationRecord[]): void {
  for (const record of records) {
    if (record.type === 'attributes' && record.target instanceof Element) touched.add(record.target);
    for (const node of record.addedNodes) {
      if (!(node instanceof Element)) continue;
      added.add(node);
      for (const inner of node.querySelectorAll('*')) added.add(inner);
    }
  }
}

function wrapSetter(proto: object, prop: string, label: string): void {
  const descriptor = Object.getOwnPropertyDescriptor(proto, prop);
  if (!descriptor?.set) return;
  Object.defineProperty(proto, prop, {
    ...descriptor,
    set(this: unknown, value: unknown) {
      if (carries(value)) sinkHits.push(`${label}: ${String(value).slice(0, 120)}`);
      descriptor.set?.call(this, value);
    },
  });
}

function wrapMethod(proto: object, name: string, label: string, argIndex: number): void {
  const original = (proto as Record<string, unknown>)[name];
  if (typeof original !== 'function') return;
  (proto as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
    if (carries(args[argIndex])) sinkHits.push(`${label}: ${String(args[argIndex]).slice(0, 120)}`);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
}

let installed = false;

/** Install the tripwire (idempotent; runs on import). */
export function installTripwire(): void {
  if (installed) return;
  installed = true;
  observer.observe(document.documentElement, OBSERVE);
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the native is saved to be called with .call(this) from its replacement
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (this: Element, init: ShadowRootInit): ShadowRoot {
    const root = attachShadow.call(this, init);
    observer.observe(root, OBSERVE);
    return root;
  };
  wrapSetter(Element.prototype, 'innerHTML', 'innerHTML');
  wrapSetter(Element.prototype, 'outerHTML', 'outerHTML');
  wrapSetter(ShadowRoot.prototype, 'innerHTML', 'ShadowRoot.innerHTML');
  wrapSetter(HTMLIFrameElement.prototype, 'srcdoc', 'srcdoc');
  wrapMethod(Element.prototype, 'insertAdjacentHTML', 'insertAdjacentHTML', 1);
  wrapMethod(Element.prototype, 'setHTMLUnsafe', 'setHTMLUnsafe', 0);
  wrapMethod(ShadowRoot.prototype, 'setHTMLUnsafe', 'ShadowRoot.setHTMLUnsafe', 0);
  wrapMethod(Range.prototype, 'createContextualFragment', 'createContextualFragment', 0);
  wrapMethod(DOMParser.prototype, 'parseFromString', 'DOMParser', 0);
  wrapMethod(Document.prototype, 'write', 'document.write', 0);
  wrapMethod(Document.prototype, 'writeln', 'document.writeln', 0);
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the native is saved to be called with .call(this) from its replacement
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string): void {
    if (/^on/i.test(name)) sinkHits.push(`setAttribute ${name}=${value.slice(0, 80)}`);
    setAttribute.call(this, name, value);
  };
}

/** Deliver pending mutation records now. */
export function flushRecords(): void {
  collect(observer.takeRecords());
}

/** Elements added (and elements whose attributes changed) since install or the last `forget()`. */
export function seenElements(): Element[] {
  flushRecords();
  return [...new Set([...added, ...touched])];
}

/** Start a new observation window. */
export function forget(): void {
  flushRecords();
  added.clear();
  touched.clear();
}

/** Times payload code ran. */
export function executions(): number {
  return globalThis.__xss ?? 0;
}

/** Every element in `root`, through shadow roots. */
export function deepElements(root: ParentNode): Element[] {
  const out: Element[] = [];
  const walk = (node: ParentNode): void => {
    for (const child of node.children) {
      out.push(child);
      if (child.shadowRoot) walk(child.shadowRoot);
      walk(child);
    }
  };
  walk(root);
  return out;
}

/** All text in `root`, through shadow roots, in document order. */
export function deepText(root: Node): string {
  let text = '';
  const walk = (node: Node): void => {
    if (node.nodeType === Node.TEXT_NODE) text += (node as Text).data;
    if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
    for (const child of node.childNodes) walk(child);
  };
  walk(root);
  return text;
}

/** Attributes that load or navigate to a URL. */
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'data',
  'srcdoc',
  'background',
  'poster',
  'cite',
  'codebase',
  'srcset',
  'ping',
]);
/** Elements that never belong in these components' output: each can run script or load content. */
export const FORBIDDEN_TAGS = new Set([
  'script',
  'img',
  'svg',
  'math',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'a',
  'area',
  'form',
  'meta',
  'base',
  'link',
  'style',
  'video',
  'audio',
  'source',
  'track',
  'picture',
  'portal',
  'marquee',
  'noscript',
  'template',
  'body',
  'html',
  'head',
  'title',
  'textarea',
]);

/** What a benign render produced: the tags and, per tag, the attribute names. */
export type Baseline = Map<string, Set<string>>;

/** Record tags and attribute names of `elements` into `baseline`. */
export function learn(baseline: Baseline, elements: Iterable<Element>): Baseline {
  for (const element of elements) {
    const tag = element.localName;
    let names = baseline.get(tag);
    if (!names) baseline.set(tag, (names = new Set()));
    for (const attribute of element.attributes) names.add(attribute.name);
  }
  return baseline;
}

/** Everything wrong with `elements` (empty when clean): forbidden or unknown tags, handlers, script URLs. */
export function violations(elements: Iterable<Element>, baseline: Baseline): string[] {
  const found: string[] = [];
  for (const element of elements) {
    const tag = element.localName;
    if (FORBIDDEN_TAGS.has(tag)) found.push(`a <${tag}> element was created`);
    else if (!baseline.has(tag)) found.push(`a <${tag}> element appeared that benign content never creates`);
    const known = baseline.get(tag);
    for (const { name, value } of element.attributes) {
      if (/^on/i.test(name)) found.push(`<${tag}> has an event-handler attribute ${name}`);
      else if (known && !known.has(name) && !name.startsWith('data-') && !name.startsWith('aria-'))
        found.push(`<${tag}> has an attribute ${name} benign content never sets`);
      // Browsers ignore C0/C1 controls and spaces in a URL's scheme, so they are stripped before the check.
      // eslint-disable-next-line no-control-regex -- matching control characters is the point of this pattern
      const squashed = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
      if (URL_ATTRIBUTES.has(name.toLowerCase()) && /^(javascript|vbscript|data):/.test(squashed))
        found.push(`<${tag} ${name}="${value.slice(0, 60)}">`);
      if (name === 'style' && /url\(|expression\(|javascript:/i.test(value))
        found.push(`<${tag} style="${value.slice(0, 60)}">`);
    }
  }
  return [...new Set(found)];
}

/**
 * Wait until asynchronous payloads would have fired: two animation frames, then a canary image
 * whose error handler (set by this test, not by content) must run — proving handlers do run in
 * this page, and letting image errors queued before it be delivered.
 */
export async function barrier(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
  await new Promise<void>((resolve) => {
    const canary = new Image();
    canary.onerror = () => resolve();
    canary.onload = () => resolve();
    // An image that fails to decode: the error is queued like a payload's would be, with no request.
    canary.src = `data:image/png;base64,AAAA${Math.random().toString(36).slice(2)}`;
  });
  flushRecords();
}

/** The exact code the payloads run (for docs and sanity checks). */
export const PAYLOAD_CODE = XSS_HIT;

installTripwire();
