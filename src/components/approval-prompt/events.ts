/** Events of `<approval-prompt>`. */
import type { NeedInputEvent } from '../../protocol/index.ts';
import type { TypedError } from '../../store/index.ts';

/**
 * A request was shown. `focused` says whether it took focus; when it did not (the prompt was out of
 * view, or the user was typing elsewhere), it was announced politely: offer it, e.g. with a
 * "Go to the question" button calling the prompt's `reveal(request.resume_token)`.
 */
export class ApprovalRequestEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'approval-request';
  /** The request shown. */
  readonly request: NeedInputEvent;
  /** True when focus moved to it. */
  readonly focused: boolean;

  constructor(request: NeedInputEvent, focused: boolean) {
    super(ApprovalRequestEvent.eventName, { bubbles: true, composed: true });
    this.request = request;
    this.focused = focused;
  }
}

/**
 * The user chose an answer; fired before it is sent. Cancelable: `preventDefault()` keeps it
 * from being sent (the prompt stays open); assigning `text` (and `value`) sends that instead.
 */
export class ApprovalSubmitEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'approval-submit';
  /** The request being answered. */
  readonly request: NeedInputEvent;
  /** The answer that will be sent, as text; the host may replace it. */
  text: string;
  /** The structured answer (a form's JSON, an approval's `{approved, reason}`); the host may replace it. */
  value: unknown;

  constructor(request: NeedInputEvent, text: string, value?: unknown) {
    super(ApprovalSubmitEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.request = request;
    this.text = text;
    this.value = value;
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
  /** The structured answer that was sent, if any. */
  readonly value: unknown;

  constructor(request: NeedInputEvent, text: string, error: TypedError<string> | null, value?: unknown) {
    super(ApprovalSettleEvent.eventName, { bubbles: true, composed: true });
    this.request = request;
    this.text = text;
    this.error = error;
    this.value = value;
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
    'approval-request': ApprovalRequestEvent;
    'approval-submit': ApprovalSubmitEvent;
    'approval-settle': ApprovalSettleEvent;
    'approval-dismiss': ApprovalDismissEvent;
  }
}
