/** What a fresh renderer shows in its first frame: the reference a streamed frame is compared with. */
import { MarkdownRenderer } from '../../../src/markdown/renderer.ts';
import type { MarkdownOptions } from '../../../src/markdown/options.ts';

/** A new renderer's first render of `text` (with `options`), in a detached `<div>`. */
export function freshRender(text: string, options: MarkdownOptions = {}): HTMLElement {
  const fresh = document.createElement('div');
  const once = new MarkdownRenderer(fresh, options);
  once.append(text);
  once.render();
  once.dispose();
  return fresh;
}
