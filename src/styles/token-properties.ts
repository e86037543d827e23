/** The theme's private properties, in a module of their own: the markdown path loads them without the elements' styles. */
import { css } from 'lit';

/**
 * The private `--_aw-*` properties with their defaults, each read from its public `--aw-*` token:
 * declared on every element's host, and on `.markdown` for the markdown renderer used alone.
 */
export const tokenProperties = css`
  --_aw-font: var(--aw-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
  --_aw-font-mono: var(--aw-font-family-mono, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
  --_aw-font-size: var(--aw-font-size, 0.9375rem);
  --_aw-font-size-small: var(--aw-font-size-small, 0.8125rem);
  --_aw-line-height: var(--aw-line-height, 1.5);
  --_aw-text: var(--aw-color-text, light-dark(#1f2328, #e6edf3));
  --_aw-muted: var(--aw-color-muted, light-dark(#59636e, #9198a1));
  --_aw-surface: var(--aw-color-surface, light-dark(#ffffff, #0d1117));
  --_aw-surface-raised: var(--aw-color-surface-raised, light-dark(#f6f8fa, #151b23));
  --_aw-border: var(--aw-color-border, light-dark(#d1d9e0, #3d444d));
  --_aw-accent: var(--aw-color-accent, light-dark(#0969da, #4493f8));
  --_aw-on-accent: var(--aw-color-on-accent, light-dark(#ffffff, #0d1117));
  --_aw-success: var(--aw-color-success, light-dark(#1a7f37, #3fb950));
  --_aw-warning: var(--aw-color-warning, light-dark(#9a6700, #d29922));
  --_aw-danger: var(--aw-color-danger, light-dark(#cf222e, #f85149));
  --_aw-focus: var(--aw-color-focus, var(--_aw-accent));
  --_aw-radius: var(--aw-radius, 6px);
  --_aw-space: var(--aw-space, 0.5rem);
  --_aw-duration: var(--aw-duration, 150ms);
`;
