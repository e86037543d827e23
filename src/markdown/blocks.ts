/**
 * Block structure of a parse, and when a block is final: the rules the incremental renderer
 * freezes blocks by, for the top level and for the children of an open quote.
 */
import type { Token } from './parser.ts';

/** One block of a parse: its tokens [from, to) and its lines [start, end). */
export interface Group {
  readonly from: number;
  readonly to: number;
  readonly start: number;
  readonly end: number;
  readonly type: string;
}

/** The blocks of `tokens[from, to)` (a run of tokens at one nesting level), in order. */
export function groupBlocks(tokens: readonly Token[], from = 0, to = tokens.length): Group[] {
  const groups: Group[] = [];
  for (let i = from; i < to;) {
    const first = tokens[i]!;
    let j = i + 1;
    if (first.nesting === 1) for (let depth = 1; j < to && depth > 0; j++) depth += tokens[j]!.nesting;
    const map = first.map ?? [0, 0];
    groups.push({ from: i, to: j, start: map[0], end: map[1], type: first.type });
    i = j;
  }
  return groups;
}

/** Offsets of the start of each line of `text` (one more than its line breaks). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** A parsed text's lines: `complete` lines end with a line break; `offset(line)` is where a line starts. */
export interface Lines {
  readonly text: string;
  readonly complete: number;
  offset(line: number): number;
  /** The text of `line`, without its line break ('' past the end). */
  line(line: number): string;
}

/** The lines of `text`. */
export function linesOf(text: string): Lines {
  const starts = lineStarts(text);
  const offset = (line: number): number => starts[line] ?? text.length;
  return {
    text,
    complete: starts.length - 1,
    offset,
    line: (line) => text.slice(offset(line), offset(line + 1)).replace(/\n$/, ''),
  };
}

const CLOSING_FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
/** One level of block quote markers at the start of a line. */
const QUOTE_MARKER = /^ {0,3}> ?/;

/**
 * A fence block `g` (first token `token`) has its closing line. `quoted`: the fence is a child of
 * a block quote, its lines start with a quote marker.
 */
export function fenceClosed(g: Group, token: Token, lines: Lines, quoted = false): boolean {
  if (g.end - g.start < 2) return false;
  let line = lines.line(g.end - 1);
  if (quoted) line = line.replace(QUOTE_MARKER, '');
  return closesFence(line, token.markup);
}

/** `line` (without its line break) closes a fence opened with `markup` (```` ``` ````, `~~~~`, …). */
export function closesFence(line: string, markup: string): boolean {
  const fence = CLOSING_FENCE.exec(line)?.[1];
  return fence !== undefined && fence.startsWith(markup.charAt(0)) && fence.length >= markup.length;
}

/**
 * Block `g` has started for good after block `before`: on a complete line (a table also needs its
 * delimiter row complete: a half-written one could still turn back into paragraph text), and not
 * on a line a reference definition `before` may yet take as its title (one starting with a quote
 * or a parenthesis).
 */
export function startedForGood(g: Group, before: Group, lines: Lines, quoted = false): boolean {
  let first = lines.line(g.start);
  if (quoted) first = first.replace(QUOTE_MARKER, '');
  const maybeTitle = before.type === 'reference_definition' && g.start === before.end && /^\s*["'(]/.test(first);
  return g.start < lines.complete && (g.type !== 'table_open' || g.start + 1 < lines.complete) && !maybeTitle;
}

/**
 * How many leading `groups` are final: every block before the last one that started for good,
 * and any block that ended itself on complete lines (a heading, a thematic break, a closed fence).
 */
export function finalCount(groups: readonly Group[], tokens: readonly Token[], lines: Lines, quoted = false): number {
  let count = 0;
  for (let k = groups.length - 1; k >= 1; k--) {
    if (startedForGood(groups[k]!, groups[k - 1]!, lines, quoted)) {
      count = k;
      break;
    }
  }
  for (let k = groups.length - 1; k >= count; k--) {
    const g = groups[k]!;
    if (g.end > lines.complete) continue;
    const ended =
      g.type === 'heading_open' ||
      g.type === 'hr' ||
      (g.type === 'fence' && fenceClosed(g, tokens[g.from]!, lines, quoted));
    if (ended) return k + 1;
  }
  return count;
}

/**
 * The code fence block `g` ends in, at any depth (a list item's last block, a quote's), when its
 * opening line is complete; else null. While it is open, the text's last line is shown as an
 * open fence's is (see provisional.ts), in the renderer's first frame as in later ones.
 */
export function endingFence(tokens: readonly Token[], g: Group, lines: Lines): Token | null {
  for (let i = g.to - 1; i >= g.from; i--) {
    const token = tokens[i]!;
    if (token.nesting === -1) continue;
    return token.type === 'fence' && token.map && token.map[0] < lines.complete ? token : null;
  }
  return null;
}

/**
 * How many block quotes hold `fence` (one of `tokens`): its lines start with their markers, then
 * its indent. Null when a list item holds one of those quotes: its markers then follow the item's
 * indent, which the quote's lines may not keep.
 */
export function fenceQuoteDepth(tokens: readonly Token[], fence: Token): number | null {
  const open: string[] = [];
  for (const token of tokens) {
    if (token === fence) break;
    if (token.nesting === 1) open.push(token.type);
    else if (token.nesting === -1) open.pop();
  }
  const item = open.indexOf('list_item_open');
  if (item >= 0 && item < open.lastIndexOf('blockquote_open')) return null;
  return open.filter((type) => type === 'blockquote_open').length;
}
