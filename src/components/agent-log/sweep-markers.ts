/**
 * Works around lit/lit#5298: in lit-html 3.3.1 to 3.3.3 (3.3.3 is the newest release as of this
 * writing), `removePart()` leaves behind the end marker (an empty comment) of every part `repeat`
 * removes. The virtualizer removes a row's part whenever the row leaves its range, which happens
 * for about every entry appended while the log follows a live stream. Its `_positionChildren`
 * walks the host's children with `nextElementSibling` (which steps over every comment) once per
 * row it positions, so each update cost more than the previous one. In benchmark B4, with entries
 * arriving one per task, the main-thread cost per entry grew from 12 ms to 48 ms over the first
 * 500 entries. Once lit-html is fixed, the sweep finds nothing to remove.
 */

const isElement = (node: Node | null): node is Element => node !== null && node.nodeType === Node.ELEMENT_NODE;

/**
 * Remove the orphaned markers among `list`'s children. Every item part of the virtualised list
 * holds exactly one row element between its two markers (an empty comment right before it, one
 * right after it), so an empty comment with no element on either side belongs to no live part.
 * Other comments (Lit's `?lit$…$` anchor of the list's part) are left alone, and so is the
 * virtualizer's sizer element (not a row). O(children of `list`): the rows in range, their
 * markers, and what the last range change left behind.
 */
export function sweepOrphanMarkers(list: Element): void {
  const isRow = (node: Node | null): boolean => isElement(node) && !node.hasAttribute('virtualizer-sizer');
  for (let node = list.firstChild; node !== null;) {
    const next = node.nextSibling;
    if (
      node.nodeType === Node.COMMENT_NODE &&
      (node as Comment).data === '' &&
      !isRow(node.previousSibling) &&
      !isRow(next)
    )
      node.remove();
    node = next;
  }
}
