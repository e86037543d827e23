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
 * complete lines, a fence with its closing line (see blocks.ts). A top-level list, table or quote
 * is split further while it streams: its finished items, rows or blocks are final in the same
 * way and only its open child is parsed again (see open-container.ts), so a long list costs
 * O(open item) per frame too. A long paragraph ending the text is kept up to the last point where
 * nothing in it is open, and only the text after that point is parsed again (see
 * open-paragraph.ts), and a code fence ending the text (or a list's last item, or a quote) only
 * has its new code appended (see open-fence.ts). What can still change a final block is a link
 * reference definition arriving later: blocks that looked such a label up and missed it are
 * rendered again when it is defined. The last block is shown provisionally closed (see
 * provisional.ts); `finish()` renders it from its real text, so the final DOM equals rendering the
 * whole text at once (`renderMarkdown`).
 */
import {
  endingFence,
  fenceClosed,
  fenceQuoteDepth,
  finalCount,
  groupBlocks,
  linesOf,
  startedForGood,
  type Group,
  type Lines,
} from './blocks.ts';
import { codeEnd, handleCopyClick, highlightNodes } from './code-block.ts';
import { isHosted, morphAll } from './morph.ts';
import { containerKind, listLoose, OpenContainer, setItemParagraphs } from './open-container.ts';
import { OpenFence } from './open-fence.ts';
import { OpenParagraph } from './open-paragraph.ts';
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
  /** The top-level list, table or quote being continued child by child, or null. */
  private open: OpenContainer | null = null;
  /** The long paragraph ending the text, rendered from its kept start on (see open-paragraph.ts), or null. */
  private paragraph: OpenParagraph | null = null;
  /**
   * `paragraph` as the last update left it, while an update runs: kept only if this update shows
   * it again (else the paragraph became final or something else).
   */
  private lastParagraph: OpenParagraph | null = null;
  /**
   * The code fence ending the text, the open list's last item or the open quote, continued by
   * appending its new code (see open-fence.ts), or null.
   */
  private fence: OpenFence | null = null;
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

  /**
   * The final nodes in document order: the final blocks', then the final items, rows or blocks of
   * a list, table or quote still streaming. They are never replaced while the text grows.
   */
  get frozenNodes(): readonly Node[] {
    return [...this.frozen.flatMap((block) => block.nodes), ...(this.open?.frozen ?? [])];
  }

  /** The element the newest text ends in (where a caret belongs): the innermost last block. */
  get end(): Element {
    let element: Element = this.root;
    for (let last = lastOwnElement(element); last; last = lastOwnElement(element)) {
      if (last.classList.contains('code-block')) {
        const code = last.querySelector('code');
        return code ? codeEnd(code) : last;
      }
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
    this.open = null;
    this.paragraph = null;
    this.lastParagraph = null;
    this.fence = null;
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
    this.lastParagraph = this.paragraph;
    this.paragraph = null;
    this.updateBlocks(final);
    this.lastParagraph = null;
  }

  private updateBlocks(final: boolean): void {
    if (this.fence) {
      if (!final && this.fence.update(this.src)) return;
      this.fence = null;
    }
    // A list, table or quote that `updateTail` starts continuing is updated as one at once, in the
    // same frame: it shows what later frames show (only its open children closed provisionally),
    // not its whole text closed provisionally, which can differ (remend reads a quote's code as
    // text). Three passes at most: a container dissolved again at once stays rendered whole.
    for (let pass = 0; pass < 3; pass++) {
      const open = this.open;
      if (open) {
        const outcome = this.updateOpen(open, final);
        if (outcome === 'open') return;
        if (outcome === 'dissolved') {
          // Rendered whole again from the top-level tail, in place (its nodes are reused).
          this.open = null;
          this.tail = [{ key: '', nodes: [open.top], misses: null }, ...this.tail];
        }
      }
      if (!this.updateTail(final)) return;
    }
  }

  /**
   * Parse the tail after the final blocks; freeze what became final; render the rest. True when a
   * list, table or quote is now continued child by child.
   */
  private updateTail(final: boolean): boolean {
    const base = this.frozenEnd;
    const tail = this.src.slice(base);
    const env: ParseEnv = { references: cloneReferences(this.references) };
    const tokens = parseBlocks(this.parser, tail, env);
    const groups = groupBlocks(tokens);
    const lines = linesOf(tail);
    const freeze = final ? groups.length : finalCount(groups, tokens, lines);

    const defines = groups.slice(0, freeze).map((g) => this.define(tokens, g, env));
    const newLabels = defines.flat();
    if (newLabels.length > 0) this.referencesVersion++;
    const frozenSig = `${Object.keys(this.references).length}:${this.referencesVersion}`;
    const tailSig = `${Object.keys(env.references).length}:${this.referencesVersion}`;

    const previous = this.tail;
    const slots: Slot[] = groups.map((g, i) =>
      i < freeze
        ? this.finalSlot(g, tokens, lines, frozenSig, previous[i])
        : this.openSlot(g, i === groups.length - 1 && !final, tokens, lines, env, tailSig, previous[i], base),
    );

    this.place(slots.flatMap((slot) => slot.nodes));
    for (let i = 0; i < freeze; i++) {
      const g = groups[i]!;
      const slot = slots[i]!;
      this.frozen.push({
        offset: base + lines.offset(g.start),
        source: tail.slice(lines.offset(g.start), lines.offset(g.end)),
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
      this.frozenEnd += next ? lines.offset(next.start) : final ? tail.length : lines.offset(groups[freeze - 1]!.end);
    }
    const next = groups[freeze];
    // A fence ending the text is continued by appending from the next frame on.
    if (next?.type === 'fence' && !final && freeze === groups.length - 1 && next.start < lines.complete) {
      const token = tokens[next.from]!;
      if (!fenceClosed(next, token, lines))
        this.fence = OpenFence.continue(
          slots[freeze]!.nodes[0],
          token.markup,
          lines.line(next.start),
          base + lines.offset(next.start + 1),
          this.src,
        );
      return false;
    }
    // A list, table or quote that goes on is continued child by child.
    const kind = next && !final ? containerKind(next.type) : null;
    const top = slots[freeze]?.nodes;
    if (!next || !kind || top?.length !== 1 || !(top[0] instanceof HTMLElement)) return false;
    if (kind === 'table' && next.start + 2 > lines.complete) return false;
    const start = base + lines.offset(next.start);
    const prefix = kind === 'table' ? tail.slice(lines.offset(next.start), lines.offset(next.start + 2)) : '';
    const container = new OpenContainer(kind, tokens[next.from]!, start, top[0], prefix);
    if (kind === 'table') this.tableHeader(container);
    this.open = container;
    this.tail = slots.slice(freeze + 1);
    return true;
  }

  /**
   * One frame of an open list, table or quote: parse from its first open child on, freeze the
   * children that became final, render the open ones, and the blocks after it. 'closed': it is a
   * final block now (what follows is for `updateTail`); 'dissolved': it must be rendered whole.
   */
  private updateOpen(c: OpenContainer, final: boolean): 'open' | 'closed' | 'dissolved' {
    const base = c.childStart;
    const text = c.prefix + this.src.slice(base);
    /** A source offset from an offset in `text`. */
    const at = (offset: number): number => base + offset - c.prefix.length;
    const env: ParseEnv = { references: cloneReferences(this.references) };
    const tokens = parseBlocks(this.parser, text, env);
    const groups = groupBlocks(tokens);
    const lines = linesOf(text);
    const g0 = groups[0];
    if (!g0 || !c.continuedBy(tokens[g0.from]!, g0)) {
      if (c.endedAt(lines) || (final && c.open.length === 0)) return this.closeOpen(c, base);
      return g0 || c.open.length > 0 ? 'dissolved' : 'open';
    }
    const closing = final || (groups.length > 1 && startedForGood(groups[1]!, g0, lines));
    const children = c.children(tokens, g0);
    const n = closing ? children.length : c.finalChildren(children, tokens, lines);
    let loose = false;
    if (c.kind === 'list') {
      loose = c.looseFinal || listLoose(tokens, children, lines);
      if (c.looseShown !== null && loose !== c.looseShown) return 'dissolved';
      for (const item of children) setItemParagraphs(tokens, item, loose);
    }
    // Definitions in children about to be final join the final ones (the first definition wins).
    const defined = children.slice(0, n).flatMap((child) => this.define(tokens, child, env));
    if (defined.length > 0) {
      this.referencesVersion++;
      this.refreshFrozen(defined, this.frozen.length);
      // A final child that missed one of them: render the container whole again.
      if (defined.some((label) => c.misses.has(label))) return 'dissolved';
    }

    const finalNodes: Node[] = [];
    for (const child of children.slice(0, n)) {
      const slice = tokens.slice(child.from, child.to);
      const misses = new Set<string>();
      completeInline(this.parser, slice, { references: this.references }, misses);
      for (const label of misses) c.misses.add(label);
      finalNodes.push(...renderBlocks(slice, this.ctx));
    }
    const provisional = !closing && groups.length === 1;
    const openNodes = this.openChildren(c, children.slice(n), tokens, lines, env, loose, provisional);
    const kept = morphAll(c.open, [...finalNodes, ...openNodes]);
    const frozenNow = kept.slice(0, finalNodes.length);
    c.place(frozenNow, kept.slice(finalNodes.length));
    if (this.options.highlight) highlightNodes(frozenNow, this.options.highlight);
    if (n > 0) {
      c.defines.push(...defined);
      if (c.kind === 'list') {
        c.looseFinal ||= listLoose(tokens, children, lines, n);
        c.looseShown = loose;
      }
      c.childStart = at(lines.offset(n < children.length ? children[n]!.start : children[n - 1]!.end));
    }
    if (closing) return this.closeOpen(c, at(lines.offset(g0.end)));

    // Blocks after the container, started on an incomplete line (or it would be final).
    const sig = `${Object.keys(env.references).length}:${this.referencesVersion}`;
    const previous = this.tail;
    this.tail = groups
      .slice(1)
      .map((g, i) => this.openSlot(g, i === groups.length - 2, tokens, lines, env, sig, previous[i]));
    this.place([c.top, ...this.tail.flatMap((slot) => slot.nodes)]);
    // A fence ending the list's last item or the quote is continued by appending from the next
    // frame on.
    const fence =
      provisional && c.kind !== 'table' && n < children.length ? endingFence(tokens, children.at(-1)!, lines) : null;
    const depth = fence ? fenceQuoteDepth(tokens, fence) : null;
    if (fence?.map && depth !== null) {
      const item = c.open.at(-1);
      let block = item instanceof Element ? item : null;
      while (block && !block.classList.contains('code-block')) block = lastOwnElement(block);
      this.fence = OpenFence.continue(
        block ?? undefined,
        fence.markup,
        lines.line(fence.map[0]),
        at(lines.offset(fence.map[0] + 1)),
        this.src,
        depth,
      );
    }
    return 'open';
  }

  /** The open children's nodes: from their real text, or provisionally closed when they end the text. */
  private openChildren(
    c: OpenContainer,
    children: readonly Group[],
    tokens: readonly Token[],
    lines: Lines,
    env: ParseEnv,
    loose: boolean,
    provisional: boolean,
  ): Node[] {
    if (children.length === 0) return [];
    if (!provisional) {
      return children.flatMap((child) => {
        const slice = tokens.slice(child.from, child.to);
        completeInline(this.parser, slice, env);
        return renderBlocks(slice, this.ctx);
      });
    }
    const last = children.at(-1)!;
    const isFence = tokens[last.from]!.type === 'fence';
    const type = !isFence && endingFence(tokens, last, lines) ? 'fence' : c.openType(tokens, children);
    const closed = isFence && fenceClosed(last, tokens[last.from]!, lines, c.kind === 'quote');
    const shown = provisionalSource(c.prefix + lines.text.slice(lines.offset(children[0]!.start)), { type, closed });
    const own = parseBlocks(this.parser, shown, { references: cloneReferences(env.references) });
    const g = groupBlocks(own)[0];
    if (!g || !c.continuedBy(own[g.from]!, g)) return [];
    const shownChildren = c.children(own, g);
    if (c.kind === 'list') for (const item of shownChildren) setItemParagraphs(own, item, loose);
    const slice = own.slice(shownChildren[0]?.from ?? 0, shownChildren.at(-1)?.to ?? 0);
    completeInline(this.parser, slice, env);
    return renderBlocks(slice, this.ctx);
  }

  /** The open container ends at source offset `end`: it is a final top-level block from now on. */
  private closeOpen(c: OpenContainer, end: number): 'closed' {
    this.frozen.push({
      offset: c.start,
      source: this.src.slice(c.start, end),
      nodes: [c.top],
      misses: c.misses.size > 0 ? c.misses : null,
      defines: c.defines,
    });
    this.boundary = c.top;
    this.frozenEnd = end;
    this.open = null;
    if (this.options.highlight) highlightNodes([c.top], this.options.highlight);
    return 'closed';
  }

  /** A table's header rendered from its real rows (its labels' misses recorded): it never changes again. */
  private tableHeader(c: OpenContainer): void {
    const tokens = parseBlocks(this.parser, c.prefix, { references: cloneReferences(this.references) });
    const misses = new Set<string>();
    completeInline(this.parser, tokens, { references: this.references }, misses);
    for (const label of misses) c.misses.add(label);
    const fresh = renderBlocks(tokens, this.ctx)[0];
    const head = c.top.querySelector('thead');
    const freshHead = fresh instanceof Element ? fresh.querySelector('thead') : null;
    if (head && freshHead) morphAll([head], [freshHead]);
  }

  /** Labels group `g` of `tokens` defines that are new: they join the final references. */
  private define(tokens: readonly Token[], g: Group, env: ParseEnv): string[] {
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
    return added;
  }

  /** A block about to be final, rendered from its real text with the final references. */
  private finalSlot(g: Group, tokens: readonly Token[], lines: Lines, sig: string, before: Slot | undefined): Slot {
    const key = `F${sig}\u0000${lines.text.slice(lines.offset(g.start), lines.offset(g.end))}`;
    if (before?.key === key) return before;
    this.joinKept(before);
    const misses = new Set<string>();
    const slice = tokens.slice(g.from, g.to);
    completeInline(this.parser, slice, { references: this.references }, misses);
    const fresh = renderBlocks(slice, this.ctx);
    return { key, nodes: before ? morphAll(before.nodes, fresh) : fresh, misses: misses.size > 0 ? misses : null };
  }

  /**
   * A block that is not final: the last one provisionally closed, others from their real text.
   * `base`: the source offset `lines` start at, for a top-level block (a long paragraph ending
   * the text is then rendered from its kept start on).
   */
  private openSlot(
    g: Group,
    last: boolean,
    tokens: readonly Token[],
    lines: Lines,
    env: ParseEnv,
    sig: string,
    before: Slot | undefined,
    base?: number,
  ): Slot {
    // The last block with the blank lines after it, if any: they end a paragraph (see provisional.ts).
    const source = lines.text.slice(lines.offset(g.start), last ? undefined : lines.offset(g.end));
    const first = tokens[g.from]!;
    if (last && base !== undefined && first.type === 'paragraph_open' && g.to - g.from === 3) {
      const slot = this.paragraphSlot(
        base + lines.offset(g.start),
        source,
        tokens[g.from + 1]!.content,
        env,
        sig,
        before,
      );
      if (slot) return slot;
    }
    const closed = first.type === 'fence' && fenceClosed(g, first, lines);
    const type = first.type !== 'fence' && endingFence(tokens, g, lines) ? 'fence' : first.type;
    const shown = last ? provisionalSource(source, { type, closed }) : source;
    const key = `${last ? 'P' : 'O'}${sig}\u0000${shown}`;
    if (before?.key === key) return before;
    this.joinKept(before);
    let blockTokens: Token[];
    if (shown === source) blockTokens = tokens.slice(g.from, g.to);
    else blockTokens = parseBlocks(this.parser, shown, { references: cloneReferences(env.references) });
    completeInline(this.parser, blockTokens, env);
    const fresh = renderBlocks(blockTokens, this.ctx);
    return { key, nodes: before ? morphAll(before.nodes, fresh) : fresh, misses: null };
  }

  /**
   * The long paragraph ending the text (its first line at source offset `at`): rendered from its
   * kept start on, or null when it is not long enough to keep any of it.
   */
  private paragraphSlot(
    at: number,
    source: string,
    content: string,
    env: ParseEnv,
    sig: string,
    before: Slot | undefined,
  ): Slot | null {
    let paragraph = this.lastParagraph;
    if (paragraph?.start !== at || paragraph.sig !== sig || !paragraph.continues(content)) {
      if (!OpenParagraph.worthKeeping(content)) return null;
      const shown = before?.nodes.length === 1 ? before.nodes[0] : null;
      const element = shown instanceof HTMLParagraphElement ? shown : document.createElement('p');
      paragraph = new OpenParagraph(at, element, sig);
    }
    paragraph.update(source, content, this.parser, env, this.ctx);
    this.paragraph = paragraph;
    return { key: '', nodes: [paragraph.element], misses: null };
  }

  /**
   * `before` showed a long paragraph in pieces (its kept start, then the rest) and is rendered
   * whole now: join the text its pieces split, as a whole render has it, so that updating it to
   * the whole render changes no node. `normalize()` keeps a selection in the joined text.
   */
  private joinKept(before: Slot | undefined): void {
    const kept = this.lastParagraph;
    if (kept && before?.nodes[0] === kept.element) kept.element.normalize();
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
      if (!isHosted(ref)) ref.remove();
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

/** The last child element of `element` the renderer made (not a hosted caret). */
function lastOwnElement(element: Element): Element | null {
  let last = element.lastElementChild;
  while (last && isHosted(last)) last = last.previousElementSibling;
  return last;
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
