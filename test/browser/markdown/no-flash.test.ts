/**
 * No raw marker flashes in: while an answer streams, every frame shows a beginning of what the
 * finished answer shows. A marker that arrives before what it marks (` **`, `` ` ``, `~~`, `\`,
 * `&co`, `[label]`, `- [x`) is held back until the next text says what it is, so it is never
 * drawn for a frame and then taken away. Streamed as a model does (word tokens, markers as their
 * own tokens) and one character at a time, a render after each piece.
 */
import { expect } from '@open-wc/testing';
import { MarkdownRenderer } from '../../../src/markdown/renderer.ts';
import { markdownAnswer, modelTokens } from '../../../bench/pages/markdown-answer.ts';
import { REALISTIC_ANSWER, TORTURE } from './corpus.ts';

/** What a reader sees of `root`: its text without a code block's header (language, copy button), and without white space (layout, not content). */
function seen(root: HTMLElement): string {
  const copy = root.cloneNode(true) as HTMLElement;
  for (const chrome of copy.querySelectorAll('.code-header')) chrome.remove();
  return copy.textContent.replace(/\s+/g, '');
}

/** Stream `pieces`, a render after each; every frame that is not a beginning of the finished render, as "shows … where the answer has …". */
function flashes(pieces: readonly string[]): string[] {
  const root = document.createElement('div');
  const renderer = new MarkdownRenderer(root);
  const frames: { text: string; shown: string }[] = [];
  let text = '';
  for (const piece of pieces) {
    renderer.append(piece);
    renderer.render();
    text += piece;
    frames.push({ text, shown: seen(root) });
  }
  renderer.finish();
  const final = seen(root);
  renderer.dispose();
  // Each difference once, at the first frame that shows it.
  const out = new Map<string, string>();
  for (const { text, shown } of frames) {
    if (final.startsWith(shown)) continue;
    let at = 0;
    while (shown[at] === final[at]) at++;
    const from = Math.max(0, at - 8);
    const what = `shows ${JSON.stringify(shown.slice(from, at + 12))} where the answer has ${JSON.stringify(final.slice(from, at + 12))}`;
    if (!out.has(what)) out.set(what, `after ${JSON.stringify(text.slice(-24))}: ${what}`);
  }
  return [...out.values()];
}

