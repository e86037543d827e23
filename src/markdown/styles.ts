/**
 * Styles of rendered markdown, adopted into an element's shadow root when its markdown path loads
 * (so `format="text"` pays nothing). Colours come from the `--aw-*` tokens (light-dark()), with
 * `--aw-md-*` custom properties to override; forced colours and reduced motion are honoured.
 *
 * Long code in pieces (`.code-lines`, see code-block.ts) looks as one text node does: each piece
 * is a block with the pre's font size (its lines as high as the pre's own, whose strut sets them)
 * around a span in the code's; and as wide as its longest line with the pre's end padding after it
 * (the browser adds that padding after a text's overflowing line, not after a block's).
 */
import { css } from 'lit';
import { tokenProperties } from '../styles/token-properties.ts';

/** The markdown stylesheet (scoped by the `.markdown` class on the container; themed by the `--aw-*` tokens, in or outside an element). */
export const markdownStyles = css`
  .markdown {
    /* The theme's private properties, so rendered markdown is styled outside the elements too. */
    ${tokenProperties}
    --_aw-md-code-font: var(--aw-md-code-font-family, var(--_aw-font-mono));
    --_aw-md-code-bg: var(--aw-md-code-background, var(--_aw-surface-raised));
    --_aw-md-code-color: var(--aw-md-code-color, var(--_aw-text));
    --_aw-md-border: var(--aw-md-border-color, var(--_aw-border));
    --_aw-md-link: var(--aw-md-link-color, var(--_aw-accent));
    --_aw-md-quote: var(--aw-md-quote-color, var(--_aw-muted));
    --_aw-md-code-scale: 0.875;
    white-space: normal;
    overflow-wrap: anywhere;
  }
  .markdown > :first-child {
    margin-block-start: 0;
  }
  .markdown > :last-child {
    margin-block-end: 0;
  }
  .markdown :is(p, ul, ol, blockquote, .code-block, .table-scroll, hr) {
    margin-block: 0 0.75em;
  }
  .markdown :is(h1, h2, h3, h4, h5, h6) {
    margin-block: 1em 0.5em;
    line-height: 1.25;
  }
  .markdown h1 {
    font-size: 1.5em;
  }
  .markdown h2 {
    font-size: 1.3em;
  }
  .markdown h3 {
    font-size: 1.15em;
  }
  .markdown :is(h4, h5, h6) {
    font-size: 1em;
  }
  .markdown :is(ul, ol) {
    padding-inline-start: 1.5em;
  }
  .markdown li > :is(p, ul, ol) {
    margin-block: 0.25em;
  }
  .markdown li.task {
    list-style: none;
  }
  .markdown li.task > [part~='task-checkbox'] {
    margin: 0 0.4em 0 -1.3em;
    vertical-align: middle;
  }
  .markdown a[part~='link'],
  .markdown a[part~='image-placeholder'] {
    color: var(--_aw-md-link);
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }
  .markdown [part~='link-blocked'] {
    text-decoration: underline dotted;
  }
  .markdown .image-placeholder {
    display: inline-block;
    padding: 0 0.4em;
    border: 1px dashed var(--_aw-md-border);
    border-radius: var(--_aw-radius);
    font-size: var(--_aw-font-size-small);
  }
  .markdown .image-placeholder::before {
    content: 'Image: ';
    color: var(--_aw-muted);
  }
  .markdown img {
    max-inline-size: 100%;
    block-size: auto;
  }
  .markdown blockquote {
    margin-inline: 0;
    padding-inline-start: 0.9em;
    border-inline-start: 0.25em solid var(--_aw-md-border);
    color: var(--_aw-md-quote);
  }
  .markdown hr {
    border: 0;
    border-block-start: 1px solid var(--_aw-md-border);
  }
  .markdown code {
    font-family: var(--_aw-md-code-font);
    font-size: 0.9em;
  }
  .markdown :not(pre) > code {
    padding: 0.1em 0.35em;
    border-radius: calc(var(--_aw-radius) * 0.66);
    background: var(--_aw-md-code-bg);
    color: var(--_aw-md-code-color);
  }
  .markdown .code-block {
    border: 1px solid var(--_aw-md-border);
    border-radius: var(--_aw-radius);
    background: var(--_aw-md-code-bg);
    color: var(--_aw-md-code-color);
    overflow: hidden;
  }
  .markdown .code-header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_aw-space);
    padding: 0.15em 0.3em 0.15em 0.75em;
    border-block-end: 1px solid var(--_aw-md-border);
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-muted);
  }
  .markdown .copy {
    font: inherit;
    color: var(--_aw-text);
    background: transparent;
    border: 1px solid transparent;
    border-radius: var(--_aw-radius);
    padding: 0.1em 0.6em;
    cursor: pointer;
    transition: border-color var(--_aw-duration);
  }
  .markdown .copy:hover,
  .markdown .copy[data-copied] {
    border-color: var(--_aw-md-border);
  }
  .markdown pre {
    margin: 0;
    padding: 0.75em;
    overflow-x: auto;
    white-space: pre;
    overflow-wrap: normal;
    tab-size: 4;
  }
  .markdown pre > code,
  .markdown .code-lines > span {
    font-size: calc(var(--_aw-md-code-scale) * 1em);
  }
  .markdown pre > code > .code-lines {
    display: block;
    box-sizing: border-box;
    inline-size: max-content;
    min-inline-size: 100%;
    padding-inline-end: 0.75em;
    font-size: calc(1em / var(--_aw-md-code-scale));
  }
  .markdown .table-scroll {
    max-inline-size: 100%;
    overflow-x: auto;
  }
  .markdown table {
    border-collapse: collapse;
  }
  .markdown :is(th, td) {
    padding: 0.3em 0.75em;
    border: 1px solid var(--_aw-md-border);
  }
  .markdown th {
    background: var(--_aw-md-code-bg);
  }
  @media (prefers-reduced-motion: reduce) {
    .markdown .copy {
      transition: none;
    }
  }
  @media (forced-colors: active) {
    .markdown :is(.code-block, th, td, .image-placeholder) {
      border-color: CanvasText;
    }
    .markdown .copy {
      border-color: ButtonText;
      color: ButtonText;
    }
    .markdown a[part~='link'] {
      color: LinkText;
    }
    .markdown blockquote {
      border-inline-start-color: CanvasText;
    }
  }
`;

/** Add the markdown stylesheet to `root` (a shadow root, or the document when the renderer is used alone), once. */
export function adoptMarkdownStyles(root: ShadowRoot | Document): void {
  const sheet = markdownStyles.styleSheet;
  if (!sheet || root.adoptedStyleSheets.includes(sheet)) return;
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
