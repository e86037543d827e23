/**
 * The global theme: `--aw-*` tokens a page sets once, read by every element through private
 * `--_aw-*` properties that carry the defaults. Colours use `light-dark()`, so each element
 * follows its `color-scheme` (inherited from the page: set `color-scheme: light dark` to follow
 * the OS preference).
 */
import { css } from 'lit';
import { tokenProperties } from './token-properties.ts';

/** Token defaults and shared helpers; include first in every element's `static styles`. */
export const tokens = css`
  :host {
    ${tokenProperties}

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