describe('markdown: no raw marker is drawn and then taken away while an answer streams', function () {
  this.timeout(120_000);
  const answer = markdownAnswer(20_000);

  it('a 20 KB answer as model tokens: every frame is a beginning of the finished answer', () => {
    const tokens = modelTokens(answer);
    expect(tokens.filter((t) => /^\s*(?:\*+|`|~~)$/.test(t)).length).to.be.above(
      100,
      'markers come as tokens of their own',
    );
    expect(flashes(tokens)).to.deep.equal([]);
  });

  it('the same answer and the realistic one, one character at a time', () => {
    expect(flashes(Array.from(answer))).to.deep.equal([]);
    expect(flashes(Array.from(REALISTIC_ANSWER))).to.deep.equal([]);
  });

  it('every construct, one character at a time: only a reference defined after its use changes what was shown', () => {
    expect(flashes(Array.from(TORTURE))).to.deep.equal([
      // `[ref link][later]` is literal text until `[later]: …` arrives at the end: no renderer can know before.
      'after " and a [ref link][later]": shows "ty©©anda[reflink][la" where the answer has "ty©©andareflinkandco"',
    ]);
  });

  it('holds back each kind of marker until the text after it arrives, and shows it once it stays literal', () => {
    const frames = (pieces: readonly string[]): string[] => {
      const root = document.createElement('div');
      const renderer = new MarkdownRenderer(root);
      const out = pieces.map((piece) => {
        renderer.append(piece);
        renderer.render();
        return root.textContent.trim();
      });
      renderer.dispose();
      return out;
    };
    expect(frames(['Use', ' **', 'bold', '**', ' now'])).to.deep.equal([
      'Use',
      'Use',
      'Use bold',
      'Use bold',
      'Use bold now',
    ]);
    expect(frames(['a', ' ***', 'both', '*', '**'])).to.deep.equal(['a', 'a', 'a both', 'a both', 'a both']);
    expect(frames(['run', ' `', 'npm', '`'])).to.deep.equal(['run', 'run', 'run npm', 'run npm']);
    expect(frames(['an', ' ~~', 'old', '~~'])).to.deep.equal(['an', 'an', 'an old', 'an old']);
    expect(frames(['an escaped \\', '*star\\', '*'])).to.deep.equal([
      'an escaped',
      'an escaped *star',
      'an escaped *star*',
    ]);
    expect(frames(['Q&', 'A &co', 'py; &#1', '69;'])).to.deep.equal(['Q', 'Q&A', 'Q&A ©', 'Q&A © ©']);
    expect(frames(['see [the docs', ']', '(https://exa', 'mple.com)'])).to.deep.equal([
      'see',
      'see',
      'see the docs',
      'see the docs',
    ]);
    expect(frames(['a [literal', ']', ' bracket'])).to.deep.equal(['a', 'a', 'a [literal] bracket']);
    expect(frames(['as [1', ']', ' says, a', '[i', '] = 0'])).to.deep.equal([
      'as',
      'as',
      'as [1] says, a',
      'as [1] says, a',
      'as [1] says, a[i] = 0',
    ]);
    expect(frames(['- [', 'x', ']', ' done'])).to.deep.equal(['', '', '', 'done']);
    expect(frames(['5 *', ' 3 = 15'])).to.deep.equal(['5', '5 * 3 = 15']);
    // A line break after an open marker: it is closed on its line, not on a line of its own.
    expect(frames(['an *open', ' line\n', 'and more*'])).to.deep.equal([
      'an open',
      'an open line',
      'an open line\nand more',
    ]);
  });

  it('a marker set apart by spaces cannot open: nothing is closed for it', () => {
    // `~~` or `**` with white space on both sides is literal (CommonMark's flanking rules): a
    // closing marker added for it showed as text of its own ("to ~~ be~~") until the line ended.
    const texts = [
      'To ~~ be or not to be.\n',
      'In Python 2 ** 10 is 1024 and 3 __ 4 is not.\n',
      '**Bold with a ~~ in it** and *one with ** inside*.\n',
      '- a list item, 2 ** 8 = 256\n- and ~~ another\n',
      '> a quote ~~ with ** both\n',
      '* * *\n\nAfter a rule, 2 * 3 ** 2 and ~~strike~~.\n',
    ];
    const problems = texts.flatMap((text) => [...flashes(Array.from(text)), ...flashes(modelTokens(text))]);
    expect(problems).to.deep.equal([]);
  });

  it('white space, an underline or a numbered marker ending the text: nothing shows that the answer does not', () => {
    // After white space a closing marker cannot close: `**x  ` became `**x  **`, shown as written
    // until the next word came. A last line of `-` or `=` got a zero-width space after it (remend
    // marks it as text), so a setext heading showed as a paragraph ending in "-" until the line
    // after it came. A last line `1. ` (an empty item cannot interrupt a paragraph) showed "1." as
    // the paragraph's text until the item's text came.
    const texts = [
      'A **bold claim  with two spaces** and *one\tafter a tab* here.\n',
      '- a list item with ~~struck  words~~ in it\n> and a quote with `code  spaced` too\n',
      '| a | b |\n| - | - |\n| **cell  one** | _cell  two_ |\n',
      'A heading\n-\n\nUnder it.\n\nAnother\n==\n\nEnd.\n',
      '> A quoted heading\n> -\n>\n> Under it.\n',
      '- An item\n  with a heading\n  --\n- Next\n',
      'The steps:\n1. first\n2. second\n\nAnd again\n1) one\n',
    ];
    const problems = texts.flatMap((text) => [...flashes(Array.from(text)), ...flashes(modelTokens(text))]);
    expect(problems).to.deep.equal([]);
  });

  it('an unclosed marker before a blank line: a first frame (a page opened mid-answer) shows no closing marker of its own', () => {
    // What a renderer shows first for a text that ends in a blank line after a block with a marker
    // nothing closed: the marker is literal in the finished answer, and nothing is added after it.
    const problems: string[] = [];
    for (const block of ['- **Note: check this', '> ~~old way', 'A *stray one', '1. __x', '- a\n- b `c']) {
      const text = `${block}\n\n`;
      const root = document.createElement('div');
      const renderer = new MarkdownRenderer(root);
      renderer.append(text);
      renderer.render();
      const shown = seen(root);
      renderer.append('Next paragraph.\n');
      renderer.finish();
      if (!seen(root).startsWith(shown)) problems.push(`${JSON.stringify(text)} shows ${JSON.stringify(shown)}`);
      renderer.dispose();
    }
    expect(problems).to.deep.equal([]);
  });
});
