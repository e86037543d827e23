/**
 * Code blocks: monospace text that scrolls sideways, a language label and a copy button, and an
 * optional highlighter applied once, when the block is final. A highlighter's HTML passes
 * DOMPurify (loaded only when a highlighter returns HTML) with an allow-list of spans and colours.
 */

/** What a highlighter returns: HTML of the code's content (sanitised before use), nodes, or nothing (stay plain). */
export type HighlightResult = string | Node | null | undefined;

/**
 * A syntax highlighter: `code` (the block's text) and `language` (the first word of the fence's
 * info string, '' when none) to the highlighted content of the `<code>` element. May be async
 * (a highlighter loaded on first use). Its output must keep the text: when the text of the result
 * differs from `code`, the block stays plain.
 */
export type Highlighter = (code: string, language: string) => HighlightResult | Promise<HighlightResult>;

/** The code shown in each block (what the copy button copies), by block element. */
const codes = new WeakMap<Element, string>();

/** Marks chrome (label, copy button): not part of the content, skipped by `plainText`. */
export const CHROME_ATTRIBUTE = 'data-md-chrome';

/** How long the copy button says "Copied". */
const COPIED_MS = 2000;

/** A code block for `code` with `language` (may be ''). */
export function createCodeBlock(code: string, language: string): HTMLElement {
  const block = document.createElement('div');
  block.className = 'code-block';
  block.setAttribute('part', 'code-block');
  const header = document.createElement('div');
  header.className = 'code-header';
  header.setAttribute('part', 'code-header');
  header.setAttribute(CHROME_ATTRIBUTE, '');
  const label = document.createElement('span');
  label.setAttribute('part', 'code-language');
  label.textContent = language;
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'copy';
  copy.setAttribute('part', 'copy');
  copy.setAttribute('data-copy', '');
  copy.setAttribute('aria-label', language ? `Copy ${language} code` : 'Copy code');
  copy.textContent = 'Copy';
  header.append(label, copy);
  const pre = document.createElement('pre');
  pre.tabIndex = 0;
  const element = document.createElement('code');
  if (language) {
    element.className = `language-${language}`;
    block.dataset['language'] = language;
  }
  showCode(element, code);
  pre.append(element);
  block.append(header, pre);
  codes.set(block, code);
  return block;
}

/**
 * Code longer than this (characters) is shown in pieces of at least this many, cut at line ends,
 * each a block of its own: when a streaming fence grows, the browser lays out again only the piece
 * that changed. As one text node, every layout takes all of its lines (in Chromium, 7.6 ms at 2,000
 * lines of 80 characters, 30 ms at 8,000; in pieces, 0.14 ms at either).
 */
export const CODE_PIECE_CHARS = 4096;

/** Class of a piece of long code: a block with the `pre`'s font size around a span with the code's text. */
const CODE_PIECE_CLASS = 'code-lines';

/**
 * `code` cut into pieces: each the fewest whole lines that make at least CODE_PIECE_CHARS
 * characters, the last one what is left. No empty piece: code ending at a cut ends the last piece.
 */
export function codePieces(code: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (;;) {
    const end = code.indexOf('\n', start + CODE_PIECE_CHARS - 1);
    if (end === -1 || end === code.length - 1) break;
    pieces.push(code.slice(start, end + 1));
    start = end + 1;
  }
  pieces.push(code.slice(start));
  return pieces;
}

/** Append a piece showing `text` to `code` (a `<code>` element); returns its text node. */
export function appendCodePiece(code: Element, text: string): Text {
  const piece = document.createElement('span');
  piece.className = CODE_PIECE_CLASS;
  const inner = piece.appendChild(document.createElement('span'));
  code.appendChild(piece);
  return inner.appendChild(document.createTextNode(text));
}

/** Show `code` in `element` (a `<code>`): as its text, or in pieces when longer than one (see CODE_PIECE_CHARS). */
function showCode(element: Element, code: string): void {
  const pieces = codePieces(code);
  if (pieces.length === 1) element.textContent = code;
  else for (const piece of pieces) appendCodePiece(element, piece);
}

/** The span with a piece's text, when `node` is a piece of long code. */
function pieceText(node: Node): Element | null {
  return node instanceof HTMLElement && node.className === CODE_PIECE_CLASS ? node.firstElementChild : null;
}

/**
 * The code `code` (a `<code>` element) shows as plain text, and the text node it ends in (its
 * only one, or the last piece's). Elements the host placed (a caret) are skipped. Null when it
 * shows no text node yet.
 */
