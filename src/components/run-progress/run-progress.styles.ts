import { css } from 'lit';

/** Styles of `<run-progress>`. */
export const styles = css`
  :host {
    display: block;
  }

  [part='base'] {
    --_track: var(--aw-progress-track-color, var(--_aw-border));
    --_fill: var(--aw-progress-indicator-color, var(--_aw-accent));
    display: grid;
    gap: calc(var(--_aw-space) * 0.5);
    padding: var(--_aw-space);
    background: var(--_aw-surface);
    border-radius: var(--_aw-radius);
  }

  :host([state='done']) [part='base'] {
    --_fill: var(--aw-progress-done-color, var(--_aw-success));
  }

  :host([state='failed']) [part='base'] {
    --_fill: var(--aw-progress-failed-color, var(--_aw-danger));
  }

  :host([state='cancelled']) [part='base'] {
    --_fill: var(--_aw-muted);
  }

  [part='header'] {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: var(--_aw-space);
  }

  [part='label'] {
    font-weight: 600;
  }

  [part='value'] {
    font-variant-numeric: tabular-nums;
    color: var(--_aw-muted);
  }

  [part='connection'] {
    margin-inline-start: auto;
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-warning);
  }

  :host([connection='open']) [part='connection'] {
    color: var(--_aw-muted);
  }

  :host([connection='failed']) [part='connection'] {
    color: var(--_aw-danger);
  }

  [part='connection']:empty,
  [part='value']:empty,
  [part='message']:empty {
    display: none;
  }

  [part='track'] {
    position: relative;
    height: var(--aw-progress-height, 0.5rem);
    overflow: hidden;
    background: var(--_track);
    border-radius: var(--aw-progress-radius, 999px);
  }

  [part~='indicator'] {
    height: 100%;
    background: var(--_fill);
    border-radius: inherit;
  }

  /* The fill grows from 0: leaving the indeterminate state, it never shrinks from the sliding block. */
  .fill {
    width: var(--_aw-pct, 0%);
    transition: width var(--_aw-duration) ease-out;
  }

  .slide {
    position: absolute;
    inset-block: 0;
    inset-inline-start: 0;
    width: 40%;
    animation: aw-slide 1.4s ease-in-out infinite;
  }

  :host(:is([state='idle'], [state='failed'], [state='cancelled'])) .slide {
    display: none;
  }

  [part='message'] {
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-muted);
    overflow-wrap: anywhere;
  }

  :host([state='failed']) [part='message'] {
    color: var(--_aw-danger);
  }

  [part='result'] {
    display: block;
    font-family: var(--_aw-font-mono);
    font-size: var(--_aw-font-size-small);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  @keyframes aw-slide {
    from {
      transform: translateX(-100%);
    }
    to {
      transform: translateX(250%);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .slide {
      width: 100%;
      opacity: 0.4;
      animation: none;
    }
    .fill {
      transition: none;
    }
  }

  @media (forced-colors: active) {
    [part='track'] {
      border: 1px solid CanvasText;
      background: Canvas;
    }
    [part~='indicator'] {
      background: Highlight;
    }
    [part='connection'] {
      color: CanvasText;
    }
  }
`;
