/**
 * A code fence ending the text while it streams. At the top level a fence runs to its closing
 * line or to the end of the text, so once its opening line is complete everything after it is
 * its code, verbatim when the opening line is not indented. The renderer would parse the whole
 * fence twice each frame and set its whole text again: a cost per frame that grows with the code
 * (a model writing a 2,000-line file). Instead, each frame looks only at the text that is new:
 * complete lines are checked for the closing one, and the new code is appended to the block's
 * text node. A closing line hands the block back to the renderer, which parses it once more and
 * makes it final; so does the end of the answer.
 */
import { closesFence } from './blocks.ts';
import { setCodeOf } from './code-block.ts';
import { fenceLineHeld } from './provisional.ts';

/** Only spaces and tabs. */
const BLANK = /^[ \t]*$/;

/** The open fence ending the text, shown by appending to its code. */
export class OpenFence {
  /** Source offset of the fence's first line not yet complete (every complete line before it is code). */
  private lineStart: number;

  private constructor(
    private readonly codeStart: number,
    private readonly markup: string,
    private readonly block: HTMLElement,
    private readonly code: Text,
    lineStart: number,
  ) {
    this.lineStart = lineStart;
  }

  /**
   * Continue the fence rendered as `block`, opened with `markup` on `openingLine`, whose code
   * starts at source offset `codeStart` and whose complete lines end at `lineStart`; `src`: the
   * whole source. Null when it cannot be continued by appending: an indented opening line (its
   * code lines lose that indent), no code shown yet, or a block that does not show `src`'s code.
   */
  static continue(
    block: Node | undefined,
    markup: string,
    openingLine: string,
    codeStart: number,
    lineStart: number,
    src: string,
  ): OpenFence | null {
    if (!(block instanceof HTMLElement) || !block.classList.contains('code-block') || !openingLine.startsWith(markup))
      return null;
    const code = block.querySelector('code')?.firstChild;
    if (!(code instanceof Text) || code.data !== src.slice(codeStart, codeStart + code.data.length)) return null;
    return new OpenFence(codeStart, markup, block, code, Math.max(lineStart, codeStart));
  }

  /**
   * Show the code of `src` (the whole source, which only grew since the last call). False when a
   * new complete line closes the fence: the renderer must render the block again.
   */
  update(src: string): boolean {
    for (let end = src.indexOf('\n', this.lineStart); end !== -1; end = src.indexOf('\n', this.lineStart)) {
      if (closesFence(src.slice(this.lineStart, end), this.markup)) return false;
      this.lineStart = end + 1;
    }
    // The last line is held back while it may still become the closing one (as the renderer
    // does), and while it is only spaces and tabs (markdown-it does not count it as a line yet).
    const last = src.slice(this.lineStart);
    const end = fenceLineHeld(last) || BLANK.test(last) ? this.lineStart : src.length;
    const shown = this.code.length;
    const wanted = end - this.codeStart;
    if (wanted > shown) this.code.appendData(src.slice(this.codeStart + shown, end));
    else if (wanted < shown) this.code.deleteData(wanted, shown - wanted);
    setCodeOf(this.block, src.slice(this.codeStart, end));
    return true;
  }
}
