/**
 * A canonical serialisation of rendered markdown, to compare it with the spec's HTML: the
 * renderer's chrome (code block header, table scroller) and its own attributes (parts, rel,
 * target, ARIA, loading hints) are left out; whitespace between blocks and runs of spaces outside
 * `pre` are normalised on both sides, attributes sorted.
 */
const DROPPED_ATTRIBUTES = new Set([
  'part',
  'rel',
  'target',
  'tabindex',
  'loading',
  'decoding',
  'referrerpolicy',
  'aria-label',
  'data-language',
  'data-highlight',
]);
const BLOCK = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'ul',
  'ol',
  'li',
  'pre',
  'hr',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'div',
]);
const VOID = new Set(['br', 'hr', 'img', 'input']);

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Canonical text of `root`'s children. */
export function canonicalHtml(root: Node): string {
  let out = '';
  const walk = (node: Node, inPre: boolean): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child instanceof Text) {
        out += escape(inPre ? child.data : child.data.replace(/\s+/g, ' '));
        continue;
      }
      if (!(child instanceof Element)) continue;
      if (child.hasAttribute('data-md-chrome')) continue;
      if (child.classList.contains('table-scroll')) {
        walk(child, inPre);
        continue;
      }
      if (child.classList.contains('code-block')) {
        walk(child, inPre);
        continue;
      }
      // A piece of long code: its text, as one text node would show it.
      if (child.classList.contains('code-lines')) {
        walk(child.firstElementChild ?? child, inPre);
        continue;
      }
      const tag = child.localName;
      const attributes = [...child.attributes]
        .filter((a) => !DROPPED_ATTRIBUTES.has(a.name) && !(a.name === 'class' && !a.value.startsWith('language-')))
        .map((a) => `${a.name}="${escape(a.value)}"`)
        .sort();
      out += `<${[tag, ...attributes].join(' ')}>`;
      if (VOID.has(tag)) continue;
      walk(child, inPre || tag === 'pre');
      out += `</${tag}>`;
    }
  };
  walk(root, false);
  // Whitespace next to block tags is layout, not content.
  const blocks = [...BLOCK].join('|');
  return out.replace(new RegExp(`\\s*(</?(?:${blocks})(?: [^>]*)?>)\\s*`, 'g'), '$1').trim();
}

/** The spec's expected HTML, parsed (trusted test data) and canonicalised the same way. */
export function canonicalExpected(html: string): string {
  const template = document.createElement('template');
  template.innerHTML = html;
  return canonicalHtml(template.content);
}
