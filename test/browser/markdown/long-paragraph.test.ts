/**
 * A long paragraph streams at a cost per frame that does not grow with it: its start, up to a
 * point where nothing is open, is rendered once and kept (src/markdown/open-paragraph.ts). Each
 * frame must still show what rendering the whole paragraph provisionally shows, and the finished
 * answer what rendering the whole text shows. Constructs that stay open across the kept point
 * (bold, a code span, a link label, a stray `*`) keep the paragraph from being kept past them.
 */
import { expect } from '@open-wc/testing';
import { MarkdownRenderer } from '../../../src/markdown/renderer.ts';
import { renderMarkdown } from '../../../src/markdown/render-document.ts';
import { charactersParsed } from './parsed-count.ts';
import { provisionalSource } from '../../../src/markdown/provisional.ts';
import { markdownLong, modelTokens } from '../../../bench/pages/markdown-answer.ts';
import { canonicalHtml } from './normalize-html.ts';

/** What the whole of `text` (one paragraph, still streaming) shows when rendered at once, provisionally closed. */
function wholeProvisional(text: string): string {
  const div = document.createElement('div');
  div.append(renderMarkdown(provisionalSource(text, { type: 'paragraph_open', closed: false })));
  return canonicalHtml(div);
}

/**
 * Stream `text` as model tokens, a render after each; every `every` tokens, compare the frame
 * with the whole paragraph's provisional render. Returns the differences (empty when none), the
 * most characters markdown-it parsed inline in one frame after the first 2,000 characters, and
 * whether the final render equals the whole text's.
 */
function streamParagraph(text: string, every = 40): { differences: string[]; maxInline: number; final: boolean } {
  const root = document.createElement('div');
  const renderer = new MarkdownRenderer(root);
  const differences: string[] = [];
  let maxInline = 0;
  let sent = '';
  modelTokens(text).forEach((token, i) => {
    sent += token;
    renderer.append(token);
    const parsed = charactersParsed('inline', () => renderer.render());
    if (sent.length > 2000) maxInline = Math.max(maxInline, parsed);
    if (i % every !== 0 || differences.length > 0) return;
    const ours = canonicalHtml(root);
    const expected = wholeProvisional(sent);
    if (ours !== expected) {
      let at = 0;
      while (ours[at] === expected[at]) at++;
      differences.push(
        `after ${sent.length} characters: ours ${JSON.stringify(ours.slice(at - 40, at + 40))}, whole ${JSON.stringify(expected.slice(at - 40, at + 40))}`,
      );
    }
  });
  renderer.finish();
  const expected = document.createElement('div');
  expected.append(renderMarkdown(text));
  const final = root.isEqualNode(expected);
  renderer.dispose();
  return { differences, maxInline, final };
}

/** `words` plain words (no markup), deterministic. */
function plain(words: number, seed: number): string {
  const vocabulary =
    'the agent reads a file and then writes tests for each module so that every change is checked'.split(' ');
  return Array.from({ length: words }, (_, i) => vocabulary[(i * 7 + seed) % vocabulary.length]!).join(' ');
}

