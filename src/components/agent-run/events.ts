/** Events of `<agent-run>`. */
import type { RunHandle } from '../../run/types.ts';

/** A message sent in the conversation started a run; it is now the run `<agent-run>` provides. */
export class RunStartEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'run-start';
  /** The new run. */
  readonly run: RunHandle;
  /** The conversation it belongs to (keep it to restore the thread after a reload). */
  readonly threadId: string;

  constructor(run: RunHandle, threadId: string) {
    super(RunStartEvent.eventName, { bubbles: true, composed: true });
    this.run = run;
    this.threadId = threadId;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'run-start': RunStartEvent;
  }
}
