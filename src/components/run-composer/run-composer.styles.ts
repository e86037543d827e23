import { css } from 'lit';

/** Styles of `<run-composer>`. */
export const styles = css`
  :host {
    display: block;
  }

  [part='base'] {
    display: grid;
    gap: var(--_aw-space);
    padding: var(--aw-composer-padding, var(--_aw-space));
    background: var(--aw-composer-background, var(--_aw-surface-raised));
    border: 1px solid var(--_aw-border);
    border-radius: var(--_aw-radius);
  }

  [part='row'] {
    display: flex;
    align-items: flex-end;
    gap: var(--_aw-space);
  }

  [part='input'] {
    flex: 1;
    min-inline-size: 0;
    min-block-size: 2.5em;
    max-block-size: var(--aw-composer-max-height, 12rem);
    field-sizing: content;
    resize: none;
    box-sizing: border-box;
    padding: 0.5em 0.625em;
    font: inherit;
    color: var(--_aw-text);
    background: var(--_aw-surface);
    border: 1px solid var(--_aw-border);
    border-radius: var(--_aw-radius);
  }

  [part='input']:focus-visible {
    outline: 2px solid var(--_aw-focus);
    outline-offset: 1px;
  }

  [part='input'][aria-disabled='true'] {
    color: var(--_aw-muted);
    background: var(--_aw-surface-raised);
  }

  [part='send'].primary {
    color: var(--_aw-on-accent);
    background: var(--aw-composer-accent, var(--_aw-accent));
    border-color: transparent;
  }

  [part='reason'],
  [part='error'] {
    margin: 0;
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-muted);
  }

  [part='reason']:empty,
  [part='error']:empty {
    display: none;
  }

  [part='error'] {
    color: var(--aw-composer-error-color, var(--_aw-danger));
  }

  [part='confirm'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_aw-space);
  }

  [part='confirm'] p {
    margin: 0;
    font-weight: 600;
  }

  @media (forced-colors: active) {
    [part='base'],
    [part='input'] {
      border-color: CanvasText;
    }
    [part='send'].primary {
      forced-color-adjust: none;
      color: Canvas;
      background: CanvasText;
    }
  }
`;
