/** Events of `<agent-log>`. */
import type { ToolView } from './row-view.ts';

/**
 * "Answer" was pressed on a waiting request. Cancelable: by default the log asks the
 * `<approval-prompt>` elements of its document (and of its own shadow root) to reveal the request;
 * `preventDefault()` to show it yourself.
 */
export class RevealRequestEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'reveal-request';
  /** The resume token of the request to show. */
  readonly resumeToken: string;

  constructor(resumeToken: string) {
    super(RevealRequestEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.resumeToken = resumeToken;
  }
}

/** A custom tool renderer threw; its row shows the default rendering. */
export class ToolRenderErrorEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'tool-render-error';
  /** The call the renderer was given. */
  readonly call: ToolView;
  /** What it threw. */
  readonly error: unknown;

  constructor(call: ToolView, error: unknown) {
    super(ToolRenderErrorEvent.eventName, { bubbles: true, composed: true });
    this.call = call;
    this.error = error;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'reveal-request': RevealRequestEvent;
    'tool-render-error': ToolRenderErrorEvent;
  }
}
