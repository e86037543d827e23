import { css } from 'lit';

/** Styles of reasoning blocks (`part="reasoning"`), shared by `<token-stream>` and `<agent-log>`. */
export const reasoningStyles = css`
  [part~='reasoning'] {
    margin-block-end: var(--_aw-space);
    color: var(--aw-reasoning-color, var(--_aw-muted));
    font-size: var(--_aw-font-size-small);
    border-inline-start: 3px solid var(--aw-reasoning-border-color, var(--_aw-border));
    padding-inline-start: var(--_aw-space);
  }

  [part~='reasoning-summary'] {
    cursor: pointer;
    font-weight: 600;
    inline-size: fit-content;
  }

  [part~='reasoning'][data-state='thinking'] [part~='reasoning-summary'] {
    animation: aw-reasoning-pulse 1.5s ease-in-out infinite;
  }

  [part~='reasoning-text'] {
    max-block-size: var(--aw-reasoning-max-height, 12rem);
    overflow-y: auto;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    font-style: italic;
    padding-block: calc(var(--_aw-space) * 0.5);
  }

  [part~='reasoning-text'].markdown {
    white-space: normal;
  }

  [part~='reasoning-text'].markdown em {
    font-style: normal;
  }

  @keyframes aw-reasoning-pulse {
    50% {
      color: var(--_aw-text);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    [part~='reasoning'][data-state='thinking'] [part~='reasoning-summary'] {
      animation: none;
    }
  }

  @media (forced-colors: active) {
    [part~='reasoning'] {
      color: CanvasText;
      border-inline-start-color: CanvasText;
    }
  }
`;
