/**
 * A page as a user writes it: `<agent-run>` with attributes only, and the four elements inside.
 * What the tests read is what the page shows — parts, roles and reflected attributes — and they
 * wait on what it shows (a MutationObserver over the elements and their shadow roots), never on
 * a timer.
 */
import { fixture } from '@open-wc/testing';
import '../../../src/bundle.ts';
import type { AgentLog, AgentRun, ApprovalPrompt, RunProgress, TokenStream } from '../../../src/bundle.ts';

/** The real timer, taken before any test installs fake ones: only the give-up deadline uses it. */
const realSetTimeout = window.setTimeout.bind(window);
const realClearTimeout = window.clearTimeout.bind(window);

/** How long a wait may take before the test fails with what the page shows. */
export const DEADLINE_MS = 10_000;

/** The colour a test gives the "done" bar (`--aw-color-success`), to tell a green bar from another. */
export const GREEN = 'rgb(0, 128, 0)';

/** The page: `<agent-run>` and the elements inside it. */
export interface RunPage {
  run: AgentRun;
  progress: RunProgress;
  stream: TokenStream;
  log: AgentLog;
  prompt: ApprovalPrompt;
}

const escapeAttribute = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * Mount `<agent-run>` with exactly these attributes (what a user writes in HTML), around
 * `<run-progress>`, `<token-stream>`, `<agent-log>` and `<approval-prompt>`. The log is tall
 * enough to render every row, and success is a known green.
 */
export async function mountRun(attributes: Record<string, string>): Promise<RunPage> {
  const attrs = Object.entries(attributes)
    .map(([name, value]) => `${name}="${escapeAttribute(value)}"`)
    .join(' ');
  const run = await fixture<AgentRun>(
    `<agent-run ${attrs} style="--aw-log-height: 60rem; --aw-color-success: ${GREEN}">
      <run-progress></run-progress>
      <token-stream></token-stream>
      <agent-log></agent-log>
      <approval-prompt></approval-prompt>
    </agent-run>`,
  );
  const page: RunPage = {
    run,
    progress: run.querySelector('run-progress')!,
    stream: run.querySelector('token-stream')!,
    log: run.querySelector('agent-log')!,
    prompt: run.querySelector('approval-prompt')!,
  };
  await Promise.all([page.progress.updateComplete, page.prompt.updateComplete]);
  return page;
}

function partOf(element: Element, name: string): HTMLElement | null {
  return element.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
}

function allParts(element: Element, name: string): HTMLElement[] {
  return [...(element.shadowRoot?.querySelectorAll<HTMLElement>(`[part~="${name}"]`) ?? [])];
}

const textOf = (node: Element | null): string | null => node?.textContent.replace(/\s+/g, ' ').trim() ?? null;

/** What `<run-progress>` shows. */
export interface ProgressView {
  /** The `state` attribute (done, cancelled, failed, running, waiting, ...). */
  state: string | null;
  /** The `connection` attribute (open, reconnecting, closed, failed, ...). */
  connection: string | null;
  label: string | null;
  value: string | null;
  message: string | null;
  /** The `result` part; null while the element has none. */
  result: string | null;
  /** The `connection` part's text. */
  connectionText: string | null;
  /** Computed background colour of the bar's filled part. */
  indicatorColor: string;
  /** Everything it shows, as one line of text. */
  text: string;
}

/** Read `<run-progress>`. */
export function progressView(page: RunPage): ProgressView {
  const el = page.progress;
  const indicator = partOf(el, 'indicator');
  return {
    state: el.getAttribute('state'),
    connection: el.getAttribute('connection'),
    label: textOf(partOf(el, 'label')),
    value: textOf(partOf(el, 'value')),
    message: textOf(partOf(el, 'message')),
    result: textOf(partOf(el, 'result')),
    connectionText: textOf(partOf(el, 'connection')),
    indicatorColor: indicator ? getComputedStyle(indicator).backgroundColor : '',
    text: textOf(partOf(el, 'base')) ?? '',
  };
}

/** One `<agent-log>` row as shown. */
export interface LogRowView {
  /** The row's part names besides `row` (its kind: step, tool, request, ...). */
  kinds: string[];
  label: string | null;
  text: string | null;
  detail: string | null;
  /** A tool row's `tool-status` part `data-status` (running, done, failed, ...). */
  toolStatus: string | null;
  /** The whole row as text. */
  all: string;
}

