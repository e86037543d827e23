/**
 * A long top-level paragraph while it streams. A paragraph is one block, so the renderer would
 * parse and render all of it again each frame: a cost per frame that grows with the paragraph
 * (a model that writes 50 KB without a blank line makes every frame a long task). Instead, its
 * inline content is kept up to a point where nothing is open: rendered once, its nodes are never
 * touched again, and each frame renders only the text after it.
 *
 * That point is after a space between two other characters (or after the full-width punctuation
 * ending a clause in Chinese or Japanese, which has no spaces), far enough from the end, where the
 * content before it is closed (`completeInlineClosed`: every emphasis and strike opener matched,
 * every backtick run a code span, every bracket a link or decided literal). Text after such a
 * point cannot change how the content before it parses, and what follows it parses as it would
 * in the whole content (the character before it is a space, read as the start of a text is, or
 * punctuation, which is too when no delimiter run follows it), so the kept nodes followed by the
 * rest's nodes show what the whole would. A paragraph that turns into something else (a setext
 * heading, a table taking its last line, a changed reference) is rendered whole again by the
 * renderer, which also renders the paragraph from its real text once it is final.
 */
import { morphChildrenFrom } from './morph.ts';
import { completeInline, completeInlineClosed, paragraphTokens, type ParseEnv, type Parser } from './parser.ts';
import { provisionalSource } from './provisional.ts';
import { renderBlocks, type RenderContext } from './render.ts';

/** Content this long after the kept part (at least) is worth trying to keep more of. */
const KEEP_STEP = 1024;
/** The newest content is never kept: the rest always holds at least this much (what streams and is closed provisionally). */
const KEEP_MARGIN = 256;
/** How many of the kept content's last characters `continues` compares. */
const CHECKED = 64;
/** A table row in the pipe style: its line may still turn into a table's header, and is not cut. */
const PIPE_ROW = /^[ \t]*\|/;

/** A long top-level paragraph being streamed, and the start of it that is kept. */
export class OpenParagraph {
  /** The kept content: a closed prefix of the paragraph's inline content. */
  private kept = '';
  /** Nodes of the kept content: the first children of `element`. */
  private readonly nodes: Node[] = [];
  /** How much content after the kept part the next try to keep more waits for (doubles after a failed try). */
  private nextTry = KEEP_STEP;
  /** The shown rest, as last rendered. */
  private shownRest: string | null = null;

  /**
   * `start`: source offset of the paragraph's first line; `element`: its rendered `p`; `sig`: the
   * references it was rendered with.
   */
  constructor(
    readonly start: number,
    readonly element: HTMLElement,
    readonly sig: string,
  ) {}

  /** A paragraph of inline `content` this long is worth keeping the start of. */
  static worthKeeping(content: string): boolean {
    return content.length >= KEEP_STEP + KEEP_MARGIN;
  }

  /**
   * The kept content is still the start of the paragraph's inline `content`. The renderer's text
   * only grows (it starts over, with a new renderer state, when it does not), so content at least
   * as long, from the same first line, starts with what was kept: its last characters are compared
   * as a check, not the whole (a long paragraph would cost its length per frame).
   */
  continues(content: string): boolean {
    const check = Math.max(0, this.kept.length - CHECKED);
    return content.length >= this.kept.length && content.startsWith(this.kept.slice(check), check);
  }

  /**
   * Show the paragraph: `source` is its text (its lines), `content` its inline content (the
   * source without leading and trailing white space). Keeps more when enough arrived, then
   * renders the rest provisionally closed (only when it changed).
   */
  update(source: string, content: string, parser: Parser, env: ParseEnv, ctx: RenderContext): void {
    if (content.length - this.kept.length >= this.nextTry + KEEP_MARGIN) this.keepMore(content, parser, env, ctx);
    const lead = source.length - source.trimStart().length;
    const kept = this.kept === '' ? 0 : lead + this.kept.length;
    const rest = provisionalSource(source, { type: 'paragraph_open', closed: false }, kept).trim();
    if (rest === this.shownRest) return;
    this.shownRest = rest;
    const fresh = document.createElement('p');
    if (rest !== '') {
      const tokens = paragraphTokens(parser, rest);
      completeInline(parser, tokens, env);
      fresh.append(...renderBlocks(tokens, ctx)[0]!.childNodes);
    }
    morphChildrenFrom(this.element, fresh, this.afterKept());
  }

  /** The first child of `element` after the kept nodes (null: none). */
  private afterKept(): Node | null {
    const last = this.nodes.at(-1);
    return last ? last.nextSibling : this.element.firstChild;
  }

  /**
   * Keep the content up to the last point that is closed and far enough from the end, if there
   * is one: when what is before the last cut point leaves a construct open, the point before
   * that construct is tried once.
   */
  private keepMore(content: string, parser: Parser, env: ParseEnv, ctx: RenderContext): void {
    let limit = content.length - KEEP_MARGIN;
    for (let attempt = 0; attempt < 2; attempt++) {
      const cut = cutPoint(content, this.kept.length, limit);
      if (cut === null) break;
      const piece = content.slice(this.kept.length, cut);
      const tokens = paragraphTokens(parser, piece);
      const open = completeInlineClosed(parser, tokens, env);
      if (open < 0) {
        const nodes = [...renderBlocks(tokens, ctx)[0]!.childNodes];
        const before = this.afterKept();
        for (const node of nodes) this.element.insertBefore(node, before);
        this.nodes.push(...nodes);
        this.kept += piece;
        this.nextTry = KEEP_STEP;
        this.shownRest = null;
        return;
      }
      limit = this.kept.length + open - 1;
    }
    this.nextTry *= 2;
  }
}

/** Full-width punctuation ending a clause in Chinese or Japanese, which has no spaces to cut at. */
const CLAUSE_ENDS = '。，、！？；：';
/** Delimiter runs, whose flanking reads the character before them. */
const DELIMITERS = '*_~';

/**
 * The last offset of `content` after `from`, at or before `limit` + 1, before a character that is
 * not white space and after a single space (not after other white space), or after full-width
 * clause punctuation (not before a delimiter run, which after punctuation may close as well as
 * open, and so match otherwise than at the start of a text); not in a line that may be a table
 * row; or null.
 */
function cutPoint(content: string, from: number, limit: number): number | null {
  for (let cut = limit + 1; cut > from + 1; cut--) {
    const before = content.charAt(cut - 1);
    const next = content.charAt(cut);
    if (/\s/.test(next)) continue;
    if (
      before === ' ' ? /\s/.test(content.charAt(cut - 2)) : !CLAUSE_ENDS.includes(before) || DELIMITERS.includes(next)
    )
      continue;
    const lineStart = content.lastIndexOf('\n', cut - 1) + 1;
    if (PIPE_ROW.test(content.slice(lineStart, cut - 1))) continue;
    return cut;
  }
  return null;
}
