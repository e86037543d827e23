/**
 * The incremental markdown renderer: text is appended as it streams, and each `render()` (once per
 * frame) turns what is new into DOM updates of the open block only.
 *
 * The text is split at top-level blocks. Blocks that can no longer change are final ("frozen"):
 * their DOM is never touched again (a finished code block is not re-created or re-highlighted).
 * Only the tail after them is parsed again per frame, so a frame costs O(open block), however
 * long the answer grows. A block is final once the block after it has started on a complete line
 * (a table's start also needs its delimiter row complete: a half-written delimiter row could
 * still turn back into paragraph text), or once it ends itself: a heading or a thematic break on
 * complete lines, a fence with its closing line. What can still change a final block is a link
 * reference definition arriving later: blocks that looked such a label up and missed it are
 * rendered again when it is defined. The last block is shown provisionally closed (see
 * provisional.ts); `finish()` renders it from its real text, so the final DOM equals rendering
 * the whole text at once (`renderMarkdown`).
 */
import { handleCopyClick, highlightNodes } from './code-block.ts';
import { morphAll } from './morph.ts';
import { renderContext, type MarkdownOptions } from './options.ts';
import {
  completeInline,
  getParser,
  normalizeSource,
  parseBlocks,
  type ParseEnv,
  type Parser,
  type References,
  type Token,
} from './parser.ts';
import { plainText } from './plain-text.ts';
import { provisionalSource } from './provisional.ts';
import { renderBlocks, type RenderContext } from './render.ts';

/** One top-level block of a parse: its tokens [from, to) and its lines [start, end). */
interface Group {
  readonly from: number;
  readonly to: number;
  readonly start: number;
  readonly end: number;
  readonly type: string;
}

/** A final block. */
interface FrozenBlock {
  /** Offset of its first line in the text. */
  readonly offset: number;
  /** Its text (its lines). */
  readonly source: string;
  nodes: Node[];
  /** Reference labels it looked up that were not defined then, or null. */
  misses: Set<string> | null;
  /** Labels whose definition it added. */
  readonly defines: string[];
}

/** A rendered block of the tail, reused while its key (render mode + references + text) is the same. */
interface Slot {
  readonly key: string;
  readonly nodes: Node[];
  readonly misses: Set<string> | null;
}

const emptyReferences = (): References => Object.create(null) as References;
const cloneReferences = (from: References): References => Object.assign(emptyReferences(), from);

/** Top-level blocks of `tokens`, in order. */
export function groupBlocks(tokens: readonly Token[]): Group[] {
  const groups: Group[] = [];
  for (let i = 0; i < tokens.length;) {
    const first = tokens[i]!;
    let j = i + 1;
    if (first.nesting === 1) for (let depth = 1; j < tokens.length && depth > 0; j++) depth += tokens[j]!.nesting;
    const map = first.map ?? [0, 0];
    groups.push({ from: i, to: j, start: map[0], end: map[1], type: first.type });
    i = j;
  }
  return groups;
}

/** Offsets of the start of each line of `text` (one more than its line breaks). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

const CLOSING_FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/** Renders one growing markdown text into `root`. */
export class MarkdownRenderer {
  /** The element the blocks are rendered into. */
  readonly root: HTMLElement;
  private readonly parser: Parser;
  private readonly ctx: RenderContext;
  private readonly options: MarkdownOptions;
  /** The text as given. */
  private raw = '';
  /** The normalised text (a trailing CR is held back until the next character says if it ends a CR LF). */
  private src = '';
  private pendingCR = false;
  private flushedCR = false;
  private frozenEnd = 0;
  private frozen: FrozenBlock[] = [];
  private references = emptyReferences();
  private referencesVersion = 0;
  private tail: Slot[] = [];
  /** The last node of the frozen blocks (the tail follows it), or null. */
  private boundary: Node | null = null;
  private dirty = false;
  private finished = false;
  /** Where the frozen blocks ended before `finish()` froze the rest (undone when text arrives after it). */
  private beforeFinish: { blocks: number; offset: number } | null = null;
  private readonly onClick = (event: Event): void => {
    handleCopyClick(event, (message) => this.options.announce?.(message));
  };

