import { css } from 'lit';

/** Styles of `<agent-log>`. */
export const styles = css`
  :host {
    display: block;
  }

  [part='base'] {
    background: var(--_aw-surface);
    border: 1px solid var(--_aw-border);
    border-radius: var(--_aw-radius);
  }

  .frame {
    position: relative;
  }

  [part='toolbar'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: var(--_aw-space);
    padding: calc(var(--_aw-space) * 0.5) var(--_aw-space);
    border-block-end: 1px solid color-mix(in srgb, var(--_aw-border) 50%, transparent);
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-muted);
  }

  [part='level-filter'] {
    font: inherit;
    color: var(--_aw-text);
    background: var(--_aw-surface);
    border: 1px solid var(--_aw-border);
    border-radius: var(--_aw-radius);
    padding: 0.125rem 0.25rem;
  }

  [part='reasoning-area'] {
    padding: var(--_aw-space) var(--_aw-space) 0;
  }

  [part='reasoning-area'][hidden] {
    display: none;
  }

  [part='print-list'] {
    display: none;
  }

  [part='list'] {
    height: var(--aw-log-height, 20rem);
    overscroll-behavior: contain;
    scroll-behavior: auto;
    border-radius: inherit;
  }

  [part='empty'] {
    position: absolute;
    inset: 0 0 auto;
    margin: 0;
    padding: var(--_aw-space);
    color: var(--_aw-muted);
    pointer-events: none;
  }

  [part~='row'] {
    inline-size: 100%;
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0 var(--_aw-space);
    padding: var(--aw-log-row-padding, 0.25rem 0.5rem);
    border-block-end: 1px solid color-mix(in srgb, var(--_aw-border) 50%, transparent);
    overflow-wrap: anywhere;
  }

  [part~='row'] {
    --_label-width: var(--aw-log-label-width, 5.5rem);
    /* Fits "12:59:59 PM" in one line at the small font size (it grows where a locale's time is longer). */
    --_time-width: var(--aw-log-time-width, 5.5rem);
    /* Deeply nested steps stop indenting at a share of the width: the text keeps its room. */
    padding-inline-start: calc(
      0.5rem + min(var(--_depth, 0) * var(--aw-log-indent, 1rem), var(--aw-log-max-indent, 30%))
    );
  }

  [part~='time'] {
    flex: none;
    min-inline-size: var(--_time-width);
    white-space: nowrap;
    font-size: var(--_aw-font-size-small);
    font-variant-numeric: tabular-nums;
    color: var(--_aw-muted);
  }

  [part~='duration'] {
    font-size: var(--_aw-font-size-small);
    font-variant-numeric: tabular-nums;
    color: var(--_aw-muted);
  }

  [part~='group-toggle'] {
    flex: none;
    inline-size: 1.5em;
    block-size: 1.5em;
    padding: 0;
    font: inherit;
    line-height: 1;
    color: var(--_aw-muted);
    background: none;
    border: 1px solid transparent;
    border-radius: var(--_aw-radius);
    cursor: pointer;
  }

  [part~='group-toggle']::before {
    content: '▾' / '';
  }

  [part~='group-toggle'][aria-expanded='false']::before {
    content: '▸' / '';
  }

  [part~='group-toggle']:hover {
    border-color: var(--_aw-border);
  }

  [part~='step-status'] {
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-muted);
  }
  [part~='step-status'][data-status='finished'] {
    color: var(--_aw-success);
  }
  [part~='step-status'][data-status='failed'],
  [part~='step-status'][data-status='cancelled'] {
    color: var(--_aw-danger);
  }

  [part~='end'] > [part~='label'] {
    font-weight: 600;
  }
  [part~='end'][data-status='done'] > [part~='label'] {
    color: var(--_aw-success);
  }
  [part~='end'][data-status='failed'] > [part~='label'],
  [part~='end'][data-status='cancelled'] > [part~='label'] {
    color: var(--_aw-danger);
  }

  [part~='answer'] {
    font-weight: 600;
  }

  [part~='approval-link'],
  [part~='tool-link'],
  [part~='copy'] {
    padding: 0 var(--_aw-space);
  }

  [part~='tool-link'] {
    font-family: var(--aw-log-font-family, var(--_aw-font-mono));
  }

  [part~='label'] {
    flex: none;
    inline-size: var(--_label-width);
    overflow-wrap: anywhere;
    font-size: var(--_aw-font-size-small);
    font-weight: 600;
    color: var(--_aw-muted);
  }

  [part~='text'] {
    flex: 1 1 12em;
    min-inline-size: 0;
    white-space: pre-wrap;
  }

  [part~='detail'],
  [part~='tool-preview'] {
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-muted);
  }

  [part~='level-debug'] [part~='label'] {
    color: var(--aw-log-debug-color, var(--_aw-muted));
  }
  [part~='level-info'] [part~='label'] {
    color: var(--aw-log-info-color, var(--_aw-accent));
  }
  [part~='level-warn'] [part~='label'] {
    color: var(--aw-log-warn-color, var(--_aw-warning));
  }
  [part~='level-error'] [part~='label'],
  [part~='error'] [part~='label'] {
    color: var(--aw-log-error-color, var(--_aw-danger));
  }
  [part~='level-debug'] [part~='text'] {
    color: var(--_aw-muted);
  }

  [part~='step'] [part~='text'] {
    font-weight: 600;
  }

  [part~='request'] {
    background: color-mix(in srgb, var(--_aw-accent) 8%, transparent);
  }

  [part~='error'] {
    background: color-mix(in srgb, var(--_aw-danger) 8%, transparent);
  }

  [part='tool-details'] {
    flex: 1 1 0;
    min-inline-size: 12em;
  }

  [part='tool-body'] {
    display: grid;
    gap: calc(var(--_aw-space) * 0.5);
    margin-inline-start: calc(var(--_label-width) + var(--_aw-space));
  }

  [part='tool-section'] {
    display: flex;
    align-items: baseline;
    gap: var(--_aw-space);
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-muted);
  }

  [part='tool-approval'] {
    flex: 1 1 100%;
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: var(--_aw-space);
    padding-inline-start: calc(var(--_time-width) + var(--_label-width) + 2 * var(--_aw-space));
    font-size: var(--_aw-font-size-small);
  }

  [part='tool-approval'][data-status='waiting'] {
    color: var(--_aw-warning);
    font-weight: 600;
  }

  [part='tool-view'] {
    flex: 1 1 100%;
    min-inline-size: 0;
    padding-inline-start: calc(var(--_time-width) + var(--_aw-space));
  }

  [part='render-error'] {
    color: var(--_aw-danger);
  }

  [part='tool-summary'] {
    position: relative;
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0 var(--_aw-space);
    cursor: pointer;
    list-style: none;
  }

  [part='tool-summary']::-webkit-details-marker {
    display: none;
  }

  /* The disclosure marker sits at the end of the label column; decorative (summary is a button). */
  [part='tool-summary']::before {
    content: '▸' / '';
    position: absolute;
    inset-inline-start: calc(var(--_label-width) - 1.1em);
    color: var(--_aw-muted);
    transition: rotate var(--_aw-duration);
  }

  [open] > [part='tool-summary']::before {
    rotate: 90deg;
  }

  [part='tool-name'] {
    font-family: var(--aw-log-font-family, var(--_aw-font-mono));
    font-weight: 600;
  }

  [part='tool-status'] {
    font-size: var(--_aw-font-size-small);
  }
  [part='tool-status'][data-status='done'] {
    color: var(--_aw-success);
  }
  [part='tool-status'][data-status='failed'],
  [part='tool-status'][data-status='cancelled'] {
    color: var(--_aw-danger);
  }
  [part='tool-status'][data-status='ended'] {
    color: var(--_aw-muted);
  }
  [part='tool-status'][data-status='running'],
  [part='tool-status'][data-status='streaming'] {
    color: var(--_aw-muted);
    animation: aw-pulse 1.5s ease-in-out infinite;
  }

  /* Pulses between two colours that both keep 4.5:1 contrast (fading the opacity did not). */
  @keyframes aw-pulse {
    50% {
      color: var(--_aw-text);
    }
  }

  [part='tool-preview'] {
    flex: 1 1 10em;
    min-inline-size: 0;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
    font-family: var(--aw-log-font-family, var(--_aw-font-mono));
  }

  [part='tool-result'] {
    flex: 1 1 100%;
    padding-inline-start: calc(var(--_time-width) + var(--_label-width) + 2 * var(--_aw-space));
  }

  [part='tool-args'],
  [part='tool-result-data'],
  [part='raw'] {
    flex: 1 1 0;
    min-inline-size: 0;
    margin-block: calc(var(--_aw-space) * 0.5);
    padding: var(--_aw-space);
    max-block-size: 16rem;
    overflow: auto;
    font-family: var(--aw-log-font-family, var(--_aw-font-mono));
    font-size: var(--_aw-font-size-small);
    white-space: pre-wrap;
    background: var(--_aw-surface-raised);
    border-radius: var(--_aw-radius);
  }

  @media (prefers-reduced-motion: reduce) {
    [part='tool-status'][data-status='running'],
    [part='tool-status'][data-status='streaming'] {
      animation: none;
    }
  }

  /* Printed, every row shows: the virtualised list (only the rows in view) gives way to all of them. */
  @media print {
    /* The virtualizer styles its list inline. */
    [part='list'],
    [part='jump'],
    [part='toolbar'],
    [part='empty'] {
      display: none !important;
    }
    [part='print-list'] {
      display: block;
    }
    [part~='row'] {
      break-inside: avoid;
    }
    [part='tool-status'] {
      animation: none;
    }
  }

  @media (forced-colors: active) {
    [part='base'] {
      border-color: CanvasText;
    }
    [part~='row'] {
      border-block-end-color: GrayText;
    }
    [part~='request'],
    [part~='error'] {
      background: Canvas;
      border-inline-start: 3px solid Highlight;
    }
    [part~='label'],
    [part='tool-status'],
    [part='tool-summary']::before {
      color: CanvasText !important;
    }
  }
`;
