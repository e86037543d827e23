/**
 * The markdown parser: markdown-it (CommonMark 0.31.2, plus GFM tables, strikethrough and
 * autolink literals) configured for untrusted text — raw HTML is never recognised (it stays
 * text), typographic replacements are off (the text is shown as written) and `$` means nothing.
 * Parsing is split in two so the incremental renderer pays only for what changed: `parseBlocks`
 * finds the block structure of a text, `completeInline` parses the inline content of the block
 * tokens it is given (task-list markers, emphasis, links, autolink literals).
 */
import MarkdownIt, {
  type MarkdownIt as MarkdownItInstance,
  type StateCore,
  type StateInline,
  type Token,
  type Delimiter,
} from 'markdown-it';

export type { Token };

/** A link reference definition (`[label]: href "title"`). */
export interface Reference {
  readonly href: string;
  readonly title: string;
}

/** Reference definitions by normalised label. */
export type References = Record<string, Reference>;

/** What markdown-it keeps between the block and inline passes of one text. */
export interface ParseEnv {
  references: References;
  [key: PropertyKey]: unknown;
}

type CoreRule = (state: StateCore) => void;

/** One configured markdown-it and the core rules that follow its block pass. */
export interface Parser {
  readonly md: MarkdownItInstance;
  /** GFM extensions are on: tables, strikethrough, autolink literals, task lists. */
  readonly gfm: boolean;
  readonly inlineRules: readonly CoreRule[];
}

const parsers = new Map<boolean, Parser>();

/** The shared parser for CommonMark alone (`gfm` false) or CommonMark + GFM. */
export function getParser(gfm: boolean): Parser {
  let parser = parsers.get(gfm);
  if (!parser) {
    const md = new MarkdownIt(gfm ? 'default' : 'commonmark', { html: false, linkify: gfm, typographer: false });
    // Every destination is parsed as a link; the renderer's URL policy decides what becomes one
    // (markdown-it would otherwise print a refused link's markup as text).
    md.validateLink = () => true;
    if (gfm) md.linkify.set({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: false });
    // The core rules after `block` (inline, linkify, text_join, ...), run on chosen tokens only.
    // `__rules__` is markdown-it's rule list (pinned version); only enabled rules are taken.
    const skip = new Set(['normalize', 'block', 'strip_references']);
    const inlineRules = md.core.ruler.__rules__.filter((r) => r.enabled && !skip.has(r.name)).map((r) => r.fn);
    watchOpenEnds(md);
    parser = { md, gfm, inlineRules };
    parsers.set(gfm, parser);
  }
  return parser;
}

/** Line endings as CommonMark reads them (CR LF and CR become LF) and NUL replaced, as markdown-it's `normalize` does. */
export function normalizeSource(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
}

/** The block tokens of `src` (already normalised); reference definitions found are added to `env`. */
export function parseBlocks(parser: Parser, src: string, env: ParseEnv): Token[] {
  const tokens: Token[] = [];
  parser.md.block.parse(src, parser.md, env, tokens);
  return tokens;
}

/** The block tokens of one paragraph whose inline content is `content` (for `completeInline`). */
export function paragraphTokens(parser: Parser, content: string): Token[] {
  const { Token: BlockToken } = new parser.md.core.State('', parser.md, {});
  const inline = new BlockToken('inline', '', 0);
  inline.content = content;
  inline.children = [];
  return [new BlockToken('paragraph_open', 'p', 1), inline, new BlockToken('paragraph_close', 'p', -1)];
}

/** A GFM task-list marker at the start of a list item's first paragraph. */
const TASK_MARKER = /^\[([ xX])\](?:[ \t]+|(?=\n)|$)/;

/**
 * Parse the inline content of `tokens` (a slice of block tokens) in place. `misses` collects
 * reference labels that were looked up and not defined (a later definition changes those blocks).
 */
export function completeInline(parser: Parser, tokens: Token[], env: ParseEnv, misses?: Set<string>): void {
  if (parser.gfm) markTasks(tokens);
  const references = env.references;
  const inlineEnv: ParseEnv = {
    references: misses
      ? new Proxy(references, {
          get(target, key) {
            if (typeof key === 'string' && !Object.hasOwn(target, key)) misses.add(key);
            return Reflect.get(target, key) as unknown;
          },
        })
      : references,
  };
  const state = new parser.md.core.State('', parser.md, inlineEnv);
  state.tokens = tokens;
  for (const rule of parser.inlineRules) rule(state);
}

/**
 * Set while `completeInlineClosed` parses: `at` becomes where the first construct starts that the
 * inline content leaves open, one that text after it could still close (see `watchOpenEnds`).
 */