  constructor(root: HTMLElement, options: MarkdownOptions = {}) {
    this.root = root;
    this.options = options;
    this.parser = getParser(options.gfm ?? true);
    this.ctx = renderContext(options);
    root.addEventListener('click', this.onClick);
  }

  /** The text appended so far. */
  get text(): string {
    return this.raw;
  }

  /** True once `finish()` rendered the text as final (until more text arrives). */
  get isFinished(): boolean {
    return this.finished && !this.dirty;
  }

  /** Blocks that are final (their DOM is never touched again). */
  get frozenBlocks(): number {
    return this.frozen.length;
  }

  /** The nodes of the final blocks, in order (they are never replaced while the text grows). */
  get frozenNodes(): readonly Node[] {
    return this.frozen.flatMap((block) => block.nodes);
  }

  /** The element the newest text ends in (where a caret belongs): the innermost last block. */
  get end(): Element {
    let element: Element = this.root;
    for (let last = element.lastElementChild; last; last = element.lastElementChild) {
      if (last.classList.contains('code-block')) return last.querySelector('code') ?? last;
      if (!BLOCK_CONTAINERS.has(last.localName)) break;
      element = last;
    }
    return element;
  }

  /** Append streamed text; shown at the next `render()`. */
  append(content: string): void {
    if (content === '') return;
    if (this.finished) this.unfinish();
    this.raw += content;
    let piece = content;
    if (this.flushedCR) {
      this.flushedCR = false;
      if (piece.startsWith('\n')) piece = piece.slice(1);
    }
    if (this.pendingCR) piece = `\r${piece}`;
    this.pendingCR = piece.endsWith('\r');
    if (this.pendingCR) piece = piece.slice(0, -1);
    this.src += normalizeSource(piece);
    this.dirty = true;
  }

  /** Show exactly `text`: appends when it continues what is shown, starts over otherwise. */
  reset(text: string): void {
    if (text.startsWith(this.raw)) {
      this.append(text.slice(this.raw.length));
      return;
    }
    this.clear();
    this.append(text);
  }

  /** Bring the DOM up to date: O(open block). */
  render(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.update(this.finished);
  }

  /** The text is complete: render every block from its real text, final, and highlight code. */
  finish(): void {
    if (this.finished && !this.dirty) return;
    if (!this.finished) this.beforeFinish = { blocks: this.frozen.length, offset: this.frozenEnd };
    this.finished = true;
    if (this.pendingCR) {
      this.pendingCR = false;
      this.flushedCR = true;
      this.src += '\n';
    }
    this.dirty = false;
    this.update(true);
  }

  /** The shown text as plain words (no markup, no buttons): what a screen reader announces. */
  plainText(): string {
    return plainText(this.root);
  }

  /** Stop listening to the root (the DOM stays). */
  dispose(): void {
    this.root.removeEventListener('click', this.onClick);
  }

  private clear(): void {
    this.raw = '';
    this.src = '';
    this.pendingCR = false;
    this.flushedCR = false;
    this.frozenEnd = 0;
    this.frozen = [];
    this.references = emptyReferences();
    this.referencesVersion++;
    this.tail = [];
    this.boundary = null;
    this.finished = false;
    this.beforeFinish = null;
    this.root.replaceChildren();
  }

  /** More text after `finish()`: the blocks it froze become open again (they are reused if unchanged). */
  private unfinish(): void {
    this.finished = false;
    const before = this.beforeFinish;
    this.beforeFinish = null;
    if (!before) return;
    const reopened = this.frozen.splice(before.blocks);
    const dropped = new Set(reopened.flatMap((block) => block.defines));
    if (dropped.size > 0) {
      const kept = emptyReferences();
      for (const [label, reference] of Object.entries(this.references))
        if (!dropped.has(label)) kept[label] = reference;
      this.references = kept;
      this.referencesVersion++;
    }
    this.frozenEnd = before.offset;
    this.tail = [...reopened.map((block): Slot => ({ key: '', nodes: block.nodes, misses: null })), ...this.tail];
    this.boundary = null;
    for (let i = this.frozen.length - 1; i >= 0 && !this.boundary; i--)
      this.boundary = this.frozen[i]!.nodes.at(-1) ?? null;
  }

