/** Events of `<approval-prompt>`. */
import type { NeedInputEvent } from '../../protocol/index.ts';
import type { TypedError } from '../../store/index.ts';

/**
 * The user chose an answer; fired before it is sent. Cancelable: `preventDefault()` keeps it
 * from being sent (the prompt stays open); assigning `text` sends that instead.
 */
export class ApprovalSubmitEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'approval-submit';
  /** The request being answered. */
  readonly request: NeedInputEvent;
  /** The answer that will be sent; the host may replace it. */
  text: string;

  constructor(request: NeedInputEvent, text: string) {
    super(ApprovalSubmitEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.request = request;
    this.text = text;
  }
}

/** An answer sent from the prompt was accepted by the server, or refused / not delivered (`error`). */
export class ApprovalSettleEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'approval-settle';
  /** The request that was answered. */
  readonly request: NeedInputEvent;
  /** The answer that was sent. */
  readonly text: string;
  /** Why it was refused or not delivered; null when accepted. */
  readonly error: TypedError<string> | null;

  constructor(request: NeedInputEvent, text: string, error: TypedError<string> | null) {
    super(ApprovalSettleEvent.eventName, { bubbles: true, composed: true });
    this.request = request;
    this.text = text;
    this.error = error;
  }

  /** True when the server accepted the answer. */
  get accepted(): boolean {
    return this.error === null;
  }
}

/** The user put the prompt aside (Escape, or "Later") without answering; the run keeps waiting. */
export class ApprovalDismissEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'approval-dismiss';
  /** The request left unanswered. */
  readonly request: NeedInputEvent;

  constructor(request: NeedInputEvent) {
    super(ApprovalDismissEvent.eventName, { bubbles: true, composed: true });
    this.request = request;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'approval-submit': ApprovalSubmitEvent;
    'approval-settle': ApprovalSettleEvent;
    'approval-dismiss': ApprovalDismissEvent;
  }
}
