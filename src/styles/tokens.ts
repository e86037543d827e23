/**
 * The global theme: `--aw-*` tokens a page sets once, read by every element through private
 * `--_aw-*` properties that carry the defaults. Colours use `light-dark()`, so each element
 * follows its `color-scheme` (inherited from the page: set `color-scheme: light dark` to follow
 * the OS preference).
 */
import { css } from 'lit';

/** Token defaults and shared helpers; include first in every element's `static styles`. */
export const tokens = css`
  :host {
    --_aw-font: var(--aw-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_aw-font-mono: var(--aw-font-family-mono, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
    --_aw-font-size: var(--aw-font-size, 0.9375rem);
    --_aw-font-size-small: var(--aw-font-size-small, 0.8125rem);
    --_aw-line-height: var(--aw-line-height, 1.5);
    --_aw-text: var(--aw-color-text, light-dark(#1f2328, #e6edf3));
    --_aw-muted: var(--aw-color-muted, light-dark(#59636e, #9198a1));
    --_aw-surface: var(--aw-color-surface, light-dark(#ffffff, #0d1117));
    --_aw-surface-raised: var(--aw-color-surface-raised, light-dark(#f6f8fa, #151b23));
    --_aw-border: var(--aw-color-border, light-dark(#d1d9e0, #3d444d));
    --_aw-accent: var(--aw-color-accent, light-dark(#0969da, #4493f8));
    --_aw-on-accent: var(--aw-color-on-accent, light-dark(#ffffff, #0d1117));
    --_aw-success: var(--aw-color-success, light-dark(#1a7f37, #3fb950));
    --_aw-warning: var(--aw-color-warning, light-dark(#9a6700, #d29922));
    --_aw-danger: var(--aw-color-danger, light-dark(#cf222e, #f85149));
    --_aw-focus: var(--aw-color-focus, var(--_aw-accent));
    --_aw-radius: var(--aw-radius, 6px);
    --_aw-space: var(--aw-space, 0.5rem);
    --_aw-duration: var(--aw-duration, 150ms);

    font-family: var(--_aw-font);
    font-size: var(--_aw-font-size);
    line-height: var(--_aw-line-height);
    color: var(--_aw-text);
  }

  :host([hidden]) {
    display: none !important;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  :focus-visible {
    outline: 2px solid var(--_aw-focus);
    outline-offset: 2px;
  }

  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }

  @media (prefers-reduced-motion: reduce) {
    :host {
      --_aw-duration: 0ms;
    }
  }

  @media (forced-colors: active) {
    :focus-visible {
      outline-color: Highlight;
    }
  }
`;

/** A quiet button look shared by the elements' secondary controls ("jump to latest", "show"). */
export const buttonStyles = css`
  .button {
    font: inherit;
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-text);
    background: var(--_aw-surface-raised);
    border: 1px solid var(--_aw-border);
    border-radius: var(--_aw-radius);
    padding: calc(var(--_aw-space) * 0.5) var(--_aw-space);
    cursor: pointer;
    transition:
      background-color var(--_aw-duration),
      border-color var(--_aw-duration);
  }

  .button:hover {
    border-color: var(--_aw-accent);
  }

  .button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }

  @media (forced-colors: active) {
    .button {
      border-color: ButtonText;
      color: ButtonText;
      background: ButtonFace;
    }
    .button[aria-disabled='true'] {
      color: GrayText;
      border-color: GrayText;
    }
  }
`;

/** The floating "Jump to latest" button of views that follow their end (`part="jump"`). */
export const jumpStyles = css`
  [part='jump'] {
    position: absolute;
    inset-block-end: var(--_aw-space);
    inset-inline-start: 50%;
    transform: translateX(-50%);
    box-shadow: 0 1px 4px rgb(0 0 0 / 0.2);
  }

  [part='jump'][hidden] {
    display: none;
  }

  @media (forced-colors: active) {
    [part='jump'] {
      box-shadow: none;
    }
  }
`;
