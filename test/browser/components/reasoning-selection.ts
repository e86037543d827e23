/**
 * A check shared by `<token-stream>` and `<agent-log>`: text the user selects in a reasoning block
 * while the model thinks keeps the block open, and the selection whole, when the answer starts;
 * clearing the selection collapses it.
 */
import { expect } from '@open-wc/testing';
import { nextEvent, part, type FedRun } from './helpers.ts';

/** Select the first `length` characters of `container`'s first text node as a user would; resolves after `selectionchange`, with the range. */
async function selectText(container: Element, length: number): Promise<Range> {
  const text = document.createTreeWalker(container, NodeFilter.SHOW_TEXT).nextNode()!;
  const range = document.createRange();
  range.setStart(text, 0);
  range.setEnd(text, length);
  const selection = document.getSelection()!;
  const changed = nextEvent(document, 'selectionchange');
  selection.removeAllRanges();
  selection.addRange(range);
  await changed;
  return range;
}

/** Run the check on `el`, fed by `run`; `settle` waits until `el` has drawn what it was fed. */
export async function expectReasoningOpenUnderSelection(
  el: Element,
  run: FedRun,
  settle: () => Promise<void>,
): Promise<void> {
  run.feed(
    { type: 'status', state: 'running' },
    { type: 'reasoning', content: 'Compare both options.', message_id: 'm1' },
  );
  await settle();
  const block = part(el, 'reasoning') as HTMLDetailsElement;
  const range = await selectText(part(el, 'reasoning-text'), 7);
  run.feed({ type: 'token', content: 'Option B.', message_id: 'm1' });
  await settle();
  expect(block.open).to.equal(true, 'left open under the selection');
  expect(range.toString()).to.equal('Compare', 'the selected text is still there');
  const cleared = nextEvent(document, 'selectionchange');
  document.getSelection()!.removeAllRanges();
  await cleared;
  await settle();
  expect(block.open).to.equal(false, 'collapsed once nothing is selected');
}
