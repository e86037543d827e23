/** The text of rendered markdown as a screen reader should hear it once: words, no markup, no buttons. */
import { CHROME_ATTRIBUTE } from './code-block.ts';

const BLOCKS = new Set([
  'P',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'LI',
  'BLOCKQUOTE',
  'PRE',
  'TR',
  'HR',
  'DIV',
  'UL',
  'OL',
  'TABLE',
]);

/** Plain text of `root`: block elements on lines of their own, table cells separated, chrome (copy buttons, labels) left out. */
export function plainText(root: Node): string {
  let out = '';
  const walk = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child instanceof Text) out += child.data;
      else if (child instanceof Element) {
        if (child.hasAttribute(CHROME_ATTRIBUTE) || child.getAttribute('aria-hidden') === 'true') continue;
        if (child instanceof HTMLImageElement) {
          out += child.alt;
          continue;
        }
        const block = BLOCKS.has(child.tagName);
        if (block && out !== '' && !out.endsWith('\n')) out += '\n';
        walk(child);
        if (child.tagName === 'TD' || child.tagName === 'TH') out += ' ';
        if (block && !out.endsWith('\n')) out += '\n';
      }
    }
  };
  walk(root);
  return out
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
}
