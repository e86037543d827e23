import { css } from 'lit';

/**
 * In a table cell or a code block the caret takes no width of its own: it hangs into the cell's or
 * the block's padding (0.75em). Otherwise a column widened while the caret was in it and narrowed
 * when it moved on (a column of short cells jumped by the caret's width at every streamed row),
 * and a code line that nearly fit grew a scrollbar while it streamed. (A comment here, not in the
 * CSS, which ships as written.)
 */
const hangingCaret = css`
  :is(th, td, pre) [part='caret'] {
    margin-inline-end: calc(-1 * (var(--_aw-caret-size) + var(--_aw-caret-gap)));
  }
`;

/**
 * A table row the caret is in is still being written: its cells take the widths the rows before
 * it gave their columns (a cell's `max-width: 0` keeps its text out of its column's width) and
 * wrap within them, so the columns do not shift with every token; they adjust once, when the row
 * is complete and the caret has moved on. The first row sizes the columns itself: with only the
 * header to go by, its text would wrap in columns as narrow as their headings.
 */
const steadyColumns = css`
  tbody > tr:not(:first-child):has(> td > [part='caret']) > td {
    max-width: 0;
  }
`;

/** Styles of `<token-stream>`. */
export const styles = css`
  :host {
    display: block;
  }

  [part='base'] {
    position: relative;
    display: flex;
    flex-direction: column;
    height: 100%;
    background: var(--_aw-surface);
    border: 1px solid var(--_aw-border);
    border-radius: var(--_aw-radius);
  }

  [part='viewport'] {
    flex: 1;
    min-height: 0;
    max-height: var(--aw-stream-max-height, 24rem);
    overflow-y: auto;
    overscroll-behavior: contain;
    scroll-behavior: auto;
    padding: var(--aw-stream-padding, var(--_aw-space));
    border-radius: inherit;
  }

  [part='content'],
  [part='history'] {
    font-family: var(--aw-stream-font-family, var(--_aw-font));
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  [part='placeholder'] {
    margin: 0;
    color: var(--_aw-muted);
    font-style: italic;
  }

  [part='placeholder'][hidden],
  [part='ending'][hidden] {
    display: none;
  }

  [part='ending'] {
    margin: var(--aw-stream-message-gap, 0.75em) 0 0;
    color: var(--_aw-danger);
  }

  [part='message'] + [part='message'],
  [part='turn'] + [part='turn'],
  [part='history']:not(:empty) + [part='content']:not(:empty) {
    margin-block-start: var(--aw-stream-message-gap, 0.75em);
  }

  [part='turn'] {
    position: relative;
  }

  [part='turn'][data-role='user'] {
    display: flex;
    flex-direction: column;
    align-items: flex-end;
  }

  [part='user-message'] {
    max-inline-size: 85%;
    padding: 0.375em 0.75em;
    color: var(--aw-stream-user-color, var(--_aw-text));
    background: var(--aw-stream-user-background, var(--_aw-surface-raised));
    border: 1px solid var(--_aw-border);
    border-radius: calc(var(--_aw-radius) * 2);
  }

  [part='message-actions'] {
    display: flex;
    justify-content: flex-end;
    gap: 0.25rem;
  }

  /* The copy icon is quiet until the turn is pointed at or focused; the Retry text keeps full contrast. */
  [part='copy-message'] {
    opacity: 0.55;
    transition: opacity var(--_aw-duration);
  }

  [part='turn']:hover [part='copy-message'],
  [part='message-actions']:focus-within [part='copy-message'] {
    opacity: 1;
  }

  [part='retry-message'] {
    padding: 0.125rem 0.375rem;
    background: transparent;
    border-color: transparent;
    font-size: 0.8125em;
  }

  .retry-label::before {
    content: 'Retry';
  }

  [part='retry-message'][aria-disabled='true'] {
    opacity: 0.5;
    cursor: not-allowed;
  }

  [part='retry-message']:focus-visible {
    outline: 2px solid var(--_aw-focus);
  }

  [part='copy-message'] {
    display: inline-grid;
    place-items: center;
    padding: 0.125rem 0.25rem;
    background: transparent;
    border-color: transparent;
  }

  [part='copy-message']:focus-visible {
    outline: 2px solid var(--_aw-focus);
  }

  .copy-icon {
    position: relative;
    display: block;
    inline-size: 14px;
    block-size: 14px;
  }

  .copy-icon::before,
  .copy-icon::after {
    content: '';
    position: absolute;
    inline-size: 9px;
    block-size: 9px;
    border: 1.5px solid currentColor;
    border-radius: 2px;
  }

  .copy-icon::before {
    inset-block-start: 0;
    inset-inline-end: 0;
  }

  .copy-icon::after {
    inset-block-end: 0;
    inset-inline-start: 0;
    background: var(--_aw-surface);
  }

  [part='caret'] {
    --_aw-caret-size: 0.55em;
    --_aw-caret-gap: 1px;
    display: inline-block;
    inline-size: var(--_aw-caret-size);
    block-size: 1.1em;
    margin-inline-start: var(--_aw-caret-gap);
    vertical-align: text-bottom;
    background: var(--aw-stream-caret-color, var(--_aw-accent));
    animation: aw-blink 1s steps(1, end) infinite;
  }

  ${hangingCaret}
  ${steadyColumns}

  /* Steady while text arrives (see caret-rest.ts). */
  [part='caret'][data-steady] {
    animation: none;
  }

  @keyframes aw-blink {
    50% {
      opacity: 0;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    [part='caret'] {
      animation: none;
    }
  }

  @media (forced-colors: active) {
    [part='base'] {
      border-color: CanvasText;
    }
    [part='caret'] {
      background: CanvasText;
      forced-color-adjust: none;
    }
    [part='user-message'] {
      border-color: CanvasText;
    }
    [part='copy-message'] {
      opacity: 1;
    }
  }
`;
