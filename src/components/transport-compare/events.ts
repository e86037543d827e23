/** Events of `<transport-compare>`. */
import type { LaneFigures } from '../../inspector/compare.ts';

/** Every lane's run ended: the figures measured. */
export class CompareCompleteEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'compare-complete';
  /** One entry per transport, in the order shown. */
  readonly figures: readonly LaneFigures[];

  constructor(figures: readonly LaneFigures[]) {
    super(CompareCompleteEvent.eventName, { bubbles: true, composed: true });
    this.figures = figures;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'compare-complete': CompareCompleteEvent;
  }
}
