// How the console words the elements' events (plain TypeScript; svelte-check checks it with the components).
import type { ApprovalSettleEvent, MessageCompleteEvent } from 'agentwire';

/** One line for a finished message. */
export const messageLine = (event: MessageCompleteEvent): string =>
  `message-complete ${event.messageId}: ${event.text.slice(0, 40)}`;

/** One line for a settled answer. */
export const settleLine = (event: ApprovalSettleEvent): string =>
  `approval-settle: “${event.text}” ${event.accepted ? 'accepted' : 'refused'}`;
