/**
 * Block tokens to DOM nodes. Every node is created with createElement / Text; attributes are
 * set one by one from an allow-list, and URLs pass the link and image policy (url-policy.ts).
 * Content never becomes markup: raw HTML in the text arrives here as text and stays text.
 */
import { createCodeBlock } from './code-block.ts';
import type { Token } from './parser.ts';
import { isAllowedImage, isSafeLink } from './url-policy.ts';

/** What rendering needs besides the tokens. */
export interface RenderContext {
  /** Base URL relative addresses resolve against (the page's by default). */
  readonly base: string;
  /** `target` of links ('' for none). */
  readonly linkTarget: string;
  /** Origins images may be loaded from. */
  readonly imageOrigins: ReadonlySet<string>;
  /** GFM autolink literals only (`www.`, a scheme, an email); other linkified text stays text. */
  readonly gfm: boolean;
  /** Backslash escapes and entities of a fence's info string resolved (markdown-it's unescapeAll). */
  readonly unescape: (text: string) => string;
}

/** Block elements a token may produce (anything else becomes a `div`). */
const BLOCK_TAGS = new Set([
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
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]);
const INLINE_TAGS = new Set(['em', 'strong', 's']);
const ALIGN = /^text-align:(left|right|center)$/;

/** Render block tokens (one or more whole top-level blocks) into nodes, in order. */
export function renderBlocks(tokens: readonly Token[], ctx: RenderContext): Node[] {
  const root = document.createDocumentFragment();
  const stack: Node[] = [root];
  const top = (): Node => stack[stack.length - 1]!;
  for (const token of tokens) {
    switch (token.type) {
      case 'inline':
        renderInline(token.children ?? [], top(), ctx);
        break;
      case 'paragraph_open':
        if (token.hidden) stack.push(top());
        else stack.push(top().appendChild(document.createElement('p')));
        break;
      case 'fence':
      case 'code_block': {
        const info = token.type === 'fence' ? ctx.unescape(token.info).trim() : '';
        top().appendChild(createCodeBlock(token.content, info.split(/\s+/, 1)[0] ?? ''));
        break;
      }
      case 'hr':
        top().appendChild(document.createElement('hr'));
        break;
      case 'html_block':
        top().appendChild(new Text(token.content));
        break;
      case 'table_open': {
        const scroll = top().appendChild(document.createElement('div'));
        scroll.className = 'table-scroll';
        const table = scroll.appendChild(document.createElement('table'));
        table.setAttribute('part', 'table');
        stack.push(table);
        break;
      }
      default:
        if (token.nesting === 1) stack.push(top().appendChild(blockElement(token)));
        else if (token.nesting === -1) stack.pop();
    }
  }
  return [...root.childNodes];
}

function blockElement(token: Token): HTMLElement {
  const tag = BLOCK_TAGS.has(token.tag) ? token.tag : 'div';
  const element = document.createElement(tag);
  switch (tag) {
    case 'blockquote':
      element.setAttribute('part', 'blockquote');
      break;
    case 'ol': {
      const start = Number(token.attrGet('start') ?? 1);
      if (Number.isInteger(start) && start !== 1) element.setAttribute('start', String(start));
      break;
    }
    case 'li': {
      const task = (token.meta as { task?: 'open' | 'done' } | null)?.task;
      if (task) {
        element.className = 'task';
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.setAttribute('disabled', '');
        box.toggleAttribute('checked', task === 'done');
        box.setAttribute('part', 'task-checkbox');
        box.setAttribute('aria-label', task === 'done' ? 'Done' : 'Not done');
        element.append(box);
      }
      break;
    }
    case 'th':
    case 'td': {
      const align = ALIGN.exec(String(token.attrGet('style') ?? ''));
      if (align) element.style.textAlign = align[1]!;
      break;
    }
  }
  return element;
}

/** The plain text of inline tokens (an image's alt text), as CommonMark renders it. */
function inlineText(tokens: readonly Token[]): string {
  let text = '';
  for (const token of tokens) {
    if (token.type === 'image') text += inlineText(token.children ?? []);
    else if (token.type === 'softbreak' || token.type === 'hardbreak') text += '\n';
    else text += token.content;
  }
  return text;
}

