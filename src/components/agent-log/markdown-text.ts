/**
 * `<agent-log format="markdown">`: a log message or result summary rendered as markdown, and the
 * reasoning block's text streamed as markdown (loaded on first use).
 */
import { renderMarkdown } from '../../markdown/render-document.ts';
import type { MarkdownOptions } from '../../markdown/options.ts';
import { MarkdownMessageView } from '../token-stream/markdown-message-view.ts';

export { adoptMarkdownStyles } from '../../markdown/styles.ts';

/** `text` rendered as markdown in a `div.markdown` (the same renderer as `<token-stream>`). */
export function markdownText(text: string, options: MarkdownOptions): HTMLElement {
  const element = document.createElement('div');
  element.className = 'markdown';
  element.append(renderMarkdown(text, options));
  return element;
}

/** The streamed markdown view of a reasoning block's text (the one `<token-stream>` shows answers in). */
export function markdownReasoning(messageId: string, options: MarkdownOptions): MarkdownMessageView {
  return new MarkdownMessageView(messageId, options);
}
