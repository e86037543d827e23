import { css } from 'lit';

/** Styles of `<approval-prompt>`. */
export const styles = css`
  :host {
    display: block;
  }

  [part='base'] {
    --_accent: var(--aw-approval-accent, var(--_aw-accent));
    display: grid;
    gap: var(--_aw-space);
    padding: var(--aw-approval-padding, 0.75rem);
    background: var(--aw-approval-background, var(--_aw-surface-raised));
    border: 1px solid var(--_aw-border);
    border-inline-start: 4px solid var(--_accent);
    border-radius: var(--_aw-radius);
    animation: aw-arrive calc(var(--_aw-duration) * 2) ease-out;
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
  [part='submit'] {
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

  [part='dismiss'][hidden] {
    display: none;
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
    [part='base'] {
      animation: none;
    }
  }

  @media (forced-colors: active) {
    [part='base'] {
      border-color: CanvasText;
      border-inline-start-color: Highlight;
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
    [part='input'] {
      border-color: FieldText;
    }
  }
`;
