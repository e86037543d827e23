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

const SVG = 'http://www.w3.org/2000/svg';
/** The copy icon's path (two overlapping sheets). */
const COPY_PATH =
  'M0 6.75C0 5.78.78 5 1.75 5h1.5a.75.75 0 0 1 0 1.5h-1.5a.25.25 0 0 0-.25.25v7.5c0 .14.11.25.25.25h7.5a.25.25 0 0 0 .25-.25v-1.5a.75.75 0 0 1 1.5 0v1.5A1.75 1.75 0 0 1 9.25 16h-7.5A1.75 1.75 0 0 1 0 14.25Zm5-5C5 .78 5.78 0 6.75 0h7.5C15.22 0 16 .78 16 1.75v7.5A1.75 1.75 0 0 1 14.25 11h-7.5A1.75 1.75 0 0 1 5 9.25Zm1.75-.25a.25.25 0 0 0-.25.25v7.5c0 .14.11.25.25.25h7.5a.25.25 0 0 0 .25-.25v-7.5a.25.25 0 0 0-.25-.25Z';

/** The copy icon, built as DOM (decorative: hidden from assistive technology). */
function copyIcon(): SVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  for (const [name, value] of [
    ['viewBox', '0 0 16 16'],
    ['width', '14'],
    ['height', '14'],
    ['aria-hidden', 'true'],
    ['focusable', 'false'],
  ])
    svg.setAttribute(name!, value!);
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', COPY_PATH);
  svg.append(path);
  return svg;
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
