import { css } from 'lit';

/** Styles of `<agent-inspector>`. */
export const styles = css`
  :host {
    display: block;
    --_row-height: 24px;
  }

  [part='base'] {
    display: flex;
    flex-direction: column;
    gap: var(--_aw-space);
    padding: var(--_aw-space);
    background: var(--_aw-surface);
    border: 1px solid var(--_aw-border);
    border-radius: var(--_aw-radius);
  }

  [part='toolbar'],
  [part='counters'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--_aw-space) * 0.5) var(--_aw-space);
    font-size: var(--_aw-font-size-small);
  }

  [part='counter'] {
    color: var(--_aw-muted);
  }

  label {
    display: inline-flex;
    align-items: center;
    gap: calc(var(--_aw-space) * 0.5);
  }

  select,
  input[type='search'] {
    font: inherit;
    color: var(--_aw-text);
    background: var(--_aw-surface);
    border: 1px solid var(--_aw-border);
    border-radius: var(--_aw-radius);
    padding: 0.125rem 0.25rem;
  }

  [part='list'] {
    position: relative;
    height: var(--aw-inspector-height, 20rem);
    overflow: auto;
    overscroll-behavior: contain;
    font-family: var(--_aw-font-mono);
    font-size: var(--_aw-font-size-small);
    border: 1px solid var(--_aw-border);
    border-radius: var(--_aw-radius);
  }

  [part='sizer'] {
    inline-size: 1px;
  }

  [part~='row'] {
    position: absolute;
    inset-block-start: 0;
    inset-inline: 0;
    block-size: var(--_row-height);
    display: grid;
    grid-template-columns: 6.5em 5.5em 7.5em 4em 5.5em 1fr;
    gap: var(--_aw-space);
    align-items: center;
    padding-inline: calc(var(--_aw-space) * 0.5);
    white-space: nowrap;
    cursor: default;
  }

  [part~='row'] > span {
    overflow: hidden;
    text-overflow: ellipsis;
  }

  [part~='row'][aria-selected='true'] {
    background: var(--_aw-surface-raised);
    box-shadow: inset 3px 0 var(--_aw-accent);
  }

  [part='kind'] {
    font-weight: 600;
  }

  [part~='kind-held'] [part='kind'],
  [part~='kind-duplicate'] [part='kind'],
  [part~='kind-rebuild'] [part='kind'] {
    color: var(--_aw-warning);
  }

  [part~='kind-error'] [part='kind'] {
    color: var(--_aw-danger);
  }

  [part~='kind-released'] [part='kind'],
  [part~='kind-resync'] [part='kind'] {
    color: var(--_aw-success);
  }

  [part~='kind-heartbeat'] {
    color: var(--_aw-muted);
  }

  [part='time'],
  [part='bytes'],
  [part='seq'] {
    text-align: end;
    color: var(--_aw-muted);
  }

  [part='details'] {
    margin: 0;
    max-block-size: 10rem;
    overflow: auto;
    padding: var(--_aw-space);
    font-family: var(--_aw-font-mono);
    font-size: var(--_aw-font-size-small);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    background: var(--_aw-surface-raised);
    border-radius: var(--_aw-radius);
  }

  [part='status'] {
    min-block-size: 1lh;
    margin: 0;
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-danger);
  }

  @media (forced-colors: active) {
    [part~='row'][aria-selected='true'] {
      background: Highlight;
      color: HighlightText;
    }
    [part='list'],
    [part='base'] {
      border-color: CanvasText;
    }
  }
`;
