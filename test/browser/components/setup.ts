/**
 * Shared setup of the element tests: any console warning or error, and any warning Lit's dev
 * mode issues, fails the test during which it happened. Import first in every test file.
 */
declare global {
  // Lit's dev mode records every warning it issued here (once per message).
  var litIssuedWarnings: Set<string | undefined> | undefined;
}

const noise: string[] = [];
const isDevModeNotice = (text: string): boolean => text.startsWith('Lit is in dev mode');
const isLoopError = (message: unknown): boolean =>
  /ResizeObserver loop (limit exceeded|completed with undelivered notifications)/.test(String(message));
/** True while ResizeObserver loop errors are ignored (see ignoreResizeObserverLoopErrors). */
let ignoringLoopErrors = false;
/** ResizeObserver loop errors ignored so far (see loopErrorsIgnored). */
let loopErrors = 0;

/** True when the event being dispatched right now is a ResizeObserver loop error that is ignored. */
function inIgnoredLoopError(): boolean {
  const current = (window as { event?: Event }).event;
  return ignoringLoopErrors && current instanceof ErrorEvent && isLoopError(current.message);
}

for (const level of ['warn', 'error'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]): void => {
    // The test runner logs every window error's `error` object (null for a ResizeObserver loop).
    if (inIgnoredLoopError()) return;
    const text = args.map((arg) => (arg instanceof Error ? (arg.stack ?? arg.message) : String(arg))).join(' ');
    if (!isDevModeNotice(text)) noise.push(`console.${level}: ${text}`);
    original(...args);
  };
}

let litSeen = new Set(globalThis.litIssuedWarnings ?? []);

afterEach(function failOnWarnings() {
  const issued = [...(globalThis.litIssuedWarnings ?? [])].filter(
    (w) => !litSeen.has(w) && w !== 'dev-mode' && !isDevModeNotice(String(w)),
  );
  litSeen = new Set(globalThis.litIssuedWarnings ?? []);
  const found = [...noise.splice(0), ...issued.map((w) => `Lit warning: ${String(w)}`)];
  if (found.length > 0)
    throw new Error(`"${this.currentTest?.fullTitle() ?? 'a test'}" produced warnings:\n${found.join('\n')}`);
});

/**
 * Chromium reports a ResizeObserver that needed more than one pass in a frame as a window
 * error ("ResizeObserver loop completed with undelivered notifications"); the Lit virtualizer
 * triggers it when it jumps far (see its README). It is benign: while a test runs, swallow
 * exactly that error. Call in `beforeEach`; returns the teardown for `afterEach`.
 */
export function ignoreResizeObserverLoopErrors(): () => void {
  const original = window.onerror;
  ignoringLoopErrors = true;
  window.onerror = (message, ...rest) => {
    // The browser cancels the error event only when a handler returns exactly true.
    if (!isLoopError(message)) return original?.call(window, message, ...rest) === true;
    loopErrors++;
    return true;
  };
  return () => {
    ignoringLoopErrors = false;
    window.onerror = original;
  };
}

/** How many ResizeObserver loop errors were ignored so far: compare before and after a step that must raise none. */
export function loopErrorsIgnored(): number {
  return loopErrors;
}