  private update(final: boolean): void {
    const tail = this.src.slice(this.frozenEnd);
    const env: ParseEnv = { references: cloneReferences(this.references) };
    const tokens = parseBlocks(this.parser, tail, env);
    const groups = groupBlocks(tokens);
    const starts = lineStarts(tail);
    const complete = starts.length - 1;
    const offset = (line: number): number => starts[line] ?? tail.length;
    const sourceOf = (g: Group): string => tail.slice(offset(g.start), offset(g.end));
    const freeze = final ? groups.length : this.finalCount(groups, tokens, tail, complete, offset);

    // References defined by the blocks about to freeze join the final ones (the first definition wins).
    const newLabels: string[] = [];
    const defines: string[][] = groups.slice(0, freeze).map((g) => {
      const added: string[] = [];
      for (let i = g.from; i < g.to; i++) {
        const token = tokens[i]!;
        const label = (token.meta as { label?: string } | null)?.label;
        if (token.type !== 'reference_definition' || label === undefined || label in this.references) continue;
        const reference = env.references[label];
        if (!reference) continue;
        this.references[label] = reference;
        added.push(label);
      }
      newLabels.push(...added);
      return added;
    });
    if (newLabels.length > 0) this.referencesVersion++;
    const frozenSig = `${Object.keys(this.references).length}:${this.referencesVersion}`;
    const tailSig = `${Object.keys(env.references).length}:${this.referencesVersion}`;

    const previous = this.tail;
    const slots: Slot[] = groups.map((g, i) => {
      const last = i === groups.length - 1;
      const frozen = i < freeze;
      if (!frozen && last && !final)
        return this.provisionalSlot(g, tokens, sourceOf(g), tail, offset, env, tailSig, previous[i]);
      const source = sourceOf(g);
      const key = `F${frozen ? frozenSig : tailSig}\u0000${source}`;
      const before = previous[i];
      if (before?.key === key) return before;
      const misses = new Set<string>();
      const slice = tokens.slice(g.from, g.to);
      completeInline(this.parser, slice, frozen ? { references: this.references } : env, misses);
      const fresh = renderBlocks(slice, this.ctx);
      return { key, nodes: before ? morphAll(before.nodes, fresh) : fresh, misses: misses.size > 0 ? misses : null };
    });

    this.place(slots.flatMap((slot) => slot.nodes));
    for (let i = 0; i < freeze; i++) {
      const g = groups[i]!;
      const slot = slots[i]!;
      this.frozen.push({
        offset: this.frozenEnd + offset(g.start),
        source: sourceOf(g),
        nodes: slot.nodes,
        misses: slot.misses,
        defines: defines[i]!,
      });
      if (slot.nodes.length > 0) this.boundary = slot.nodes.at(-1)!;
      if (this.options.highlight) highlightNodes(slot.nodes, this.options.highlight);
    }
    if (newLabels.length > 0) this.refreshFrozen(newLabels, this.frozen.length - freeze);
    this.tail = slots.slice(freeze);
    if (freeze > 0) {
      const next = groups[freeze];
      this.frozenEnd += next ? offset(next.start) : final ? tail.length : offset(groups[freeze - 1]!.end);
    }
  }

