import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { RUN_DEFAULTS, runArgTypes, type RunArgs } from './support/controls.ts';
import { CONSOLE_MARKUP } from './support/layouts.ts';
import { renderLive } from './support/live.ts';
import { liveSource } from './support/source.ts';

/**
 * Theming in three layers: global `--aw-*` tokens (colours follow `color-scheme` through
 * `light-dark()`), per-element custom properties (`--aw-progress-height`, ...) and `::part()`
 * selectors on the stable part names listed in each element's docs. Each story shows its CSS
 * next to the live console.
 */
const meta: Meta<RunArgs> = {
  title: 'Theming',
  args: RUN_DEFAULTS,
  argTypes: runArgTypes,
};
export default meta;

type Story = StoryObj<RunArgs>;

/** A themed console: the story's CSS, the live console under `className`, and the same CSS shown beside it. */
function themed(className: string, styles: string): Story {
  const markup = CONSOLE_MARKUP.replace('<agent-run ', `<agent-run class="${className}" `);
  return {
    render: (args) =>
      html`${unsafeHTML(`<style>${styles}</style>`)}
        <div style="display: flex; flex-wrap: wrap; gap: 1rem; align-items: start">
          <div class=${`${className}-page`} style="flex: 2 1 36rem; min-width: 0">${renderLive(markup, args)}</div>
          <figure style="flex: 1 1 18rem; min-width: 0; margin: 0">
            <figcaption style="font: 600 0.875rem system-ui, sans-serif; margin-block-end: 0.5rem">
              The CSS of this story
            </figcaption>
            <pre
              style="margin: 0; padding: 0.75rem; overflow: auto; white-space: pre-wrap; background: #f6f8fa; color: #1f2328; border: 1px solid #d1d9e0; border-radius: 6px; font-size: 0.8125rem"
            ><code>${styles}</code></pre>
          </figure>
        </div>`,
    parameters: {
      docs: {
        source: {
          language: 'html',
          transform: (_code: string, context: { args: RunArgs }) =>
            `<style>\n${styles}\n</style>\n\n${liveSource(markup, context.args)}`,
        },
      },
    },
  };
}

const DARK = `/* Every --aw-* colour defaults to light-dark(…): a dark
   color-scheme on any ancestor switches the elements. */
.dark-page {
  color-scheme: dark;
  background: #0d1117;
  color: #e6edf3;
  padding: 1rem;
  border-radius: 8px;
}`;

const TOKENS = `/* Global tokens, then per-element custom properties. */
.tokens {
  --aw-color-accent: #8250df;
  --aw-color-border: #c297ff;
  --aw-color-surface-raised: #fbf7ff;
  --aw-font-family: Georgia, 'Times New Roman', serif;
  --aw-radius: 0;
  --aw-space: 0.625rem;

  --aw-progress-height: 0.875rem;
  --aw-progress-done-color: #1a7f37;
  --aw-stream-caret-color: #bf3989;
  --aw-approval-accent: #bf3989;
  --aw-log-label-width: 4.5rem;
}`;

const PARTS = `/* ::part() reaches into the shadow DOM through the
   stable part names in each element's docs. */
.parts run-progress::part(indicator) {
  background: linear-gradient(90deg, #0969da, #8250df);
}
.parts run-progress::part(label) {
  text-transform: uppercase;
  letter-spacing: 0.06em;
}
.parts token-stream::part(viewport) {
  border-inline-start: 4px solid #0969da;
}
.parts token-stream::part(message) {
  font-family: ui-monospace, monospace;
}
.parts agent-log::part(tool-name) {
  color: #8250df;
}
.parts agent-log::part(level-warn) {
  border-inline-start: 3px solid #9a6700;
}
.parts approval-prompt::part(choice) {
  border-radius: 999px;
  padding-inline: 1.25rem;
}`;

/** `color-scheme: dark` on a container: every token's `light-dark()` default switches; nothing else to set. */
export const Dark: Story = { ...themed('dark', DARK), name: 'Dark' };

/** Global `--aw-*` tokens (accent, font, radius, spacing) and per-element custom properties. */
export const CustomTokens: Story = { ...themed('tokens', TOKENS), name: 'Custom tokens' };

/** `::part()` overrides: the progress indicator, the status label, the stream's viewport and messages, tool names, warnings, the choice buttons. */
export const Parts: Story = { ...themed('parts', PARTS), name: '::part overrides' };
