/**
 * The frame around one message of `<token-stream>`: who speaks (`data-role`), the message's own
 * element, and its actions (copy; retry on an answer in a conversation). The message element inside keeps its append path untouched;
 * a user's message is shown as `part="user-message"` (always as text, never markdown).
 */
import type { MessageRole } from '../../protocol/index.ts';
import { copyText } from '../shared/copy-text.ts';

/** What a turn needs of the page: copying, and saying that it copied. */
export interface TurnActions {
  /** The message's text now (markdown source for markdown messages). */
  text(): string;
  /** Say something politely (the stream's live region). */
  announce(message: string): void;
  /** Retry from here (an answer in a conversation): send again the user's message before it. Absent: no retry button. */
  retry?: (button: HTMLButtonElement) => void;
}

/** Whether a turn's retry button can be used: `none` (no conversation: hidden), `busy` (a run is live or a message is being sent: disabled, with the reason), `ready`. */
export type RetryAvailability = 'none' | 'busy' | 'ready';

/** The id of the element that says why retrying is disabled (in the stream's shadow root). */
export const RETRY_REASON_ID = 'retry-reason';

/**
 * Show `availability` on a retry button. A busy button is `aria-disabled` (not `disabled`), so a
 * focused one keeps focus and says why (`aria-describedby` the reason) instead of dropping focus
 * to the page.
 */
export function setRetryAvailability(button: HTMLButtonElement, availability: RetryAvailability): void {
  button.hidden = availability === 'none';
  if (availability === 'busy') {
    button.setAttribute('aria-disabled', 'true');
    button.setAttribute('aria-describedby', RETRY_REASON_ID);
  } else {
    button.removeAttribute('aria-disabled');
    button.removeAttribute('aria-describedby');
  }
}

/** The copy icon: an empty span drawn by the stylesheet (two sheets), hidden from assistive technology. */
function copyIcon(): HTMLElement {
  const icon = document.createElement('span');
  icon.className = 'copy-icon';
  icon.setAttribute('aria-hidden', 'true');
  return icon;
}

/** Wrap a message element in its turn: `part="turn"` with `data-role`, the element, a copy button, and a retry button when `actions.retry` is given. */
export function createTurn(message: HTMLElement, role: MessageRole, actions: TurnActions): HTMLElement {
  const turn = document.createElement('div');
  turn.setAttribute('part', 'turn');
  turn.dataset['role'] = role;
  if (role === 'user') message.setAttribute('part', 'user-message');
  const bar = document.createElement('div');
  bar.setAttribute('part', 'message-actions');
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'button';
  copy.setAttribute('part', 'copy-message');
  copy.setAttribute('aria-label', role === 'user' ? 'Copy your message' : 'Copy message');
  copy.append(copyIcon());
  copy.addEventListener('click', () => {
    void copyText(actions.text(), copy).then((ok) => actions.announce(ok ? 'Copied' : 'Copying is not allowed here'));
  });
  bar.append(copy);
  const retry = actions.retry;
  if (retry) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button';
    button.setAttribute('part', 'retry-message');
    button.setAttribute('aria-label', 'Retry this answer');
    // The visible word is drawn by the stylesheet, so the turn's text (`textContent`) stays the message's own.
    const label = document.createElement('span');
    label.className = 'retry-label';
    label.setAttribute('aria-hidden', 'true');
    button.append(label);
    button.addEventListener('click', () => retry(button));
    bar.append(button);
  }
  turn.append(message, bar);
  return turn;
}
