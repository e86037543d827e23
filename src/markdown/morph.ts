/**
 * Update rendered nodes in place to match a fresh render of the same block: elements with the
 * same tag keep their identity (focus, selection, scroll position and the browser's layout stay),
 * only what differs is written. Used for the open block, which is rendered again each frame.
 * Nodes the host put into the rendered markdown (a caret) are left where they are.
 */
import { codeOf, setCodeOf } from './code-block.ts';

/**
 * Marks a node the host placed in rendered markdown (`<token-stream>`'s caret): updates leave it
 * in place (moving it every frame would restart its animation and invalidate its block).
 */
export const HOSTED_ATTRIBUTE = 'data-md-hosted';

/** `node` was placed by the host (see HOSTED_ATTRIBUTE). */
export function isHosted(node: Node | null): boolean {
  return node instanceof Element && node.hasAttribute(HOSTED_ATTRIBUTE);
}

/** `node`, or the first sibling after it that is not hosted. */
function own(node: Node | null): Node | null {
  while (node && isHosted(node)) node = node.nextSibling;
  return node;
}

/** Make `old` equal to `fresh` if they are of one kind; false when `fresh` must replace it. */
export function morph(old: Node, fresh: Node): boolean {
  if (old.nodeType !== fresh.nodeType) return false;
  if (old instanceof Text) {
    const data = (fresh as Text).data;
    const was = old.data;
    // Text that only grew is appended: the browser keeps the shaping and layout of what it had.
    if (data.length > was.length && data.startsWith(was)) old.appendData(data.slice(was.length));
    else if (was !== data) old.data = data;
    return true;
  }
  if (!(old instanceof Element) || !(fresh instanceof Element) || old.localName !== fresh.localName) return false;
  if (old.classList.contains('code-block')) {
    // A highlighted block showing the same code is kept as it is (never highlighted twice).
    if (old.hasAttribute('data-highlight')) return codeOf(old) === codeOf(fresh);
    setCodeOf(old, codeOf(fresh));
  }
  for (const { name } of [...old.attributes]) if (!fresh.hasAttribute(name)) old.removeAttribute(name);
  for (const { name, value } of fresh.attributes) if (old.getAttribute(name) !== value) old.setAttribute(name, value);
  morphChildren(old, fresh);
  return true;
}

function morphChildren(old: Node, fresh: Node): void {
  morphChildrenFrom(old, fresh, old.firstChild);
}

/**
 * Make the children of `old` from `from` on (null: none, the new ones are added after the last)
 * equal to the children of `fresh`; the children before `from` are left as they are.
 */
export function morphChildrenFrom(old: Node, fresh: Node, from: Node | null): void {
  // New children go before a hosted node ending `old` (a caret stays after the text).
  const end = isHosted(old.lastChild) ? old.lastChild : null;
  let a = own(from);
  let b = fresh.firstChild;
  while (b) {
    const nextB = b.nextSibling;
    if (a && morph(a, b)) a = own(a.nextSibling);
    else if (a) {
      const nextA = own(a.nextSibling);
      old.replaceChild(b, a);
      a = nextA;
    } else old.insertBefore(b, end);
    b = nextB;
  }
  while (a) {
    const next = own(a.nextSibling);
    old.removeChild(a);
    a = next;
  }
}

/** `old` nodes updated to `fresh` pairwise where possible: the nodes to show, in order. */
export function morphAll(old: readonly Node[], fresh: readonly Node[]): Node[] {
  return fresh.map((node, i) => {
    const previous = old[i];
    return previous && morph(previous, node) ? previous : node;
  });
}
