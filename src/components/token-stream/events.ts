/** Events of `<token-stream>`. */

/** A message finished streaming: the next message started, or the run paused for input or ended. */
export class MessageCompleteEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'message-complete';
  /** Id of the message (`message_id` of its tokens, `default` when they carried none). */
  readonly messageId: string;
  /** The message's whole text as shown. */
  readonly text: string;

  constructor(messageId: string, text: string) {
    super(MessageCompleteEvent.eventName, { bubbles: true, composed: true });
    this.messageId = messageId;
    this.text = text;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'message-complete': MessageCompleteEvent;
  }
}
