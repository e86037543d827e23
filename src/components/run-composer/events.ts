/** Events of `<run-composer>`. */
import type { RunHandle } from '../../run/types.ts';
import type { TypedError } from '../../store/index.ts';

/**
 * The user sends a message; fired before anything is sent. Cancelable: `preventDefault()` sends
 * nothing (the text stays in the composer); assign `text` or change `body` to send something else.
 */
export class BeforeSendEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'before-send';
  /** The message that will be sent (the `prompt` of the create body); the host may replace it. */
  text: string;
  /** More fields of the create body for this message (e.g. `{ scenario: 'chat' }`); the host may change them. */
  body: Record<string, unknown>;

  constructor(text: string, body: Record<string, unknown>) {
    super(BeforeSendEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.text = text;
    this.body = body;
  }
}

/** A message sent from the composer started its run (`run`), or was not sent (`error`). */
export class SendSettleEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'send-settle';
  /** The message. */
  readonly text: string;
  /** The run it started, or null when it was not sent. */
  readonly run: RunHandle | null;
  /** Why it was not sent; null when it was. */
  readonly error: TypedError<string> | null;

  constructor(text: string, run: RunHandle | null, error: TypedError<string> | null) {
    super(SendSettleEvent.eventName, { bubbles: true, composed: true });
    this.text = text;
    this.run = run;
    this.error = error;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'before-send': BeforeSendEvent;
    'send-settle': SendSettleEvent;
  }
}
