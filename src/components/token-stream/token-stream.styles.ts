import { css } from 'lit';

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

  [part='content'] {
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

  [part='message'] + [part='message'] {
    margin-block-start: var(--aw-stream-message-gap, 0.75em);
  }

  [part='caret'] {
    display: inline-block;
    inline-size: 0.55em;
    block-size: 1.1em;
    margin-inline-start: 1px;
    vertical-align: text-bottom;
    background: var(--aw-stream-caret-color, var(--_aw-accent));
    animation: aw-blink 1s steps(1, end) infinite;
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
  }
`;