describe('markdown: a long paragraph costs O(its open end) per frame', function () {
  this.timeout(120_000);

  it('a 30 KB paragraph: each frame parses a bounded text and shows what the whole paragraph shows', () => {
    const text = markdownLong('paragraph', 400);
    expect(text.length).to.be.above(29_000);
    const { differences, maxInline, final } = streamParagraph(text);
    expect(differences).to.deep.equal([]);
    expect(final, 'the final render equals the whole text').to.equal(true);
    // The rest after the kept start, and once per 1 KB the piece kept (tried twice at most when a
    // link or bold straddles the first cut point): never the whole paragraph.
    expect(maxInline, 'characters parsed inline in one frame').to.be.below(3000);
  });

  it('the kept start of the paragraph is never touched again while it streams', () => {
    const text = markdownLong('paragraph', 400);
    const tokens = modelTokens(text);
    const root = document.createElement('div');
    const renderer = new MarkdownRenderer(root);
    let sent = 0;
    let i = 0;
    for (; sent < 10_000; i++) {
      renderer.append(tokens[i]!);
      sent += tokens[i]!.length;
      renderer.render();
    }
    const paragraph = root.querySelector('p:last-of-type')!;
    // The first half of what is shown by now is well inside the kept start.
    const early = [...paragraph.childNodes].slice(0, Math.floor(paragraph.childNodes.length / 2));
    expect(early.length).to.be.above(50);
    const observer = new MutationObserver(() => undefined);
    observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    const touched: string[] = [];
    for (; i < tokens.length; i++) {
      renderer.append(tokens[i]!);
      renderer.render();
      for (const record of observer.takeRecords()) {
        for (let node: Node | null = record.target; node && node !== root; node = node.parentNode)
          if (early.includes(node as ChildNode)) touched.push(`${record.type} in ${node.nodeName}`);
        for (const removed of record.removedNodes) if (early.includes(removed as ChildNode)) touched.push('removed');
      }
    }
    observer.disconnect();
    expect(touched.slice(0, 3)).to.deep.equal([]);
    expect(early.every((node) => node.parentNode === paragraph)).to.equal(true);
    renderer.finish();
    renderer.dispose();
  });

  it('a selection in the kept start survives the final render', () => {
    const text = markdownLong('paragraph', 100);
    const root = document.body.appendChild(document.createElement('div'));
    const renderer = new MarkdownRenderer(root);
    try {
      const tokens = modelTokens(text);
      const half = Math.floor(tokens.length / 2);
      for (const token of tokens.slice(0, half)) {
        renderer.append(token);
        renderer.render();
      }
      // Select from inside one text node of the kept start to inside a later one, across markup,
      // past where the first kilobyte was kept (the rest is the last kilobyte or so).
      const texts = [...root.querySelector('p:last-of-type')!.childNodes].filter(
        (node): node is Text => node instanceof Text && node.data.length > 12,
      );
      const [from, to] = [texts[Math.floor(texts.length * 0.5)]!, texts[Math.floor(texts.length * 0.6)]!];
      const range = document.createRange();
      range.setStart(from, 4);
      range.setEnd(to, 6);
      const selection = document.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      const selected = selection.toString();
      for (const token of tokens.slice(half)) {
        renderer.append(token);
        renderer.render();
      }
      expect(selection.toString(), 'while it streams').to.equal(selected);
      renderer.finish();
      expect(selection.toString(), 'after the final render').to.equal(selected);
      expect(root.contains(selection.anchorNode)).to.equal(true);
    } finally {
      document.getSelection()!.removeAllRanges();
      renderer.dispose();
      root.remove();
    }
  });

  // Each opens early in a 6 KB paragraph and closes 4 KB later: nothing after the opener may be
  // kept before the close arrives, or the frames in between would show it unformatted.
  for (const [name, open, close] of [
    ['bold', '**', '**'],
    ['a code span', '`', '`'],
    ['a strikethrough', '~~', '~~'],
    ['a link label', '[', '](https://example.com/x)'],
    ['an image label', '![', '](https://example.com/x.png)'],
    ['emphasis opened inside a word (`x*y`)', 'x*', '*'],
    ['a link whose title has spaces', '[label](https://example.com/x "a title', ' with spaces")'],
  ] as const) {
    it(`${name} open across 4 KB: every frame shows what the whole paragraph shows`, () => {
      const text = `${plain(200, 1)} ${open}${plain(700, 2)}${close} ${plain(300, 3)}.\n`;
      const { differences, final } = streamParagraph(text, 7);
      expect(differences).to.deep.equal([]);
      expect(final).to.equal(true);
    });
  }

  it('a 30 KB paragraph in Chinese (no spaces): kept at its full-width punctuation', () => {
    const words = '智能体 读取 文件 然后 为 每个 模块 编写 测试 以便 检查 每次 修改 的 结果'.split(' ');
    const clause = (i: number): string =>
      Array.from({ length: 4 + (i % 5) }, (_, k) => words[(i * 7 + k * 3) % words.length]!).join('');
    const markup = ['**重要**', '`npm test`', '[文档](https://example.com/文档)', '*注意*', '~~旧的~~', '_下划线_'];
    const sentence = (i: number): string =>
      `${clause(i)}，${i % 3 === 1 ? markup[i % markup.length]! : ''}${clause(i + 1)}${i % 3 === 0 ? markup[i % markup.length]! : ''}、${clause(i + 2)}${['。', '！', '？', '；'][i % 4]!}`;
    const text = `${Array.from({ length: 900 }, (_, i) => sentence(i)).join('')}\n`;
    expect(text.length).to.be.above(29_000);
    expect(text.replaceAll('npm test', '').includes(' ')).to.equal(false, 'spaces only in code spans');
    const { differences, maxInline, final } = streamParagraph(text);
    expect(differences).to.deep.equal([]);
    expect(final).to.equal(true);
    expect(maxInline, 'characters parsed inline in one frame').to.be.below(3000);
  });

  it('literal brackets, `a * b`, snake_case and closed links do not stop the keeping', () => {
    const sentence = (i: number): string =>
      `${plain(6, i)} [${i}] a * b snake_case_name array[i] = ${i} [done](https://example.com/${i}) \`x\` **y**.`;
    const text = `${Array.from({ length: 300 }, (_, i) => sentence(i)).join(' ')}\n`;
    const { differences, maxInline, final } = streamParagraph(text);
    expect(differences).to.deep.equal([]);
    expect(final).to.equal(true);
    expect(maxInline).to.be.below(3000);
  });
});
