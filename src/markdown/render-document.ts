/** A whole markdown text rendered at once (a finished answer, a log line): the reference the incremental renderer must equal. */
import { highlightBlocks } from './code-block.ts';
import { renderContext, type MarkdownOptions } from './options.ts';
import { completeInline, getParser, normalizeSource, parseBlocks, type ParseEnv } from './parser.ts';
import { renderBlocks } from './render.ts';

/** Render `text` as markdown into a fragment (highlighting code blocks when `options.highlight` is set). */
export function renderMarkdown(text: string, options: MarkdownOptions = {}): DocumentFragment {
  const parser = getParser(options.gfm ?? true);
  const env: ParseEnv = { references: Object.create(null) as ParseEnv['references'] };
  const tokens = parseBlocks(parser, normalizeSource(text), env);
  completeInline(parser, tokens, env);
  const fragment = document.createDocumentFragment();
  fragment.append(...renderBlocks(tokens, renderContext(options)));
  if (options.highlight) highlightBlocks(fragment, options.highlight);
  return fragment;
}
