/**
 * The DOM of one streamed message: text appended in place, in bounded blocks (see `blockBreak`),
 * so a frame's layout work stays bounded however long the message grows. Text only: every
 * piece becomes a Text node, never markup.
 */
import { blockBreak } from './text-cursor.ts';

/** Text nodes grow up to this many characters before a new one is started (bounds each append's copy). */
const TEXT_NODE_CHUNK = 1024;

/** One message's element and where its next text goes. */
export class MessageView {
  /** The message element (`part="message"`, `data-message-id`). */
  readonly element: HTMLElement;
  private block!: HTMLElement;
  private blockLength = 0;
  private last = '';
  private tail!: Text;

  constructor(messageId: string) {
    this.element = document.createElement('div');
    this.element.setAttribute('part', 'message');
    this.element.dataset['messageId'] = messageId;
    this.openBlock();
  }

  /** The block new text goes to (where a caret belongs). */
  get end(): HTMLElement {
    return this.block;
  }

  /** The whole text shown. O(message). */
  get text(): string {
    return this.element.textContent;
  }

  /** Append text; `caret`, if it sits in the last block, stays after the text. */
  append(content: string, caret: Element): void {
    let rest = content;
    while (rest !== '') {
      const at = blockBreak(this.blockLength, this.last, rest);
      this.write(at < 0 ? rest : rest.slice(0, at), caret);
      if (at < 0) return;
      rest = rest.slice(at);
      this.openBlock();
    }
  }

  /** Show exactly `text` (after a rebuild); keeps what is shown when it is a prefix. */
  reset(text: string, caret: Element): void {
    const shown = this.text;
    if (text.startsWith(shown)) {
      this.append(text.slice(shown.length), caret);
      return;
    }
    this.element.replaceChildren();
    this.openBlock();
    this.append(text, caret);
  }

  private write(piece: string, caret: Element): void {
    if (piece === '') return;
    if (this.tail.length < TEXT_NODE_CHUNK) this.tail.appendData(piece);
    else {
      this.tail = new Text(piece);
      this.block.insertBefore(this.tail, caret.parentNode === this.block ? caret : null);
    }
    this.blockLength += piece.length;
    this.last = piece.at(-1)!;
  }

  private openBlock(): void {
    this.block = document.createElement('div');
    this.tail = new Text('');
    this.block.append(this.tail);
    this.element.append(this.block);
    this.blockLength = 0;
  }
}