  /** How many leading groups of the tail are final (see the module comment). */
  private finalCount(
    groups: readonly Group[],
    tokens: readonly Token[],
    tail: string,
    complete: number,
    offset: (line: number) => number,
  ): number {
    let count = 0;
    for (let k = groups.length - 1; k >= 1; k--) {
      const g = groups[k]!;
      const before = groups[k - 1]!;
      // A definition right before a line starting with a quote or parenthesis may yet take it
      // (and the lines up to its closing one) as its title.
      const maybeTitle =
        before.type === 'reference_definition' &&
        g.start === before.end &&
        /^\s*["'(]/.test(tail.slice(offset(g.start)));
      if (g.start < complete && (g.type !== 'table_open' || g.start + 1 < complete) && !maybeTitle) {
        count = k;
        break;
      }
    }
    for (let k = groups.length - 1; k >= count; k--) {
      const g = groups[k]!;
      if (g.end > complete) continue;
      const ended =
        g.type === 'heading_open' ||
        g.type === 'hr' ||
        (g.type === 'fence' && this.fenceClosed(g, tokens[g.from]!, tail, offset));
      if (ended) return k + 1;
    }
    return count;
  }

  private fenceClosed(g: Group, token: Token, tail: string, offset: (line: number) => number): boolean {
    if (g.end - g.start < 2) return false;
    const line = tail.slice(offset(g.end - 1), offset(g.end)).replace(/\n$/, '');
    const fence = CLOSING_FENCE.exec(line)?.[1];
    return fence !== undefined && fence.startsWith(token.markup.charAt(0)) && fence.length >= token.markup.length;
  }

  /** The open block, provisionally closed. */
  private provisionalSlot(
    g: Group,
    tokens: readonly Token[],
    source: string,
    tail: string,
    offset: (line: number) => number,
    env: ParseEnv,
    sig: string,
    before: Slot | undefined,
  ): Slot {
    const first = tokens[g.from]!;
    const closed = first.type === 'fence' && this.fenceClosed(g, first, tail, offset);
    const shown = provisionalSource(source, { type: first.type, closed });
    const key = `P${sig}\u0000${shown}`;
    if (before?.key === key) return before;
    let blockTokens: Token[];
    if (shown === source) blockTokens = tokens.slice(g.from, g.to);
    else {
      const own: ParseEnv = { references: cloneReferences(env.references) };
      blockTokens = parseBlocks(this.parser, shown, own);
    }
    completeInline(this.parser, blockTokens, env);
    const fresh = renderBlocks(blockTokens, this.ctx);
    return { key, nodes: before ? morphAll(before.nodes, fresh) : fresh, misses: null };
  }

  /** Put `nodes` (this frame's new final blocks, then the tail) right after the frozen blocks. */
  private place(nodes: readonly Node[]): void {
    let ref = this.boundary ? this.boundary.nextSibling : this.root.firstChild;
    for (const node of nodes) {
      if (node === ref) ref = ref.nextSibling;
      else this.root.insertBefore(node, ref);
    }
    while (ref) {
      const next: ChildNode | null = ref.nextSibling;
      ref.remove();
      ref = next;
    }
  }

  /** Render again the final blocks (of the first `upTo`) that looked up one of `labels` before it was defined. */
  private refreshFrozen(labels: readonly string[], upTo: number): void {
    for (const block of this.frozen.slice(0, upTo)) {
      if (!block.misses || !labels.some((label) => block.misses!.has(label))) continue;
      const env: ParseEnv = { references: cloneReferences(this.references) };
      const tokens = parseBlocks(this.parser, block.source, env);
      const misses = new Set<string>();
      completeInline(this.parser, tokens, { references: this.references }, misses);
      const nodes = morphAll(block.nodes, renderBlocks(tokens, this.ctx));
      const anchor = block.nodes[0];
      if (anchor?.parentNode) {
        for (const node of nodes) if (node !== anchor) this.root.insertBefore(node, anchor);
        for (const old of block.nodes) if (!nodes.includes(old)) old.parentNode?.removeChild(old);
      }
      if (this.boundary && block.nodes.includes(this.boundary)) this.boundary = nodes.at(-1) ?? null;
      block.nodes = nodes;
      block.misses = misses.size > 0 ? misses : null;
      if (this.options.highlight) highlightNodes(nodes, this.options.highlight);
    }
  }
}

/** Elements the caret descends into to reach the newest text. */
const BLOCK_CONTAINERS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'ul',
  'ol',
  'li',
  'div',
  'table',
  'thead',
  'tbody',
  'tr',
  'td',
  'th',
]);
