/**
 * The frame around one message of `<token-stream>`: who speaks (`data-role`), the message's own
 * element, and its actions (copy). The message element inside keeps its append path untouched;
 * a user's message is shown as `part="user-message"` (always as text, never markdown).
 */
import type { MessageRole } from '../../protocol/index.ts';

/** What a turn needs of the page: copying, and saying that it copied. */
export interface TurnActions {
  /** The message's text now (markdown source for markdown messages). */
  text(): string;
  /** Say something politely (the stream's live region). */
  announce(message: string): void;
}

/** The copy icon: an empty span drawn by the stylesheet (two sheets), hidden from assistive technology. */
function copyIcon(): HTMLElement {
  const icon = document.createElement('span');
  icon.className = 'copy-icon';
  icon.setAttribute('aria-hidden', 'true');
  return icon;
}

/** Wrap a message element in its turn: `part="turn"` with `data-role`, the element, and a copy button. */
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
    navigator.clipboard.writeText(actions.text()).then(
      () => actions.announce('Copied'),
      () => actions.announce('Copying is not allowed here'),
    );
  });
  bar.append(copy);
  turn.append(message, bar);
  return turn;
}