function renderInline(tokens: readonly Token[], parent: Node, ctx: RenderContext): void {
  const stack: Node[] = [parent];
  const top = (): Node => stack[stack.length - 1]!;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    switch (token.type) {
      case 'text':
      case 'text_special':
      case 'html_inline':
        appendText(top(), token.content);
        break;
      case 'softbreak':
        appendText(top(), '\n');
        break;
      case 'hardbreak':
        top().appendChild(document.createElement('br'));
        appendText(top(), '\n');
        break;
      case 'code_inline': {
        const code = top().appendChild(document.createElement('code'));
        code.setAttribute('part', 'code');
        code.textContent = token.content;
        break;
      }
      case 'image':
        top().appendChild(image(token, ctx));
        break;
      case 'link_open': {
        const element = link(token, tokens[i + 1], ctx);
        stack.push(element ? top().appendChild(element) : top());
        break;
      }
      case 'link_close':
      case 'em_close':
      case 'strong_close':
      case 's_close':
        stack.pop();
        break;
      default:
        if (token.nesting === 1) {
          const tag = INLINE_TAGS.has(token.tag) ? token.tag : 'span';
          stack.push(top().appendChild(document.createElement(tag)));
        } else if (token.nesting === -1) stack.pop();
        else if (token.content) appendText(top(), token.content);
    }
  }
}

/**
 * Text appended to `parent`: to its last text node when it ends with one. Rendered inline content
 * never has two text nodes side by side (as `Node.normalize()` leaves it), so content rendered in
 * pieces and normalized has the same nodes as content rendered whole (see open-paragraph.ts).
 */
function appendText(parent: Node, text: string): void {
  const last = parent.lastChild;
  if (last instanceof Text) last.appendData(text);
  else parent.appendChild(new Text(text));
}

/** A GFM autolink literal: a scheme, `www.` or an email address (linkify-it also links bare domains). */
const GFM_LITERAL = /^(?:[a-z][a-z0-9+.-]*:|www\.)|@/i;

/**
 * A link element; a plain `span` when the address is refused (its text stays, nothing navigates);
 * null for text linkify-it took for a link that GFM does not (a bare domain): it stays text.
 */
function link(token: Token, next: Token | undefined, ctx: RenderContext): HTMLElement | null {
  const href = String(token.attrGet('href') ?? '');
  if (token.markup === 'linkify' && ctx.gfm && !GFM_LITERAL.test(next?.content ?? '')) return null;
  if (!isSafeLink(href, ctx.base)) {
    const blocked = document.createElement('span');
    blocked.setAttribute('part', 'link-blocked');
    blocked.title = 'Link removed: its address is not allowed';
    return blocked;
  }
  const a = document.createElement('a');
  a.setAttribute('part', 'link');
  a.setAttribute('href', href);
  const title = token.attrGet('title');
  if (title) a.title = String(title);
  a.rel = 'noopener noreferrer';
  if (ctx.linkTarget) a.target = ctx.linkTarget;
  return a;
}

/** An image from an allowed origin, or a link-like placeholder with its alt text (nothing is loaded). */
function image(token: Token, ctx: RenderContext): Node {
  const src = String(token.attrGet('src') ?? '');
  const alt = inlineText(token.children ?? []);
  const title = token.attrGet('title');
  if (isAllowedImage(src, ctx.base, ctx.imageOrigins)) {
    const img = document.createElement('img');
    img.setAttribute('part', 'image');
    img.setAttribute('src', src);
    img.alt = alt;
    if (title) img.title = String(title);
    img.loading = 'lazy';
    img.decoding = 'async';
    img.referrerPolicy = 'no-referrer';
    return img;
  }
  const safe = isSafeLink(src, ctx.base) && !src.trim().toLowerCase().startsWith('mailto:');
  const placeholder = document.createElement(safe ? 'a' : 'span');
  placeholder.setAttribute('part', 'image-placeholder');
  placeholder.className = 'image-placeholder';
  placeholder.textContent = alt || 'image';
  placeholder.title = safe ? 'Image not loaded (its origin is not allowed): open it' : 'Image not loaded';
  if (placeholder instanceof HTMLAnchorElement) {
    placeholder.setAttribute('href', src);
    placeholder.rel = 'noopener noreferrer';
    if (ctx.linkTarget) placeholder.target = ctx.linkTarget;
  }
  return placeholder;
}
