/** Options of the markdown renderer, shared by `<token-stream>` and `<agent-log>`. */
import type { Highlighter } from './code-block.ts';
import { getParser } from './parser.ts';
import type { RenderContext } from './render.ts';
import { normalizeOrigins } from './url-policy.ts';

/** How untrusted markdown is rendered. Every field is optional; the defaults are the safe ones. */
export interface MarkdownOptions {
  /** `target` of links (default `_blank`: a link never navigates the page away from a live run); '' for none. */
  readonly linkTarget?: string;
  /** Origins images may be loaded from (e.g. `https://images.example.com`); others show as a link-like placeholder. Default: none. */
  readonly imageOrigins?: readonly string[];
  /** Syntax highlighter for code blocks, applied once per finished block (default: none, plain monospace). */
  readonly highlight?: Highlighter | null;
  /** Told "Copied" (or "Copy failed") after a copy button was used, for a polite live region. */
  readonly announce?: (message: string) => void;
  /** GFM extensions: tables, strikethrough, autolink literals, task lists (default true). False: CommonMark only. */
  readonly gfm?: boolean;
  /** Base URL relative links and images resolve against (default: the document's). */
  readonly baseUrl?: string;
}

/** The render context for `options`. */
export function renderContext(options: MarkdownOptions): RenderContext {
  const gfm = options.gfm ?? true;
  const parser = getParser(gfm);
  return {
    base: options.baseUrl ?? document.baseURI,
    linkTarget: options.linkTarget ?? '_blank',
    imageOrigins: normalizeOrigins(options.imageOrigins ?? []),
    gfm,
    unescape: (text) => parser.md.utils.unescapeAll(text),
  };
}
