/**
 * A top-level list, table or block quote while it streams. Its finished children (list items,
 * table body rows, the quote's blocks) are final like top-level blocks: their nodes are never
 * touched again and their text is not parsed again. Each frame parses only from the first open
 * child on (with a table's header and delimiter rows put in front), so a frame costs O(open
 * child) however long the list, table or quote grows.
 *
 * Parsing from a child's first line gives that child the tokens it has in the whole text: a list
 * item, a table row and a quoted block depend only on their own lines, with two exceptions the
 * renderer handles. A list's looseness (whether its items' paragraphs are shown as paragraphs)
 * depends on every item; `listLoose` works it out as markdown-it does, and when later text turns
 * the list loose (or tight), the renderer renders the list whole again once. A reference
 * definition arriving later for a label a final child missed does the same.
 */
import { finalCount, groupBlocks, type Group, type Lines } from './blocks.ts';
import { isHosted } from './morph.ts';
import type { Token } from './parser.ts';

/** The containers whose children are frozen one by one. */
export type ContainerKind = 'list' | 'table' | 'quote';

/** The container kind of a top-level block (by its first token's type), or null. */
export function containerKind(type: string): ContainerKind | null {
  switch (type) {
    case 'bullet_list_open':
    case 'ordered_list_open':
      return 'list';
    case 'table_open':
      return 'table';
    case 'blockquote_open':
      return 'quote';
    default:
      return null;
  }
}

/** A blank line, as markdown-it's `isEmpty` sees it (spaces and tabs only). */
const BLANK = /^[ \t]*$/;

/**
 * markdown-it's looseness of a list from its `items` (each a list item of `tokens`): an item
 * that ends with a blank line and is followed by another, or an item with a blank line between
 * two of its blocks. With `upTo`, only the first `upTo` items are looked at (the rest may still
 * follow).
 */
export function listLoose(
  tokens: readonly Token[],
  items: readonly Group[],
  lines: Lines,
  upTo = items.length,
): boolean {
  const blank = (line: number): boolean => BLANK.test(lines.line(line));
  for (let k = 0; k < upTo; k++) {
    const item = items[k]!;
    if (k < items.length - 1 && item.end - item.start > 1 && blank(item.end - 1)) return true;
    const blocks = groupBlocks(tokens, item.from + 1, item.to - 1);
    for (let i = 0; i < blocks.length - 1; i++)
      if (blocks[i]!.end < blocks[i + 1]!.start || blank(blocks[i]!.end - 1)) return true;
  }
  return false;
}

/** Show (loose) or hide (tight) the paragraphs directly in list `item`, as markdown-it does for its list. */
export function setItemParagraphs(tokens: readonly Token[], item: Group, loose: boolean): void {
  const level = tokens[item.from]!.level + 1;
  for (let i = item.from + 1; i < item.to - 1; i++) {
    const token = tokens[i]!;
    if (token.type !== 'paragraph_open' || token.level !== level) continue;
    token.hidden = !loose;
    tokens[i + 2]!.hidden = !loose;
    i += 2;
  }
}

/** A top-level list, table or quote being streamed, and its final children. */
export class OpenContainer {
  /** Source offset of the first open child (where each frame's parse starts). */
  childStart: number;
  /** Final children's nodes, in order. */
  readonly frozen: Node[] = [];
  /** The open children's nodes (updated in place each frame). */
  open: Node[];
  /** List: what the final items say about looseness. */
  looseFinal = false;
  /** List: how the final items were rendered (null before any was). */
  looseShown: boolean | null = null;
  /** Reference labels final children looked up and missed. */
  readonly misses = new Set<string>();
  /** Labels final children defined. */
  readonly defines: string[] = [];
  /** The element the children are in (a table's `tbody` is made with its first row). */
  private holder: HTMLElement | null;
  private readonly type: string;
  private readonly markup: string;

  /**
   * `first`: the container's first token; `start`: source offset of its first line; `top`: its
   * rendered top-level node; `prefix`: text put in front of the children when parsing them.
   */
  constructor(
    readonly kind: ContainerKind,
    first: Token,
    readonly start: number,
    readonly top: HTMLElement,
    readonly prefix: string,
  ) {
    this.type = first.type;
    this.markup = first.markup;
    this.childStart = start + prefix.length;
    this.holder = kind === 'table' ? top.querySelector('tbody') : top;
    this.open = this.holder ? [...this.holder.childNodes] : [];
  }

  /** The table element (tables only). */
  get table(): HTMLTableElement | null {
    return this.top.querySelector('table');
  }

  /** `g` (first token `token`) continues this container from the first line of a parse. */
  continuedBy(token: Token, g: Group): boolean {
    return g.start === 0 && token.type === this.type && token.markup === this.markup;
  }

  /**
   * A parse from `childStart` that does not continue this container shows it ended there: its
   * first line is complete, or could not turn into a continuation any more. Only a quote whose
   * children are all final gets here (a list's last item and a table's rows always continue).
   */
  endedAt(lines: Lines): boolean {
    return this.kind === 'quote' && this.open.length === 0 && (lines.complete > 0 || !/^ {0,3}$/.test(lines.line(0)));
  }

  /** The children of `g` (this container in a parse): list items, table body rows, or the quote's blocks. */
  children(tokens: readonly Token[], g: Group): Group[] {
    if (this.kind !== 'table') return groupBlocks(tokens, g.from + 1, g.to - 1);
    for (let i = g.from + 1; i < g.to; i++)
      if (tokens[i]!.type === 'tbody_open') return groupBlocks(tokens, i + 1, g.to - 2);
    return [];
  }

  /**
   * How many leading `children` are final while the container goes on: list items followed by
   * an item that started on a complete line; table rows on complete lines; a quote's blocks by
   * the top-level rules.
   */
  finalChildren(children: readonly Group[], tokens: readonly Token[], lines: Lines): number {
    switch (this.kind) {
      case 'list':
        for (let k = children.length - 1; k >= 1; k--) if (children[k]!.start < lines.complete) return k;
        return 0;
      case 'table':
        return children.filter((row) => row.end <= lines.complete).length;
      case 'quote':
        return finalCount(children, tokens, lines, true);
    }
  }

  /** The type provisional closing treats the open children as (see provisional.ts). */
  openType(tokens: readonly Token[], children: readonly Group[]): string {
    return this.kind === 'quote' ? (tokens[children.at(-1)?.from ?? -1]?.type ?? 'paragraph_open') : this.type;
  }

  /** Show `final` (now final) and `open` children after the final ones, in place of last frame's open ones. */
  place(final: readonly Node[], open: readonly Node[]): void {
    const nodes = [...final, ...open];
    if (!this.holder && nodes.length > 0) {
      this.holder = document.createElement('tbody');
      this.table?.append(this.holder);
    }
    const holder = this.holder;
    if (!holder) return;
    let ref = this.frozen.length > 0 ? this.frozen.at(-1)!.nextSibling : holder.firstChild;
    for (const node of nodes) {
      if (node === ref) ref = ref.nextSibling;
      else holder.insertBefore(node, ref);
    }
    while (ref) {
      const next: ChildNode | null = ref.nextSibling;
      if (!isHosted(ref)) ref.remove();
      ref = next;
    }
    // A table without body rows has no tbody (as the whole-text render).
    if (this.kind === 'table' && !holder.firstChild) {
      holder.remove();
      this.holder = null;
    }
    this.frozen.push(...final);
    this.open = [...open];
  }
}
