/**
 * Update rendered nodes in place to match a fresh render of the same block: elements with the
 * same tag keep their identity (focus, selection, scroll position and the browser's layout stay),
 * only what differs is written. Used for the open block, which is rendered again each frame.
 */
import { codeOf, setCodeOf } from './code-block.ts';

/** Make `old` equal to `fresh` if they are of one kind; false when `fresh` must replace it. */
export function morph(old: Node, fresh: Node): boolean {
  if (old.nodeType !== fresh.nodeType) return false;
  if (old instanceof Text) {
    const data = (fresh as Text).data;
    if (old.data !== data) old.data = data;
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
  let a = old.firstChild;
  let b = fresh.firstChild;
  while (b) {
    const nextB = b.nextSibling;
    if (a && morph(a, b)) a = a.nextSibling;
    else if (a) {
      const nextA = a.nextSibling;
      old.replaceChild(b, a);
      a = nextA;
    } else old.appendChild(b);
    b = nextB;
  }
  while (a) {
    const next = a.nextSibling;
    a.remove();
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