/** The rows `<agent-log>` shows, oldest first. */
export function logRows(page: RunPage): LogRowView[] {
  return allParts(page.log, 'row').map((row) => {
    const within = (name: string): HTMLElement | null => row.querySelector<HTMLElement>(`[part~="${name}"]`);
    return {
      kinds: [...row.part].filter((p) => p !== 'row'),
      label: textOf(within('label')),
      text: textOf(within('text')),
      detail: textOf(within('detail')),
      toolStatus: within('tool-status')?.dataset['status'] ?? null,
      all: textOf(row) ?? '',
    };
  });
}

/** Rows of one kind (`request`, `tool`, `step`, ...). */
export const rowsOf = (page: RunPage, kind: string): LogRowView[] =>
  logRows(page).filter((r) => r.kinds.includes(kind));

/** The text `<token-stream>` shows (its messages). */
export function streamText(page: RunPage): string {
  return allParts(page.stream, 'message')
    .map((m) => m.textContent)
    .join('');
}

/** The text `<token-stream>` shows in all (messages and anything after them, not its buttons), as one line. */
export function streamAll(page: RunPage): string {
  const base = partOf(page.stream, 'base');
  if (!base) return '';
  const copy = base.cloneNode(true) as HTMLElement;
  // Not its buttons, nor the live region that repeats completed messages to screen readers.
  for (const hidden of copy.querySelectorAll('button, [aria-live], [role="status"], [role="alert"]')) hidden.remove();
  return textOf(copy) ?? '';
}

/** `<agent-log>`'s empty-state text, when shown. */
export function logEmptyText(page: RunPage): string | null {
  return textOf(partOf(page.log, 'empty'));
}

/** A short account of what the page shows, for failure messages. */
export function describePage(page: RunPage): string {
  const p = progressView(page);
  const rows = logRows(page).map((r) => `    ${r.kinds.join(' ')}: ${r.all}`);
  return [
    `  <run-progress state=${p.state} connection=${p.connection}>: ${JSON.stringify(p.text)}`,
    `  <approval-prompt phase=${page.prompt.phase}>: ${JSON.stringify(textOf(partOf(page.prompt, 'prompt')) ?? '')}`,
    `  <token-stream>: ${JSON.stringify(streamAll(page).slice(0, 200))}`,
    `  <agent-log>: ${rows.length} rows${logEmptyText(page) ? ` (${logEmptyText(page)})` : ''}`,
    ...rows,
  ].join('\n');
}

/** Rows of errors the client itself raised (a frame it refused, a command it could not send). */
function streamErrors(page: RunPage): LogRowView[] {
  return logRows(page).filter((r) => r.kinds.includes('error') && r.label === 'Stream error');
}

/** Call `onChange` after every DOM change of the page (elements, shadow roots, attributes, text); returns the stop. */
export function observe(page: RunPage, onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  const options = { subtree: true, childList: true, characterData: true, attributes: true };
  observer.observe(page.run, options);
  for (const el of [page.progress, page.stream, page.log, page.prompt])
    if (el.shadowRoot) observer.observe(el.shadowRoot, options);
  return () => observer.disconnect();
}

/** Options of `until`. */
export interface UntilOptions {
  /** Fail at once when the client reports a stream error (a refused frame); true by default. */
  failOnStreamError?: boolean;
  /** Give up after this long (real time, whatever fake clock is installed). */
  deadlineMs?: number;
  /** Fail at once when this returns a reason (something the page shows that rules the wait out). */
  failWhen?: (page: RunPage) => string | null;
}

const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

/**
 * Resolve once every element has drawn what its run holds: `<token-stream>` and `<agent-log>`
 * draw what arrived once per animation frame, in a frame callback scheduled when it arrived, so
 * a frame callback scheduled after it runs after their drawing.
 */
export async function settled(page: RunPage): Promise<void> {
  const elements = [page.progress, page.stream, page.log, page.prompt];
  await Promise.all(elements.map((el) => el.updateComplete));
  await nextFrame();
  await Promise.all(elements.map((el) => el.updateComplete));
}

/**
 * Resolve once `check(page)` is true, re-checked on every change the page shows, and the page
 * has settled (see `settled`). Rejects with what the page shows when the deadline passes, or
 * when the client reported a stream error.
 */
export async function until(
  page: RunPage,
  what: string,
  check: (page: RunPage) => boolean,
  options: UntilOptions = {},
): Promise<void> {
  await changeUntil(page, what, check, options);
  await settled(page);
}

