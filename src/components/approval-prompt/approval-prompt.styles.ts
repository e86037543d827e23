import { css } from 'lit';

/** Styles of `<approval-prompt>`. */
export const styles = css`
  :host {
    display: block;
  }

  :host {
    --_accent: var(--aw-approval-accent, var(--_aw-accent));
  }

  [part='base'] {
    display: grid;
    gap: var(--_aw-space);
  }

  [part='request'] {
    display: grid;
    gap: var(--_aw-space);
    padding: var(--aw-approval-padding, 0.75rem);
    background: var(--aw-approval-background, var(--_aw-surface-raised));
    border: 1px solid var(--_aw-border);
    border-inline-start: 4px solid var(--_accent);
    border-radius: var(--_aw-radius);
    animation: aw-arrive calc(var(--_aw-duration) * 2) ease-out;
  }

  [part='request'][data-phase='expired'] {
    border-inline-start-color: var(--aw-approval-error-color, var(--_aw-danger));
  }

  [part='count'] {
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-muted);
    font-weight: 600;
  }

  [part='tool'] {
    font-size: var(--_aw-font-size-small);
  }

  [part='tool-summary'] {
    cursor: pointer;
    color: var(--_aw-muted);
    inline-size: fit-content;
  }

  [part='tool-name'] {
    font-family: var(--_aw-font-mono);
    font-weight: 600;
    color: var(--_aw-text);
  }

  [part='tool-args'] {
    margin: calc(var(--_aw-space) * 0.5) 0 0;
    padding: var(--_aw-space);
    max-block-size: 12rem;
    overflow: auto;
    font-family: var(--_aw-font-mono);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    background: var(--_aw-surface);
    border: 1px solid var(--_aw-border);
    border-radius: var(--_aw-radius);
  }

  [part='decision'],
  [part='form-actions'],
  [part='actions'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_aw-space);
  }

  [part='actions'][hidden] {
    display: none;
  }

  [part='reason-label'] {
    display: flex;
    flex: 1 1 14em;
    align-items: center;
    gap: calc(var(--_aw-space) * 0.5);
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-muted);
  }

  [part='schema-form'] {
    display: grid;
    gap: var(--_aw-space);
  }

  [part='fields'],
  [part~='field-group'] {
    display: grid;
    gap: var(--_aw-space);
  }

  [part~='field-group'] {
    margin: 0;
    padding: var(--_aw-space);
    border: 1px solid var(--_aw-border);
    border-radius: var(--_aw-radius);
  }

  [part~='field'] {
    display: grid;
    gap: 0.125rem;
  }

  [part~='field-label'] {
    font-weight: 600;
    font-size: var(--_aw-font-size-small);
  }

  [part~='field-check'],
  [part~='field-option'] {
    display: flex;
    align-items: center;
    gap: calc(var(--_aw-space) * 0.5);
    font-weight: normal;
  }

  [part~='field-required'] {
    color: var(--aw-approval-error-color, var(--_aw-danger));
    margin-inline-start: 0.125rem;
  }

  [part~='field-description'] {
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-muted);
  }

  [part~='field-error'] {
    font-size: var(--_aw-font-size-small);
    font-weight: 600;
    color: var(--aw-approval-error-color, var(--_aw-danger));
  }

  [part~='field-input']:not([type='checkbox'], [type='radio']),
  [part='reason'] {
    font: inherit;
    color: var(--_aw-text);
    background: var(--_aw-surface);
    border: 1px solid var(--_aw-border);
    border-radius: var(--_aw-radius);
    padding: calc(var(--_aw-space) * 0.5) var(--_aw-space);
    min-inline-size: 0;
  }

  [part='reason'] {
    flex: 1 1 8em;
  }

  [aria-invalid='true'] {
    border-color: var(--aw-approval-error-color, var(--_aw-danger)) !important;
  }

  [part='receipt'] {
    margin: 0;
    padding: calc(var(--_aw-space) * 0.5) var(--_aw-space);
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-muted);
    border: 1px dashed var(--_aw-border);
    border-radius: var(--_aw-radius);
  }

  .optional {
    font-weight: normal;
  }

  [part='prompt'] {
    margin: 0;
    font-weight: 600;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  [part='choices'],
  [part='form'],
  [part='footer'],
  [part='reminder'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_aw-space);
  }

  [part='choice'],
  [part='submit'],
  [part='approve'],
  [part='deny'] {
    font-size: var(--_aw-font-size);
    min-inline-size: 5em;
    padding: calc(var(--_aw-space) * 0.75) calc(var(--_aw-space) * 1.5);
    overflow-wrap: anywhere;
  }

  .primary {
    color: var(--_aw-on-accent);
    background: var(--_accent);
    border-color: var(--_accent);
  }

  .primary:hover {
    background: color-mix(in srgb, var(--_accent) 85%, black);
  }

  textarea[part='input'] {
    flex-basis: 100%;
    font-family: var(--_aw-font-mono);
  }

  [part='input'] {
    flex: 1 1 16em;
    min-inline-size: 0;
    font: inherit;
    color: var(--_aw-text);
    background: var(--_aw-surface);
    border: 1px solid var(--_aw-border);
    border-radius: var(--_aw-radius);
    padding: calc(var(--_aw-space) * 0.75) var(--_aw-space);
  }

  [part='input'][readonly] {
    color: var(--_aw-muted);
  }

  [part='footer'] {
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-muted);
  }

  [part='countdown'] {
    font-variant-numeric: tabular-nums;
  }

  [part='countdown'][data-expired='true'],
  [part='error'] {
    color: var(--aw-approval-error-color, var(--_aw-danger));
  }

  [part='status']:empty,
  [part='error']:empty {
    display: none;
  }

  [part='dismiss'] {
    margin-inline-start: auto;
  }

  [part='error'] {
    margin: 0;
  }

  [part='reminder'] {
    padding: calc(var(--_aw-space) * 0.5) var(--_aw-space);
    border: 1px dashed var(--_aw-border);
    border-radius: var(--_aw-radius);
    color: var(--_aw-muted);
  }

  @keyframes aw-arrive {
    from {
      opacity: 0;
      transform: translateY(-0.25rem);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    [part='request'] {
      animation: none;
    }
  }

  @media (forced-colors: active) {
    [part='request'] {
      border-color: CanvasText;
      border-inline-start-color: Highlight;
    }
    [part~='field-error'],
    [part~='field-required'] {
      color: CanvasText;
    }
    [aria-invalid='true'] {
      border-color: Mark !important;
    }
    .primary {
      color: HighlightText;
      background: Highlight;
      border-color: Highlight;
      forced-color-adjust: none;
    }
    [part='countdown'][data-expired='true'],
    [part='error'] {
      color: CanvasText;
    }
    [part='input'],
    [part='reason'],
    [part~='field-input'] {
      border-color: FieldText;
    }
  }
`;
