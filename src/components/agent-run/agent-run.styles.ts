import { css } from 'lit';

/**
 * Styles of `<agent-run>`: a plain block around its children. It draws, colours and animates
 * nothing of its own, so it needs no forced-colors or reduced-motion rules; the elements
 * inside carry theirs.
 */
export const styles = css`
  :host {
    display: block;
  }

  :host([hidden]) {
    display: none;
  }
`;
