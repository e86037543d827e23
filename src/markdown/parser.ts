/**
 * The markdown parser: markdown-it (CommonMark 0.31.2, plus GFM tables, strikethrough and
 * autolink literals) configured for untrusted text — raw HTML is never recognised (it stays
 * text), typographic replacements are off (the text is shown as written) and `$` means nothing.
 * Parsing is split in two so the incremental renderer pays only for what changed: `parseBlocks`
 * finds the block structure of a text, `completeInline` parses the inline content of the block
 * tokens it is given (task-list markers, emphasis, links, autolink literals).
 */
import MarkdownIt, { type MarkdownIt as MarkdownItInstance, type StateCore, type Token } from 'markdown-it';

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