function changeUntil(
  page: RunPage,
  what: string,
  check: (page: RunPage) => boolean,
  { failOnStreamError = true, deadlineMs = DEADLINE_MS, failWhen }: UntilOptions = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      stop();
      realClearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    const evaluate = (): void => {
      const errors = failOnStreamError ? streamErrors(page) : [];
      if (errors.length > 0) {
        finish(new Error(`waiting for ${what}, the client reported: ${errors[0]!.all}\n${describePage(page)}`));
        return;
      }
      if (check(page)) {
        finish();
        return;
      }
      const reason = failWhen?.(page);
      if (reason) finish(new Error(`waiting for ${what}: ${reason}\n${describePage(page)}`));
    };
    const stop = observe(page, evaluate);
    const timer = realSetTimeout(
      () => finish(new Error(`waited ${deadlineMs} ms for ${what}, in vain; the page shows:\n${describePage(page)}`)),
      deadlineMs,
    );
    evaluate();
  });
}

const TERMINAL = ['done', 'failed', 'cancelled'];

/** Resolve once `<run-progress>` shows an ended run (done, failed or cancelled). */
export function ended(page: RunPage, options?: UntilOptions): Promise<void> {
  return until(page, 'end of the run', (p) => TERMINAL.includes(progressView(p).state ?? ''), options);
}

/** Resolve once `<approval-prompt>` asks (phase `open`) with this prompt; fail at once if the run ends first. */
export function asked(page: RunPage, prompt: string, options?: UntilOptions): Promise<void> {
  return until(
    page,
    `the question "${prompt}"`,
    (p) => p.prompt.phase === 'open' && textOf(partOf(p.prompt, 'prompt')) === prompt,
    {
      failWhen: (p) => {
        const state = progressView(p).state ?? '';
        return TERMINAL.includes(state) ? `the run ended (${state}) before its question could be answered` : null;
      },
      ...options,
    },
  );
}

/** Answer the open question as a user does: type into its field (or pick the choice) and send. */
export async function answer(page: RunPage, text: string): Promise<void> {
  const choice = allParts(page.prompt, 'choice').find((b) => textOf(b) === text);
  if (choice) {
    choice.click();
  } else {
    const input = partOf(page.prompt, 'input');
    if (!(input instanceof HTMLInputElement))
      throw new Error(`no open question to answer "${text}" (phase ${page.prompt.phase}):\n${describePage(page)}`);
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    partOf(page.prompt, 'submit')!.click();
  }
  await page.prompt.updateComplete;
}

/** Everything `<run-progress>` showed over time: each distinct label, value and message, in order. */
export interface ProgressHistory {
  /** The `state` attribute's values. */
  states: string[];
  labels: string[];
  values: string[];
  messages: string[];
  /** Stop recording. */
  stop(): void;
}

/** Record what `<run-progress>` shows from now on. */
export function recordProgress(page: RunPage): ProgressHistory {
  const history: ProgressHistory = { states: [], labels: [], values: [], messages: [], stop: () => undefined };
  const note = (list: string[], value: string | null): void => {
    if (value && list.at(-1) !== value) list.push(value);
  };
  const sample = (): void => {
    const view = progressView(page);
    note(history.states, view.state);
    note(history.labels, view.label);
    note(history.values, view.value);
    note(history.messages, view.message);
  };
  history.stop = observe(page, sample);
  sample();
  return history;
}

/** The percentages a history shows strictly between 0 and 100. */
export function intermediate(values: readonly string[]): number[] {
  return values.map((v) => Number.parseFloat(v)).filter((n) => n > 0 && n < 100);
}

/**
 * Several expectations checked together: each failure is kept (with the issue point it shows),
 * and `verify()` fails once with all of them, so one test reports every point it covers.
 */
export class Checks {
  private readonly failures: string[] = [];

  /** Run one expectation (a chai `expect`; its value is ignored), keeping its failure. */
  check(expectation: () => unknown): this {
    try {
      expectation();
    } catch (error) {
      this.failures.push(error instanceof Error ? error.message : String(error));
    }
    return this;
  }

  /** Fail with every kept failure, if any. */
  verify(page?: RunPage): void {
    if (this.failures.length === 0) return;
    const shown = page ? `\nThe page shows:\n${describePage(page)}` : '';
    throw new Error(`${this.failures.length} expectation(s) failed:\n- ${this.failures.join('\n- ')}${shown}`);
  }
}