export function shownCode(code: Element): { shown: string; last: Text } | null {
  let shown = '';
  let last: Text | null = null;
  for (let child = code.firstChild; child; child = child.nextSibling) {
    const text = child instanceof Text ? child : pieceText(child)?.firstChild;
    if (!(text instanceof Text)) continue;
    shown += text.data;
    last = text;
  }
  return last ? { shown, last } : null;
}

/** Where the text of `code` (a `<code>` element) ends: in its last piece, or in itself. */
export function codeEnd(code: Element): Element {
  let last = code.lastElementChild;
  while (last && !pieceText(last)) last = last.previousElementSibling;
  return (last && pieceText(last)) ?? code;
}

/** The code of a block made by `createCodeBlock` (its text, whatever a highlighter did to the DOM). */
export function codeOf(block: Element): string {
  return codes.get(block) ?? block.querySelector('code')?.textContent ?? '';
}

/** Keep `codeOf` right when a block element is updated in place to show `code` (see morph.ts). */
export function setCodeOf(block: Element, code: string): void {
  codes.set(block, code);
}

/**
 * Handle a click in rendered markdown: a copy button copies its block's code and `announce`s the
 * outcome ("Copied" / "Copy failed"). Returns true when the click was a copy.
 */
export function handleCopyClick(event: Event, announce: (message: string) => void): boolean {
  const target = event.target instanceof Element ? event.target.closest('button[data-copy]') : null;
  const block = target?.closest('.code-block');
  if (!target || !block) return false;
  const button = target as HTMLButtonElement;
  const code = codeOf(block);
  const done = (ok: boolean): void => {
    button.textContent = ok ? 'Copied' : 'Copy failed';
    button.toggleAttribute('data-copied', ok);
    announce(ok ? 'Copied' : 'Copy failed');
    setTimeout(() => {
      button.textContent = 'Copy';
      button.removeAttribute('data-copied');
    }, COPIED_MS);
  };
  const clipboard = (navigator as Partial<Navigator>).clipboard;
  if (clipboard)
    clipboard.writeText(code).then(
      () => done(true),
      () => done(copyBySelection(block)),
    );
  else done(copyBySelection(block));
  return true;
}

/** Fallback without the async clipboard (insecure context, permission refused): select the code and copy. */
function copyBySelection(block: Element): boolean {
  const code = block.querySelector('code');
  const selection = document.getSelection();
  if (!code || !selection) return false;
  const range = document.createRange();
  range.selectNodeContents(code);
  selection.removeAllRanges();
  selection.addRange(range);
  // The deprecated command is the only synchronous copy there is; no replacement exists for this fallback.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const ok = document.execCommand('copy');
  selection.removeAllRanges();
  return ok;
}

/**
 * Highlight every plain code block under `root` once (blocks already highlighted or being
 * highlighted are skipped). Async results land only if the block is still in `root`.
 */
export function highlightBlocks(root: ParentNode, highlight: Highlighter): void {
  highlightAll(root.querySelectorAll<HTMLElement>('.code-block:not([data-highlight])'), highlight);
}

/** `highlightBlocks` for each of `nodes` (the nodes themselves included). */
export function highlightNodes(nodes: Iterable<Node>, highlight: Highlighter): void {
  for (const node of nodes) {
    if (!(node instanceof HTMLElement)) continue;
    if (node.matches('.code-block:not([data-highlight])')) highlightAll([node], highlight);
    else highlightBlocks(node, highlight);
  }
}

function highlightAll(blocks: Iterable<HTMLElement>, highlight: Highlighter): void {
  for (const block of blocks) {
    block.setAttribute('data-highlight', 'pending');
    const code = codeOf(block);
    let result: HighlightResult | Promise<HighlightResult>;
    try {
      result = highlight(code, block.dataset['language'] ?? '');
    } catch {
      block.setAttribute('data-highlight', 'failed');
      continue;
    }
    if (result instanceof Promise) {
      result.then(
        (value) => void apply(block, code, value),
        () => block.setAttribute('data-highlight', 'failed'),
      );
    } else void apply(block, code, result);
  }
}

async function apply(block: HTMLElement, code: string, result: HighlightResult): Promise<void> {
  if (result === null || result === undefined) {
    block.setAttribute('data-highlight', 'none');
    return;
  }
  const { sanitizeHighlight } = await import('./sanitize.ts');
  const content = await sanitizeHighlight(result);
  const element = block.querySelector('code');
  if (!element || codeOf(block) !== code || content.textContent.replace(/\n$/, '') !== code.replace(/\n$/, '')) {
    block.setAttribute('data-highlight', 'failed');
    return;
  }
  element.replaceChildren(content);
  block.setAttribute('data-highlight', 'done');
}
