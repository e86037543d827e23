/**
 * XSS through the markdown path: every payload of the corpus (mock-server/xss-corpus.ts) and
 * markdown-specific ones (script URLs in links, images, autolinks and reference definitions,
 * entity-encoded schemes, raw HTML in every block, hostile fence info strings and link titles)
 * streamed in chunks into `<token-stream format="markdown">`, under the page-level tripwire. No
 * payload may run, no HTML sink may see payload code, and the only elements are the renderer's
 * own, with links whose addresses are http(s), mailto or relative.
 */
import { barrier, deepElements, executions, forget, seenElements, sinkHits } from './xss-tripwire.ts';
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/components/token-stream/define.ts';
import type { TokenStream } from '../../../src/components/token-stream/token-stream.ts';
import { XSS_HIT, XSS_PAYLOADS } from '../../../mock-server/xss-corpus.ts';
import { fedRun, frame } from '../components/helpers.ts';
import { report } from '../markdown/report.ts';

const H = XSS_HIT;
/** Payloads aimed at markdown itself. */
const MARKDOWN_PAYLOADS: readonly string[] = [
  `[x](javascript:${H})`,
  `[x](  JAVASCRIPT:${H}  )`,
  `[x](<javascript:${H}>)`,
  `[x](&#106;avascript:${H})`,
  `[x](java&#x09;script:${H})`,
  `[x](javascript&colon;${H})`,
  `<javascript:${H}>`,
  `<&#x6A;avascript:${H}>`,
  `[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)`,
  `[x](vbscript:${H})`,
  `![x](javascript:${H})`,
  `![x](x "onerror=${H}")`,
  `![x" onerror="${H}](https://evil.example/x.png)`,
  `[ref]\n\n[ref]: javascript:${H}`,
  `[ref][]\n\n[ref]: <javascript:${H}> "t"`,
  `[x](https://ok.example "\\" onmouseover=\\"${H}")`,
  '```"><img src=x onerror=' + H + '>\ncode\n```',
  '```\n<script>' + H + '</script>\n```',
  '`<img src=x onerror=' + H + '>`',
  `- <img src=x onerror="${H}">\n- [ ] <svg onload="${H}">`,
  `> <script>${H}</script>\n> <iframe src="javascript:${H}">`,
  `| a | b |\n|---|---|\n| <img src=x onerror="${H}"> | [x](javascript:${H}) |`,
  `# <img src=x onerror="${H}">`,
  `**<svg/onload=${H}>** _<a href="javascript:${H}">x</a>_`,
  `<div onmouseover="${H}">\n\n*hover*\n\n</div>`,
  `[x](javascript:${H}`,
  `**[x](javascript:${H}`,
  `www.example.com/<img src=x onerror=${H}>`,
];

/** Elements the renderer creates (inside the element's shadow root). */
const ALLOWED = new Set([
  'div',
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'pre',
  'code',
  'span',
  'em',
  'strong',
  's',
  'a',
  'br',
  'hr',
  'input',
  'button',
]);

function problemsIn(elements: Iterable<Element>): string[] {
  const found: string[] = [];
  for (const element of elements) {
    const tag = element.localName;
    if (tag === 'token-stream') continue;
    if (!ALLOWED.has(tag)) found.push(`a <${tag}> element was created`);
    for (const { name, value } of element.attributes) {
      if (/^on/i.test(name)) found.push(`<${tag}> has ${name}`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name)) {
        const url = new URL(value, document.baseURI);
        if (!['http:', 'https:', 'mailto:'].includes(url.protocol))
          found.push(`<${tag} ${name}="${value.slice(0, 60)}">`);
      }
      if (name === 'style' && !/^text-align: (left|right|center);$/.test(value))
        found.push(`<${tag} style="${value}">`);
    }
  }
  return found;
}

describe('xss: hostile markdown renders inert', function () {
  this.timeout(120_000);

  it(`${XSS_PAYLOADS.length} corpus payloads and ${MARKDOWN_PAYLOADS.length} markdown payloads, streamed in chunks: 0 executions`, async () => {
    forget();
    const payloads = [...XSS_PAYLOADS, ...MARKDOWN_PAYLOADS];
    const run = fedRun();
    const el = await fixture<TokenStream>(html`<token-stream format="markdown" .run=${run}></token-stream>`);
    await frame();
    run.feed({ type: 'status', state: 'running' });
    for (const [i, payload] of payloads.entries()) {
      const text = `\n\nPayload ${i}: ${payload}\n\n`;
      for (let at = 0; at < text.length; at += 7) {
        run.feed({ type: 'token', content: text.slice(at, at + 7), message_id: `m${i % 3}` });
        if (at % 21 === 0) await frame();
      }
    }
    run.feed({ type: 'done', state: 'completed' });
    await frame();
    await el.updateComplete;
    await barrier();
    // Everything rendered at any point: in the shadow root now, or created there and replaced since (open blocks).
    const elements = [...new Set([...seenElements(), ...deepElements(el.shadowRoot!)])].filter(
      (e) => !e.isConnected || e.getRootNode() === el.shadowRoot,
    );
    const found = [...new Set([...problemsIn(elements), ...sinkHits.splice(0)])];
    const links = el.shadowRoot!.querySelectorAll('a').length;
    await report([
      `markdown xss: ${payloads.length} payloads streamed, ${elements.length} elements checked, ${links} links (all http(s)/mailto/relative), ${executions()} executed, ${found.length} problems`,
    ]);
    expect(found, found.join('\n')).to.deep.equal([]);
    expect(executions()).to.equal(0);
    expect(el.shadowRoot!.querySelectorAll('img, script, iframe, svg, object, embed').length).to.equal(0);
  });

  it('a hostile highlighter: its HTML passes DOMPurify, nothing runs, the code stays the code', async () => {
    forget();
    const run = fedRun();
    const highlight = (code: string): string =>
      `<span onclick="${H}" style="color:red;background-image:url(javascript:${H})">${code.replace(/</g, '&lt;')}</span><img src=x onerror="${H}">`;
    const el = await fixture<TokenStream>(
      html`<token-stream format="markdown" .highlight=${highlight} .run=${run}></token-stream>`,
    );
    run.feed(
      { type: 'status', state: 'running' },
      { type: 'token', content: '```js\nlet a = 1;\n```\n', message_id: 'm1' },
      { type: 'done', state: 'completed' },
    );
    await frame();
    const block = el.shadowRoot!.querySelector('.code-block')!;
    await new Promise<void>((resolve) => {
      const settled = (): boolean => !['pending', null].includes(block.getAttribute('data-highlight'));
      if (settled()) {
        resolve();
        return;
      }
      new MutationObserver((_, observer) => {
        if (settled()) {
          observer.disconnect();
          resolve();
        }
      }).observe(block, { attributes: true });
    });
    await barrier();
    expect(executions()).to.equal(0);
    // The one sanctioned parse: DOMPurify reading the highlighter's string into an inert document.
    const hits = sinkHits.splice(0);
    expect(
      hits.every((hit) => hit.startsWith('DOMParser') || hit.startsWith('innerHTML')),
      hits.join('\n'),
    ).to.equal(true);
    expect(block.querySelectorAll('img').length).to.equal(0);
    const span = block.querySelector('code span');
    expect(span?.hasAttribute('onclick')).to.equal(false);
    expect(span?.getAttribute('style') ?? '').to.not.include('url');
    expect(block.querySelector('code')!.textContent).to.equal('let a = 1;\n');
  });
});
