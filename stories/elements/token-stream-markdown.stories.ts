import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ref } from 'lit/directives/ref.js';
import type { TokenStream } from '../../src/components/token-stream/token-stream.ts';
import type { Highlighter } from '../../src/markdown/index.ts';
import type * as Shiki from 'shiki';
import { XSS_PAYLOADS } from '../../mock-server/xss-corpus.ts';
import { RUN_DEFAULTS, runArgTypes, type RunArgs } from '../support/controls.ts';
import { liveParameters, renderLive } from '../support/live.ts';
import { REALISTIC_ANSWER, TORTURE } from '../support/markdown-corpus.ts';
import { scriptedRun, type ScriptStep } from '../support/scripted-run.ts';

const LIVE = `<agent-run>
  <token-stream format="markdown" style="--aw-stream-max-height: 28rem"></token-stream>
</agent-run>`;

const meta: Meta<RunArgs> = {
  title: 'Elements/Token stream: markdown',
  component: 'token-stream',
  args: { ...RUN_DEFAULTS, scenario: 'markdown' },
  argTypes: runArgTypes,
  render: (args) => renderLive(LIVE, args),
  parameters: liveParameters(LIVE),
};
export default meta;

type Story = StoryObj<RunArgs>;

/** A realistic answer streaming from the mock server: only the open block re-renders, code blocks get a label and a copy button. */
export const Answer: Story = { name: 'Realistic answer (live)' };

/**
 * Tokens of `text` as a model streams them: 4 characters each, a pause of `pause` ms after every
 * `perPause` of them (8 ms after each by default; timers wait at least 4 ms).
 */
function tokenSteps(
  text: string,
  messageId: string,
  perPause = 1,
  pause = 8,
  type: 'token' | 'reasoning' = 'token',
): ScriptStep[] {
  const steps: ScriptStep[] = [];
  for (let at = 0; at < text.length; at += 4) {
    steps.push({ type, content: text.slice(at, at + 4), message_id: messageId });
    if ((at / 4) % perPause === perPause - 1) steps.push({ pause });
  }
  return steps;
}

const TORTURE_TEXT = `${TORTURE}\n\n## Unfinished syntax, held open for a moment each\n\nSome **bold that is still stre`;
const XSS_TEXT = XSS_PAYLOADS.map((payload, i) => `${i + 1}. ${payload}`).join('\n');

/** Play `steps` into the element's own store-fed run (no server) while it is on the page. */
function playInto(steps: readonly ScriptStep[], highlight?: Highlighter) {
  return ref((node) => {
    if (!(node instanceof HTMLElement) || node.localName !== 'token-stream') return;
    const el = node as unknown as TokenStream;
    if (highlight) el.highlight = highlight;
    const run = scriptedRun(`story-${Math.random().toString(36).slice(2)}`, steps, []);
    el.run = run.handle;
    run.play();
  });
}

/** A `<token-stream format="markdown">` of `height` playing `steps` as a run that starts, then completes. */
function markdownStream(height: string, steps: readonly ScriptStep[], highlight?: Highlighter) {
  return html`<token-stream
    format="markdown"
    style="--aw-stream-max-height: ${height}"
    ${playInto(
      [
        { type: 'status', state: 'running' },
        ...steps,
        { type: 'status', state: 'done' },
        { type: 'done', state: 'completed' },
      ],
      highlight,
    )}
  ></token-stream>`;
}

/**
 * Every construct (setext and ATX headings, emphasis, strikethrough, nested and task lists,
 * quotes with lazy lines, indented and fenced code, tables with alignment, autolinks, a link
 * reference defined at the very end), unfinished syntax, then the XSS corpus: all inert text.
 */
export const Torture: Story = {
  name: 'Markdown torture (every construct, unfinished syntax, XSS payloads)',
  render: () =>
    markdownStream('32rem', [
      ...tokenSteps(TORTURE_TEXT, 'm1'),
      { pause: 1500 },
      ...tokenSteps('am** and a [half link](https://exa', 'm1'),
      { pause: 1500 },
      ...tokenSteps('mple.com) done.\n\n## XSS payloads (shown as text)\n\n' + XSS_TEXT + '\n', 'm1'),
    ]),
};

/** Thoughts as a reasoning summary reads (a bold title, then prose with code), before the answer. */
const THOUGHTS = [
  '**Choosing a retry policy**',
  '',
  'The uploads fail on transient errors. A fixed delay would make every client retry at once, so',
  '*exponential backoff with full jitter* is better:',
  '',
  '- five attempts keep the worst case near 3 s;',
  '- only `5xx` and network errors are worth retrying.',
].join('\n');

/**
 * Reasoning streams in markdown too (as the answer does): the summary's bold title and the code
 * show as such, never as asterisks and backticks. It collapses when the answer starts.
 */
export const Reasoning: Story = {
  name: 'Reasoning in markdown, then the answer',
  render: () =>
    markdownStream('28rem', [
      ...tokenSteps(THOUGHTS, 'm1', 1, 40, 'reasoning'),
      { pause: 600 },
      ...tokenSteps(REALISTIC_ANSWER.split('\n\n').slice(0, 3).join('\n\n'), 'm1', 1, 20),
    ]),
};

let shiki: Promise<typeof Shiki> | null = null;
/** Shiki (a devDependency of the stories only, never in the library): each code block highlighted once, lazily. */
const shikiHighlight: Highlighter = async (code, language) => {
  const { codeToTokens, bundledLanguages } = await (shiki ??= import('shiki'));
  if (!(language in bundledLanguages)) return null;
  const { tokens } = await codeToTokens(code, {
    lang: language as keyof typeof bundledLanguages,
    theme: 'github-light',
  });
  const fragment = document.createDocumentFragment();
  tokens.forEach((line, i) => {
    for (const token of line) {
      const span = document.createElement('span');
      if (token.color) span.style.color = token.color;
      span.textContent = token.content;
      fragment.append(span);
    }
    if (i < tokens.length - 1 || code.endsWith('\n')) fragment.append('\n');
  });
  return fragment;
};

/** The realistic answer with a highlighter hook (shiki, loaded on first use): finished code blocks are highlighted once, never while streaming. */
export const Highlighted: Story = {
  name: 'With a highlighter (shiki)',
  render: () => markdownStream('32rem', tokenSteps(REALISTIC_ANSWER, 'm1'), shikiHighlight),
};

/**
 * The same fast answer (about 1,000 tokens a second: four every 4 ms) drawn every frame
 * (`draw-interval="0"`), at the default 50 ms and at 100 ms, side by side: how often the open
 * block is rendered while a message streams. The first text and the final render are never held
 * back.
 */
export const DrawInterval: Story = {
  name: 'Draw interval: every frame, 50 ms (default), 100 ms',
  render: () => {
    const steps: ScriptStep[] = [
      { type: 'status', state: 'running' },
      ...tokenSteps(REALISTIC_ANSWER, 'm1', 4, 4),
      { type: 'status', state: 'done' },
      { type: 'done', state: 'completed' },
    ];
    const column = (interval: number, label: string) =>
      html`<div style="min-width: 0">
        <p style="margin: 0 0 0.5rem; font: 600 0.875rem system-ui">${label}</p>
        <token-stream
          format="markdown"
          draw-interval=${interval}
          label=${label}
          style="--aw-stream-max-height: 28rem"
          ${playInto(steps)}
        ></token-stream>
      </div>`;
    return html`<div style="display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 1rem">
      ${column(0, 'Every frame (draw-interval="0")')} ${column(50, 'Every 50 ms (the default)')}
      ${column(100, 'Every 100 ms (draw-interval="100")')}
    </div>`;
  },
};
