/**
 * A code fence ending the text while it streams, at the top level or as the last block of a list
 * item or a block quote. Once its opening line is complete, every line after it is its code until
 * a line closes it (or, in a list item, a line indented less than the opening one may end the
 * item; in a quote, a line without the quote's markers ends the quote). The renderer would parse
 * the whole fence (and the item around it) twice each frame and set its whole text again: a cost
 * per frame that grows with the code (a model writing a 2,000-line file). Instead, each frame
 * looks only at the text that is new: complete lines are checked for one that may end the fence,
 * their quote markers and indent (up to the opening line's, as markdown-it takes it off) are
 * taken off, and the new code is appended to the block's text node. A line that may end the
 * fence hands the block back to the renderer, which parses it again (and continues it again when
 * it is still open); so does the end of the answer.
 */
import { closesFence } from './blocks.ts';
import { appendCodePiece, codePieces, setCodeOf, shownCode } from './code-block.ts';
import { fenceLineHeld } from './provisional.ts';

/** Only spaces and tabs. */
const BLANK = /^[ \t]*$/;
/** Only spaces and quote markers: a line whose quote markers are still arriving. */
const MARKERS_ONLY = /^[ >]*$/;
/**
 * A quote marker as markdown-it reads it: up to 3 spaces, `>`, one optional space; not a tab after
 * it (markdown-it counts it in columns).
 */
const QUOTE_MARKER = / {0,3}>(?!\t) ?/y;
const SPACE = 32;

/**
 * Where `line`'s text starts after `depth` quote markers; -1 when one is missing (the line ends the
 * quote) or a tab follows one.
 */
function afterQuotes(line: string, depth: number): number {
  QUOTE_MARKER.lastIndex = 0;
  for (let level = 0; level < depth; level++) if (!QUOTE_MARKER.test(line)) return -1;
  return QUOTE_MARKER.lastIndex;
}

/** The open fence ending the text, shown by appending to its code. */
export class OpenFence {
  /** Source offset of the fence's first line not yet complete (every complete line before it is shown). */
  private lineStart: number;
  /** The code of the complete lines. */
  private complete = '';
  /** The incomplete last line as shown after the complete ones. */
  private partial = '';

  private constructor(
    private readonly markup: string,
    private readonly depth: number,
    private readonly indent: number,
    private readonly block: HTMLElement,
    private readonly element: HTMLElement,
    /**
     * The text node the shown code ends in: its only one, or the last piece's when the code is
     * shown in pieces (see CODE_PIECE_CHARS). New code is cut into pieces from its text on, so a
     * frame reads what is new and at most one piece before it, never the whole code.
     */
    private text: Text,
    codeStart: number,
  ) {
    this.lineStart = codeStart;
  }

  /**
   * Continue the fence rendered as `block`, opened with `markup` on `openingLine` inside `depth`
   * block quotes, whose code starts at source offset `codeStart`; `src`: the whole source. Null
   * when it cannot be continued by appending: an opening line that is not its quote markers,
   * spaces and the fence (a list item's marker line, a tab), no code shown yet, or a block that
   * does not show `src`'s code.
   */
  static continue(
    block: Node | undefined,
    markup: string,
    openingLine: string,
    codeStart: number,
    src: string,
    depth = 0,
  ): OpenFence | null {
    if (!(block instanceof HTMLElement) || !block.classList.contains('code-block')) return null;
    const start = afterQuotes(openingLine, depth);
    if (start < 0) return null;
    let indent = 0;
    while (openingLine.charCodeAt(start + indent) === SPACE) indent++;
    if (!openingLine.startsWith(markup, start + indent)) return null;
    const element = block.querySelector('code');
    const code = element ? shownCode(element) : null;
    if (!element || !code) return null;
    const fence = new OpenFence(markup, depth, indent, block, element, code.last, codeStart);
    const read = fence.read(src);
    if (read === null || code.shown !== fence.complete + read.partial) return null;
    fence.partial = read.partial;
    return fence;
  }

  /**
   * Show the code of `src` (the whole source, which only grew since the last call). False when a
   * new line may end the fence (or the shown text would not only grow): the renderer must render
   * the block again.
   */
  update(src: string): boolean {
    const read = this.read(src);
    if (read === null) return false;
    // The text after the code complete before this frame was `this.partial`; it only grows.
    if (!(read.added + read.partial).startsWith(this.partial)) return false;
    // The last piece's complete lines, and what follows them, cut as createCodeBlock cuts the
    // whole code.
    const shown = this.text.data;
    const pieces = codePieces(shown.slice(0, shown.length - this.partial.length) + read.added + read.partial);
    const first = pieces[0]!;
    if (!first.startsWith(shown)) return false;
    this.text.appendData(first.slice(shown.length));
    if (pieces.length > 1 && this.text.parentNode === this.element) {
      // The code grew past one piece: its text node becomes the first.
      appendCodePiece(this.element, '').replaceWith(this.text);
    }
    for (const piece of pieces.slice(1)) this.text = appendCodePiece(this.element, piece);
    this.partial = read.partial;
    setCodeOf(this.block, this.complete + read.partial);
    return true;
  }

  /**
   * Take in the complete lines of `src` since the last call: the code they `added`, and the
   * incomplete last line as shown (`partial`); null when a line may end the fence. The last line
   * is held back while it may still become the closing one (as the renderer does), and while it
   * is only spaces and tabs (markdown-it does not count it as a line yet), or spaces and fewer
   * quote markers than the fence's (ended there, the quote would end the fence and show the same
   * code).
   */
  private read(src: string): { added: string; partial: string } | null {
    let added = '';
    for (let end = src.indexOf('\n', this.lineStart); end !== -1; end = src.indexOf('\n', this.lineStart)) {
      const line = this.codeOf(src.slice(this.lineStart, end));
      if (line === null) return null;
      added += `${line}\n`;
      this.lineStart = end + 1;
    }
    this.complete += added;
    const last = src.slice(this.lineStart);
    const held =
      fenceLineHeld(last) || BLANK.test(last) || (MARKERS_ONLY.test(last) && last.split('>').length <= this.depth);
    const partial = held ? '' : this.codeOf(last);
    return partial === null ? null : { added, partial };
  }

  /**
   * A line as the fence's code shows it: its quote markers and up to the opening line's indent
   * taken off. Null when it closes the fence, when a quote marker is missing (the quote ends), or
   * when it is not blank and indented less (in a list item it may end the item and so the fence)
   * or with a tab in that indent (markdown-it counts tabs in columns).
   */
  private codeOf(line: string): string | null {
    const start = afterQuotes(line, this.depth);
    if (start < 0) return null;
    let cut = start;
    while (cut < start + this.indent && line.charCodeAt(cut) === SPACE) cut++;
    const code = line.slice(cut);
    if (closesFence(code, this.markup)) return null;
    if (cut < start + this.indent && cut < line.length) return null;
    return code;
  }
}
