/**
 * Long code is shown in pieces of whole lines (src/markdown/code-block.ts), each a block of its
 * own, so that a growing fence costs the browser a layout of its last piece, not of all its lines.
 * The pieces must be invisible: the same lines, as high and as wide as one text node shows them,
 * the same text for a selection, the copy button and a screen reader; and a streamed fence must
 * touch only its last piece's text while it grows.
 */
import { expect } from '@open-wc/testing';
import { CODE_PIECE_CHARS, codeOf, codePieces } from '../../../src/markdown/code-block.ts';
import { MarkdownRenderer } from '../../../src/markdown/renderer.ts';
import { renderMarkdown } from '../../../src/markdown/render-document.ts';
import { adoptMarkdownStyles } from '../../../src/markdown/styles.ts';
import { plainText } from '../../../src/markdown/plain-text.ts';
import { modelTokens } from '../../../bench/pages/markdown-answer.ts';
import { freshRender } from './fresh-render.ts';

/** `n` lines of code, about 60 characters each, the 7th of every 50 a long one (300 characters). */
const code = (n: number): string =>
  Array.from({ length: n }, (_, i) =>
    i % 50 === 7 ? `  // ${'wide '.repeat(60)}${i}` : `  const value${i} = compute(${i}, "text", [a](b)); // ${i}`,
  ).join('\n');

describe('markdown: long code in pieces', function () {
  this.timeout(60_000);

  it('cuts at line ends: each piece the fewest whole lines of at least CODE_PIECE_CHARS, none empty', () => {
    const text = `${code(900)}\n`;
    const pieces = codePieces(text);
    expect(pieces.join('')).to.equal(text);
    expect(pieces.length).to.be.greaterThan(5);
    for (const piece of pieces.slice(0, -1)) {
      expect(piece.endsWith('\n')).to.equal(true);
      expect(piece.length).to.be.at.least(CODE_PIECE_CHARS);
      // One line fewer would be too short.
      expect(piece.slice(0, piece.lastIndexOf('\n', piece.length - 2) + 1).length).to.be.below(CODE_PIECE_CHARS);
    }
    expect(pieces.at(-1)).not.to.equal('');
    // Short code, one long line, and code ending just where a piece would end: one piece each.
    expect(codePieces('')).to.deep.equal(['']);
    expect(codePieces('x'.repeat(3 * CODE_PIECE_CHARS))).to.have.length(1);
    const exact = `${'y'.repeat(CODE_PIECE_CHARS - 1)}\n`;
    expect(codePieces(exact)).to.deep.equal([exact]);
    expect(codePieces(`${exact}z`)).to.deep.equal([exact, 'z']);
  });

  it('a streamed fence writes only its last piece, and each frame equals a fresh render', () => {
    const text = `Intro.\n\n\`\`\`ts\n${code(700)}\n\`\`\`\n\nAfter.\n`;
    const root = document.createElement('div');
    const renderer = new MarkdownRenderer(root);
    const problems: string[] = [];
    const observer = new MutationObserver(() => undefined);
    observer.observe(root, { characterData: true, childList: true, subtree: true });
    let sent = '';
    let cuts = 0;
    modelTokens(text).forEach((token, i) => {
      sent += token;
      renderer.append(token);
      // The pieces before the last one as this frame starts: final, never written again.
      const earlier = [...root.querySelectorAll('.code-lines:not(:last-child)')];
      renderer.render();
      for (const record of observer.takeRecords()) {
        if (record.type === 'characterData' && earlier.some((piece) => piece.contains(record.target)))
          problems.push(`after ${sent.length} characters: an earlier piece's text was written`);
        if (record.type === 'childList' && record.target instanceof Element && record.target.localName === 'code')
          cuts += record.removedNodes.length;
      }
      if (i % 60 === 0 && !root.isEqualNode(freshRender(sent)) && problems.length === 0)
        problems.push(`after ${sent.length} characters: not what a fresh render shows`);
    });
    renderer.finish();
    observer.disconnect();
    expect(problems).to.deep.equal([]);
    // The only node taken out of the code element: its one text node, moved into the first piece.
    expect(cuts).to.equal(1);
    const block = root.querySelector('.code-block')!;
    expect(block.querySelectorAll('.code-lines').length).to.equal(codePieces(`${code(700)}\n`).length);
    const expected = document.createElement('div');
    expected.append(renderMarkdown(text));
    expect(root.isEqualNode(expected)).to.equal(true);
    expect(codeOf(block)).to.equal(`${code(700)}\n`);
    renderer.dispose();
  });

  it('looks, selects and reads as one text: same height and width, same selected text, same plain text', () => {
    const host = document.createElement('div');
    host.style.cssText = 'font: 16px/1.5 sans-serif; inline-size: 500px;';
    document.body.append(host);
    const shadow = host.attachShadow({ mode: 'open' });
    adoptMarkdownStyles(shadow);
    try {
      const text = `\`\`\`js\n${code(400)}\n\`\`\`\n`;
      const shown = (): HTMLElement => {
        const root = shadow.appendChild(document.createElement('div'));
        root.className = 'markdown';
        root.append(renderMarkdown(text));
        return root;
      };
      const [pieced, single] = [shown(), shown()];
      // The second shows the same code as one text node.
      single.querySelector('code')!.textContent = codeOf(single.querySelector('.code-block')!);
      expect(pieced.querySelectorAll('.code-lines').length).to.be.greaterThan(3);
      expect(single.querySelectorAll('.code-lines').length).to.equal(0);
      const [a, b] = [pieced.querySelector('pre')!, single.querySelector('pre')!];
      expect(a.getBoundingClientRect().height).to.equal(b.getBoundingClientRect().height);
      expect(a.scrollWidth, 'a long line scrolls sideways').to.be.greaterThan(a.clientWidth);
      expect(a.scrollWidth).to.equal(b.scrollWidth);
      const selected = (root: HTMLElement): string => {
        const range = document.createRange();
        range.selectNodeContents(root.querySelector('code')!);
        const selection = document.getSelection()!;
        selection.removeAllRanges();
        selection.addRange(range);
        return selection.toString();
      };
      expect(selected(pieced)).to.equal(selected(single));
      expect(plainText(pieced)).to.equal(plainText(single));
      expect(pieced.querySelector('code')!.textContent).to.equal(`${code(400)}\n`);
    } finally {
      document.getSelection()!.removeAllRanges();
      host.remove();
    }
  });
});
