/**
 * The only place HTML from outside enters the rendered markdown: a highlighter's output, through
 * DOMPurify with an allow-list of inline formatting tags, `class`, and colour-only inline styles
 * (no `url(`, so a style cannot load anything). Loaded on demand, with its own DOMPurify instance
 * (its hooks do not touch the page's).
 */
import createDOMPurify from 'dompurify';

/** Tags a highlighter may produce. */
const TAGS = ['span', 'b', 'i', 'em', 'strong', 'u', 's', 'br', 'mark', 'sub', 'sup'];
/** CSS properties a highlighter's inline style may set. */
const STYLE_PROPERTY =
  /^(?:color|background-color|font-style|font-weight|text-decoration(?:-line)?|opacity|--[\w-]+)$/i;
/** A declaration value that cannot fetch or run anything. */
const STYLE_VALUE = /^[#\w\s,.%()+-]*$/;

/** Only colour and font declarations, with plain values. */
export function cleanStyle(style: string): string {
  return style
    .split(';')
    .map((declaration) => declaration.trim())
    .filter((declaration) => {
      const colon = declaration.indexOf(':');
      if (colon < 1) return false;
      const property = declaration.slice(0, colon).trim();
      const value = declaration.slice(colon + 1).trim();
      return STYLE_PROPERTY.test(property) && STYLE_VALUE.test(value) && !/url|expression|image/i.test(value);
    })
    .join(';');
}

let purifier: ReturnType<typeof createDOMPurify> | null = null;

function getPurifier(): ReturnType<typeof createDOMPurify> {
  if (!purifier) {
    purifier = createDOMPurify(window);
    purifier.addHook('uponSanitizeAttribute', (_node, data) => {
      if (data.attrName === 'style') data.attrValue = cleanStyle(data.attrValue);
    });
  }
  return purifier;
}

const CONFIG = { ALLOWED_TAGS: TAGS, ALLOWED_ATTR: ['class', 'style'], ALLOW_DATA_ATTR: false };

/** A highlighter's result as a sanitised fragment (HTML parsed by DOMPurify; nodes sanitised in place). */
export function sanitizeHighlight(result: string | Node): Promise<DocumentFragment> {
  const purify = getPurifier();
  if (typeof result === 'string')
    return Promise.resolve(purify.sanitize(result, { ...CONFIG, RETURN_DOM_FRAGMENT: true }));
  const holder = document.createElement('span');
  holder.append(result);
  purify.sanitize(holder, { ...CONFIG, IN_PLACE: true });
  const fragment = document.createDocumentFragment();
  fragment.append(...holder.childNodes);
  return Promise.resolve(fragment);
}