let openEnd: { at: number; readonly starts: WeakMap<Delimiter, number> } | null = null;

/** A construct starting at `at` is left open. */
function leftOpen(at: number): void {
  if (openEnd && at < openEnd.at) openEnd.at = at;
}

/**
 * Parse the inline content of `tokens` (one inline token) in place, as `completeInline` does, and
 * tell whether it is closed: nothing in it that text appended after it (following a space) could
 * change. It is closed when its emphasis and strike openers are all matched, its backtick runs
 * are all code spans, and every `[` or `![` that is not a link has its `]` in it with neither `(`
 * nor `[` right after. Then that content followed by more text parses as the content, then the
 * rest (see open-paragraph.ts). Returns -1 when closed, else the offset in the content where the
 * first construct left open starts.
 */
export function completeInlineClosed(parser: Parser, tokens: Token[], env: ParseEnv): number {
  const watch = { at: Number.POSITIVE_INFINITY, starts: new WeakMap<Delimiter, number>() };
  openEnd = watch;
  try {
    completeInline(parser, tokens, env);
  } finally {
    openEnd = null;
  }
  return watch.at === Number.POSITIVE_INFINITY ? -1 : watch.at;
}

type InlineRule = (state: StateInline, silent: boolean) => boolean;
type InlineRule2 = (state: StateInline) => void;

/**
 * Wrap markdown-it's inline rules (pinned version: `__rules__` and the rule names are its own) so
 * that, while `openEnd` is set, they note what stays open: an unmatched backtick run (the rule
 * returns true without a code span), a bracket that is not a link while its label or what follows
 * it could still be completed by later text, and an emphasis or strike opener left unmatched.
 */
function watchOpenEnds(md: MarkdownItInstance): void {
  const rule = <T>(ruler: { __rules__: { name: string; fn: T }[] }, name: string): T =>
    ruler.__rules__.find((r) => r.name === name)!.fn;
  const backticks = rule<InlineRule>(md.inline.ruler, 'backticks');
  md.inline.ruler.at('backticks', (state, silent) => {
    const start = state.pos;
    const before = state.tokens.length;
    const matched = backticks(state, silent);
    const code = state.tokens.length > before && state.tokens.at(-1)?.type === 'code_inline';
    if (openEnd && !silent && matched && !code) leftOpen(start);
    return matched;
  });
  for (const [name, offset] of [
    ['link', 0],
    ['image', 1],
  ] as const) {
    const original = rule<InlineRule>(md.inline.ruler, name);
    md.inline.ruler.at(name, (state, silent) => {
      const start = state.pos;
      if (original(state, silent)) return true;
      if (!openEnd || silent || state.src.charCodeAt(start + offset) !== 0x5b) return false;
      const labelEnd = md.helpers.parseLinkLabel(state, start + offset, offset === 0);
      const after = state.src.charAt(labelEnd + 1);
      if (labelEnd < 0 || after === '(' || after === '[' || after === '') leftOpen(start);
      return false;
    });
  }
  // Delimiters record where their run starts, so an opener left unmatched can say where it is.
  for (const name of ['strikethrough', 'emphasis']) {
    const original = rule<InlineRule>(md.inline.ruler, name);
    md.inline.ruler.at(name, (state, silent) => {
      const start = state.pos;
      const before = state.delimiters.length;
      const found = original(state, silent);
      if (openEnd) for (const d of state.delimiters.slice(before)) openEnd.starts.set(d, start);
      return found;
    });
  }
  const pairs = rule<InlineRule2>(md.inline.ruler2, 'balance_pairs');
  md.inline.ruler2.at('balance_pairs', (state) => {
    pairs(state);
    if (!openEnd) return;
    for (const d of state.delimiters) if (d.open && d.end < 0) leftOpen(openEnd.starts.get(d) ?? 0);
  });
}

/** Task-list items: the marker is taken off the paragraph and recorded on the item (`meta.task`). */
function markTasks(tokens: Token[]): void {
  for (let i = 2; i < tokens.length; i++) {
    const inline = tokens[i]!;
    if (inline.type !== 'inline' || tokens[i - 1]!.type !== 'paragraph_open') continue;
    const item = tokens[i - 2]!;
    if (item.type !== 'list_item_open') continue;
    const marker = TASK_MARKER.exec(inline.content);
    if (!marker) continue;
    item.meta = { ...item.meta, task: marker[1] === ' ' ? 'open' : 'done' };
    inline.content = inline.content.slice(marker[0].length);
  }
}
