/** Checks of streamed content shared by `<token-stream>` and `<agent-log>` tests (reasoning blocks, scrolling boxes). */
import { expect } from '@open-wc/testing';
import { frame, nextEvent, part, userScroll, type FedRun } from './helpers.ts';

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

/**
 * Text the user selects in a reasoning block while the model thinks keeps the block open, and the
 * selection whole, when the answer starts; clearing the selection collapses it. `el` is fed by
 * `run`; `settle` waits until it has drawn what it was fed.
 */
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

/** Space left below the scroller's view, px. */
function below(scroller: HTMLElement): number {
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
}

/**
 * A box that streams more than it holds shows its newest content: it follows its end as `grow(n)`
 * adds n lines (and waits until they are drawn); scrolled up by the user it stays where they put
 * it, and follows again once they are back at its end. `box()` finds it (it may be made anew).
 */
export async function expectBoxFollowsItsEnd(
  box: () => HTMLElement,
  grow: (lines: number) => Promise<void>,
  lines: number,
): Promise<void> {
  await grow(lines);
  expect(box().scrollHeight).to.be.greaterThan(box().clientHeight * 2, 'longer than its box');
  expect(below(box())).to.be.lessThan(2, 'the newest content is in view');
  await userScroll(box(), 20);
  await grow(5);
  expect(box().scrollTop).to.equal(20, 'left where the user scrolled it');
  await userScroll(box(), box().scrollHeight);
  await grow(5);
  expect(below(box())).to.be.lessThan(2, 'following again');
}

/** Reasoning longer than its box shows its newest thoughts while it streams (see expectBoxFollowsItsEnd). */
export async function expectReasoningFollowsItsEnd(el: Element, run: FedRun): Promise<void> {
  let n = 0;
  run.feed({ type: 'status', state: 'running' });
  await expectBoxFollowsItsEnd(
    () => part(el, 'reasoning-text'),
    async (lines) => {
      for (let i = 0; i < lines; i++) {
        run.feed({ type: 'reasoning', content: `Thought ${++n}: weigh this option.\n`, message_id: 'm1' });
        await frame();
      }
      await frame();
    },
    40,
  );
}
