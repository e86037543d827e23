/**
 * agentwire/markdown used alone, as its entry point exports it: no element, the stylesheet
 * adopted by the document, the renderer fed by hand. Styled by the theme's defaults (monospace
 * code, borders), overridable by the public `--aw-*` tokens, and as safe as inside the elements.
 */
import { expect } from '@open-wc/testing';
import * as markdown from '../../../src/markdown/index.ts';

describe('agentwire/markdown on its own', () => {
  let box: HTMLElement;
  beforeEach(() => {
    markdown.adoptMarkdownStyles(document);
    box = document.body.appendChild(Object.assign(document.createElement('div'), { className: 'markdown' }));
  });
  afterEach(() => {
    box.remove();
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== markdown.markdownStyles.styleSheet);
    document.documentElement.style.removeProperty('--aw-md-border-color');
  });

  it('streams into a plain div and finishes equal to renderMarkdown', () => {
    const renderer = new markdown.MarkdownRenderer(box);
    const text = '# Title\n\n- one `code`\n- two [link](https://example.com)\n\n```ts\nconst x = 1;\n```\n';
    for (const piece of text.match(/[\s\S]{1,5}/g)!) {
      renderer.append(piece);
      renderer.render();
    }
    renderer.finish();
    const expected = document.createElement('div');
    expected.className = 'markdown';
    expected.append(markdown.renderMarkdown(text));
    expect(box.isEqualNode(expected)).to.equal(true);
    expect(markdown.plainText(box)).to.include('const x = 1;');
    renderer.dispose();
  });

  it('is styled without an element: monospace code, bordered code blocks, themable by --aw-* tokens', () => {
    box.append(markdown.renderMarkdown('Inline `code`.\n\n```\nblock\n```\n'));
    const inline = box.querySelector('p code')!;
    expect(getComputedStyle(inline).fontFamily).to.match(/monospace|Menlo|Consolas|SFMono/);
    const block = box.querySelector<HTMLElement>('.code-block')!;
    expect(getComputedStyle(block).borderTopStyle).to.equal('solid');
    expect(getComputedStyle(block).borderTopWidth).to.equal('1px');
    document.documentElement.style.setProperty('--aw-md-border-color', 'rgb(255, 0, 0)');
    expect(getComputedStyle(block).borderTopColor).to.equal('rgb(255, 0, 0)');
  });

  it('keeps its safety defaults: raw HTML as text, only safe links, no image from an unlisted origin', () => {
    box.append(
      markdown.renderMarkdown(
        '<img src=x onerror=alert(1)> [js](javascript:alert(1)) [ok](https://example.com) ![i](https://evil.example/x.png)',
      ),
    );
    expect(box.querySelector('img')).to.equal(null);
    expect([...box.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://example.com',
      'https://evil.example/x.png',
    ]);
    expect(box.textContent).to.include('<img src=x onerror=alert(1)>');
    expect(markdown.isSafeLink('javascript:alert(1)', document.baseURI)).to.equal(false);
    const origins = markdown.normalizeOrigins(['https://images.example.com/', 'javascript:alert(1)']);
    expect([...origins]).to.deep.equal(['https://images.example.com']);
    expect(markdown.isAllowedImage('https://images.example.com/a.png', document.baseURI, origins)).to.equal(true);
    expect(markdown.isAllowedImage('https://evil.example/x.png', document.baseURI, origins)).to.equal(false);
  });
});
