/**
 * agentwire/markdown: the incremental, sanitising markdown renderer used by
 * `<token-stream format="markdown">` and `<agent-log format="markdown">`, for use on its own.
 */
export { MarkdownRenderer } from './renderer.ts';
export { renderMarkdown } from './render-document.ts';
export type { MarkdownOptions } from './options.ts';
export type { Highlighter, HighlightResult } from './code-block.ts';
export { plainText } from './plain-text.ts';
export { markdownStyles, adoptMarkdownStyles } from './styles.ts';
export { isSafeLink, isAllowedImage, normalizeOrigins } from './url-policy.ts';
