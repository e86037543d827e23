import { css } from 'lit';

/** Styles of `<transport-compare>`. */
export const styles = css`
  :host {
    display: block;
  }

  [part='base'] {
    display: flex;
    flex-direction: column;
    gap: var(--_aw-space);
  }

  [part='controls'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_aw-space);
  }

  table {
    border-collapse: collapse;
    font-size: var(--_aw-font-size-small);
    font-variant-numeric: tabular-nums;
  }

  caption {
    text-align: start;
    font-weight: 600;
    padding-block-end: calc(var(--_aw-space) * 0.5);
  }

  th,
  td {
    text-align: start;
    vertical-align: top;
    padding: calc(var(--_aw-space) * 0.5) var(--_aw-space);
    border-block-end: 1px solid var(--_aw-border);
  }

  [part='status'] {
    margin: 0;
    color: var(--_aw-muted);
  }

  @media (forced-colors: active) {
    th,
    td {
      border-color: CanvasText;
    }
  }
`;
