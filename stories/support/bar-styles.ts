/** The dashed bar above a story's run (run id, connection, actions), shared by the live and the scripted story wrappers. */
import { css } from 'lit';

/** Host display and the `bar` part's layout and look. */
export const barStyles = css`
  :host {
    display: block;
  }
  [part='bar'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_aw-space);
    margin-block-end: calc(var(--_aw-space) * 1.5);
    padding: calc(var(--_aw-space) * 0.75) var(--_aw-space);
    border: 1px dashed var(--_aw-border);
    border-radius: var(--_aw-radius);
    font-size: var(--_aw-font-size-small);
    color: var(--_aw-muted);
  }
`;
