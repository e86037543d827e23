/**
 * When an element may take focus on its own (a question arriving): never if that scrolls the
 * page, and never from someone typing elsewhere.
 */
import { deepActiveElement } from './focus-return.ts';

/** Keys pressed in a field this recently mean the user is typing there. */
export const TYPING_WINDOW_MS = 2000;

const TEXT_INPUTS = new Set([
  'text',
  'search',
  'email',
  'url',
  'tel',
  'password',
  'number',
  'date',
  'datetime-local',
  'month',
  'time',
  'week',
]);

let lastKey: { target: EventTarget | null; at: number } = { target: null, at: Number.NEGATIVE_INFINITY };
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  document.addEventListener(
    'keydown',
    (event) => {
      lastKey = { target: event.composedPath()[0] ?? null, at: event.timeStamp };
    },
    { capture: true, passive: true },
  );
}

/** Start watching keystrokes (once per page) so `typingElsewhere` can tell recent typing. */
export function watchTyping(): void {
  listen();
}

/** True for a field people type into. */
export function isEditable(element: Element | null): element is HTMLElement {
  if (element instanceof HTMLTextAreaElement) return !element.readOnly && !element.disabled;
  if (element instanceof HTMLInputElement)
    return TEXT_INPUTS.has(element.type) && !element.readOnly && !element.disabled;
  return element instanceof HTMLElement && element.isContentEditable;
}

function hasText(element: HTMLElement): boolean {
  if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) return element.value !== '';
  return element.textContent.trim() !== '';
}

/**
 * True when the user is typing outside `host`: focus is in a field that holds unsent text, or
 * where a key was pressed in the last TYPING_WINDOW_MS.
 */
export function typingElsewhere(host: Element, now = performance.now()): boolean {
  const active = deepActiveElement();
  if (!isEditable(active) || host.contains(active) || host.shadowRoot?.contains(active)) return false;
  return hasText(active) || (lastKey.target === active && now - lastKey.at < TYPING_WINDOW_MS);
}

/** The element's composed parent (across shadow roots). */
function parentOf(node: Element): Element | null {
  if (node.parentElement) return node.parentElement;
  const root = node.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

/**
 * True when `element` is wholly visible: inside the viewport and inside every scrolling or
 * clipping container around it, so focusing it scrolls nothing.
 */
export function inView(element: Element): boolean {
  const rect = element.getBoundingClientRect();
  if (rect.width === 0 && rect.height === 0) return false;
  const slack = 1;
  const inside = (box: { top: number; bottom: number; left: number; right: number }): boolean =>
    rect.top >= box.top - slack &&
    rect.bottom <= box.bottom + slack &&
    rect.left >= box.left - slack &&
    rect.right <= box.right + slack;
  if (!inside({ top: 0, left: 0, bottom: window.innerHeight, right: window.innerWidth })) return false;
  for (let node = parentOf(element); node && node !== document.documentElement; node = parentOf(node)) {
    const style = getComputedStyle(node);
    if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
    if (!inside(node.getBoundingClientRect())) return false;
  }
  return true;
}
