import './setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/components/token-stream/define.ts';
import type { TokenStream } from '../../../src/components/token-stream/token-stream.ts';
import { renderMarkdown } from '../../../src/markdown/render-document.ts';
import { REALISTIC_ANSWER } from '../markdown/corpus.ts';
import source from '../../../src/components/token-stream/token-stream.ts?raw';
import { countFrameRequests, fedRun, frame, nextEvent, part, parts, renderedParts } from './helpers.ts';

const tok = (content: string, message_id = 'm1') => ({ type: 'token', content, message_id }) as const;

/**
 * An element drawing markdown in every frame (`drawInterval: 0`), so each frame's DOM can be
 * checked; the default interval has its own tests.
 */
async function markdownFixture(
  run = fedRun(),
  attrs: Partial<TokenStream> = {},
): Promise<{ el: TokenStream; run: typeof run }> {
  const el = await fixture<TokenStream>(html`<token-stream format="markdown" .run=${run}></token-stream>`);
  Object.assign(el, { drawInterval: 0, ...attrs });
  await el.updateComplete;
  // The element has asked for its markdown path (its own import() of it, started in its first
  // update). Imported here after that, the same module resolves after the element's import has, so
  // the tests do not race it: imported before the element existed, the element's own import could
  // still land frames later on a busy machine, and a short stream was drawn as text.
  await import('../../../src/components/token-stream/markdown-message-view.ts');
  await frame();
  return { el, run };
}

/** Feed `text` token by token (words), one frame every `perFrame` tokens. */
async function streamText(run: ReturnType<typeof fedRun>, text: string, perFrame = 5): Promise<void> {
  const tokens = text.match(/\s*\S+|\s+$/g) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    run.feed(tok(tokens[i]!));
    if (i % perFrame === perFrame - 1) await frame();
  }
  await frame();
}

const message = (el: TokenStream): HTMLElement => part(el, 'message');

/** Resolve once `element`'s `name` attribute is set and no longer `pending` (an async highlighter landed). */
function attributeSettled(element: Element, name: string, pending: string): Promise<void> {
  return new Promise((resolve) => {
    const done = (): boolean => element.hasAttribute(name) && element.getAttribute(name) !== pending;
    if (done()) {
      resolve();
      return;
    }
    const observer = new MutationObserver(() => {
      if (!done()) return;
      observer.disconnect();
      resolve();
    });
    observer.observe(element, { attributes: true, attributeFilter: [name] });
  });
}

describe('<token-stream format="markdown">', () => {
  it('renders every construct of a realistic answer, with parts', async () => {
    const { el, run } = await markdownFixture();
    run.feed({ type: 'status', state: 'running' });
    await streamText(run, REALISTIC_ANSWER);
    run.feed({ type: 'done', state: 'completed' });
    await frame();
    const m = message(el);
    expect(m.classList.contains('markdown')).to.equal(true);
    expect(m.querySelector('h2')?.textContent).to.equal('Adding a retry with backoff');
    expect(m.querySelector('h3')?.textContent).to.equal('Steps');
    expect(m.querySelector('strong')?.textContent).to.equal('transient');
    expect(m.querySelector('em')?.textContent).to.equal('full jitter');
    expect(m.querySelectorAll('ol > li').length).to.equal(3);
    expect(m.querySelectorAll('ol ul > li').length).to.equal(2, 'nested list');
    const blocks = parts(el, 'code-block');
    expect(blocks.map((b) => b.dataset['language'])).to.deep.equal(['ts', 'python']);
    expect(parts(el, 'code-language').map((l) => l.textContent)).to.deep.equal(['ts', 'python']);
    expect(blocks[0]!.querySelector('pre > code')!.textContent).to.match(/^export async function retry/);
    const table = part(el, 'table');
    expect(table.querySelectorAll('th').length).to.equal(3);
    expect((table.querySelector('td') as HTMLElement).style.textAlign).to.equal('right');
    expect(part(el, 'blockquote').textContent).to.include('idempotent');
    const boxes = parts<HTMLInputElement>(el, 'task-checkbox');
    expect(boxes.map((b) => b.checked)).to.deep.equal([true, false, false]);
    expect(boxes.every((b) => b.disabled)).to.equal(true);
    const links = parts<HTMLAnchorElement>(el, 'link');
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/',
      'mailto:ops@example.com',
      'http://www.example.com/docs',
    ]);
    for (const a of links) {
      expect(a.rel).to.equal('noopener noreferrer');
      expect(a.target).to.equal('_blank');
    }
    expect(m.textContent).to.include('$5 a month').and.include('not $50');
    expect(m.querySelector('hr')).to.not.equal(null);
    const markdownParts = [...source.matchAll(/@csspart\s+([\w-]+)\s+-\s+Markdown:/g)].map((match) => match[1]!);
    const shown = renderedParts(el);
    const absent = markdownParts.filter((name) => !shown.has(name));
    expect(absent).to.deep.equal(
      ['link-blocked', 'image', 'image-placeholder'],
      'every other markdown part is in this answer',
    );
    const prose = [...m.querySelectorAll('p, li, h2, h3, td, th')].map((e) => e.textContent).join(' ');
    expect(prose).to.not.match(/\*\*|`|\]\(/, 'no raw markers outside code');
    await expect(el).to.be.accessible();
  });

  it('shows unfinished syntax provisionally closed, never its raw markers, and the final text as written', async () => {
    const { el, run } = await markdownFixture();
    run.feed({ type: 'status', state: 'running' }, tok('Some **bo'));
    await frame();
    expect(message(el).querySelector('strong')?.textContent).to.equal('bo');
    expect(message(el).textContent).to.not.include('*');
    run.feed(tok('ld** and `co'));
    await frame();
    expect(message(el).querySelector('code')?.textContent).to.equal('co');
    expect(message(el).textContent).to.not.include('`');
    run.feed(tok('de` and [the docs](https://exa'));
    await frame();
    expect(message(el).textContent).to.include('the docs').and.not.include('](');
    run.feed(tok('mple.com) end.\n\n```ts\nconst a'));
    await frame();
    expect(part(el, 'code-block').querySelector('code')?.textContent).to.equal('const a');
    run.feed(tok(' = 1;\n``'));
    await frame();
    expect(part(el, 'code-block').querySelector('code')?.textContent).to.equal(
      'const a = 1;\n',
      'a half closing fence is held back',
    );
    run.feed(tok('`\n'), { type: 'done', state: 'completed' });
    await frame();
    expect(el.shadowRoot!.querySelector('a[part~="link"]')?.getAttribute('href')).to.equal('https://example.com');
    expect(message(el).querySelector('p')?.textContent).to.equal('Some bold and code and the docs end.');
  });

  it('never re-creates or re-highlights a finished code block while the answer streams on', async () => {
    const calls: string[] = [];
    const highlight = (code: string, language: string): string => {
      calls.push(`${language}:${code}`);
      return `<span class="kw" style="color: #c00; background: url(https://evil.example/x)">${code.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</span>`;
    };
    const { el, run } = await markdownFixture(fedRun(), { highlight });
    run.feed({ type: 'status', state: 'running' }, tok('Intro.\n\n```js\nlet x = 1;\n'));
    await frame();
    expect(calls).to.deep.equal([], 'not highlighted while open');
    run.feed(tok('```\n'));
    await frame();
    const block = part(el, 'code-block');
    const code = block.querySelector('code')!;
    await attributeSettled(block, 'data-highlight', 'pending');
    expect(calls).to.deep.equal(['js:let x = 1;\n']);
    expect(block.getAttribute('data-highlight')).to.equal('done');
    const span = code.querySelector<HTMLElement>('span.kw')!;
    expect(span.style.color).to.equal('rgb(204, 0, 0)');
    expect(span.getAttribute('style')).to.not.include('url', 'a style that could load is dropped');
    await streamText(run, 'More text after the code, **growing** for a while.\n\n- a list\n- more', 2);
    run.feed({ type: 'done', state: 'completed' });
    await frame();
    expect(part(el, 'code-block')).to.equal(block, 'the same block element');
    expect(block.querySelector('code')).to.equal(code, 'the same code element');
    expect(calls.length).to.equal(1, 'highlighted once');
  });

  it('copies a code block with a keyboard-reachable button and announces "Copied" politely', async () => {
    const { el, run } = await markdownFixture();
    run.feed({ type: 'status', state: 'running' }, tok('```sh\nnpm install agentwire\n```\n'), {
      type: 'done',
      state: 'completed',
    });
    await frame();
    const copy = part(el, 'copy', HTMLButtonElement);
    expect(copy.localName).to.equal('button');
    expect(copy.getAttribute('aria-label')).to.equal('Copy sh code');
    const written: string[] = [];
    const clipboard = navigator.clipboard;
    // The async clipboard needs a user-granted permission headless Chromium does not give; record what is written.
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: (text: string) => (written.push(text), Promise.resolve()) },
    });
    try {
      copy.focus();
      await sendKeys({ press: 'Enter' });
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(written).to.deep.equal(['npm install agentwire\n']);
      expect(copy.textContent).to.equal('Copied');
      const region = el.shadowRoot!.querySelector('[aria-live="polite"]')!;
      expect(region.lastElementChild?.textContent).to.equal('Copied');
    } finally {
      Object.defineProperty(navigator, 'clipboard', { configurable: true, value: clipboard });
    }
  });

  it('links only http(s), mailto and relative addresses; images only from allowed origins', async () => {
    const { el, run } = await markdownFixture(fedRun(), { linkTarget: '' });
    run.feed(
      { type: 'status', state: 'running' },
      tok(
        '[a](https://ok.example/x) [b](/relative) [c](mailto:x@example.com) [d](javascript:alert(1)) [e](JaVaScRiPt:alert(1)) ' +
          '[f](data:text/html,hi) [g](vbscript:x) <javascript:alert(1)>\n\n' +
          '![pic](https://images.example.com/p.png "T") ![other](https://evil.example/track.png?q=secret) ![bad](javascript:x)\n',
      ),
      { type: 'done', state: 'completed' },
    );
    await frame();
    const links = parts<HTMLAnchorElement>(el, 'link');
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://ok.example/x',
      '/relative',
      'mailto:x@example.com',
    ]);
    expect(links.every((a) => !a.hasAttribute('target'))).to.equal(true, 'link-target="" sets none');
    expect(parts(el, 'link-blocked').map((s) => s.textContent)).to.deep.equal([
      'd',
      'e',
      'f',
      'g',
      'javascript:alert(1)',
    ]);
    expect(el.shadowRoot!.querySelectorAll('img').length).to.equal(0, 'no image loads without an allow-list');
    const placeholders = parts(el, 'image-placeholder');
    expect(placeholders.map((p) => [p.localName, p.textContent])).to.deep.equal([
      ['a', 'pic'],
      ['a', 'other'],
      ['span', 'bad'],
    ]);

    el.imageOrigins = ['https://images.example.com'];
    await el.updateComplete;
    await frame();
    const images = [...el.shadowRoot!.querySelectorAll('img')];
    expect(images.map((i) => i.getAttribute('src'))).to.deep.equal(['https://images.example.com/p.png']);
    expect(images[0]!.alt).to.equal('pic');
    expect(images[0]!.referrerPolicy).to.equal('no-referrer');
    expect(parts(el, 'image-placeholder').length).to.equal(2);
  });

  it('takes image-origins and link-target from attributes', async () => {
    const el = await fixture<TokenStream>(
      html`<token-stream
        format="markdown"
        link-target="_self"
        image-origins="https://a.example https://b.example/x"
      ></token-stream>`,
    );
    expect(el.imageOrigins).to.deep.equal(['https://a.example', 'https://b.example/x']);
    expect(el.linkTarget).to.equal('_self');
  });

  it('announces a completed message once, as its words without markup or buttons', async () => {
    const { el, run } = await markdownFixture();
    const region = el.shadowRoot!.querySelector('[aria-live="polite"]')!;
    run.feed({ type: 'status', state: 'running' });
    await streamText(run, '# Plan\n\nDo **this** and `that`:\n\n```ts\nrun();\n```\n');
    expect(region.childElementCount).to.equal(0, 'nothing while streaming');
    const completed = nextEvent(el, 'message-complete');
    run.feed({ type: 'done', state: 'completed' });
    const event = await completed;
    expect(event.text).to.equal(
      '# Plan\n\nDo **this** and `that`:\n\n```ts\nrun();\n```\n',
      'the event carries the markdown text',
    );
    await frame();
    expect([...region.children].map((p) => p.textContent)).to.deep.equal(['Plan\nDo this and that:\nrun();']);
  });

  it('renders text that was there before it connected, final, and is accessible', async () => {
    const run = fedRun();
    run.feed({ type: 'status', state: 'running' }, tok(REALISTIC_ANSWER), { type: 'done', state: 'completed' });
    const { el } = await markdownFixture(run);
    await frame();
    expect(parts(el, 'code-block').length).to.equal(2);
    expect(parts(el, 'caret').length).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('keeps the caret at the end of the newest block while streaming', async () => {
    const { el, run } = await markdownFixture();
    run.feed({ type: 'status', state: 'running' }, tok('Para one.\n\n- item **one'));
    await frame();
    const caret = part(el, 'caret');
    expect(caret.parentElement?.localName).to.equal('li');
    expect(caret.nextSibling).to.equal(null);
  });

  it('keeps the caret at the end of a long code block shown in pieces, on its last line', async () => {
    const { el, run } = await markdownFixture();
    const lines = Array.from({ length: 300 }, (_, i) => `let value${i} = compute(${i}); // line ${i}`);
    run.feed({ type: 'status', state: 'running' }, tok(`\`\`\`js\n${lines.join('\n')}\nlet last = 1`));
    await frame();
    const caret = part(el, 'caret');
    const pieces = message(el).querySelectorAll('code > .code-lines');
    expect(pieces.length).to.be.greaterThan(2);
    expect(caret.parentElement).to.equal(pieces[pieces.length - 1]!.firstElementChild);
    expect(caret.nextSibling).to.equal(null);
    // On the line it ends, not on a line of its own below the code.
    const end = document.createRange();
    end.setStart(caret.previousSibling!, (caret.previousSibling as Text).length - 1);
    end.setEnd(caret.previousSibling!, (caret.previousSibling as Text).length);
    expect(caret.getBoundingClientRect().top).to.be.closeTo(end.getBoundingClientRect().top, 4);
  });

  it('leaves the caret in place while its block grows (its blink is not restarted), moves it to a new block', async () => {
    const { el, run } = await markdownFixture();
    run.feed({ type: 'status', state: 'running' }, tok('Para one grows'));
    await frame();
    const caret = part(el, 'caret');
    const paragraph = caret.parentElement!;
    expect(paragraph.localName).to.equal('p');
    const records: MutationRecord[] = [];
    const observer = new MutationObserver((batch) => records.push(...batch));
    observer.observe(message(el), { childList: true, subtree: true });
    await streamText(run, ' word by word, **with some bold** and `code`, over several frames.', 2);
    records.push(...observer.takeRecords());
    // The caret was neither removed nor inserted again while its paragraph grew.
    expect(records.filter((r) => [...r.addedNodes, ...r.removedNodes].includes(caret))).to.deep.equal([]);
    expect(caret.parentElement).to.equal(paragraph);
    expect(caret.nextSibling).to.equal(null);
    expect(paragraph.textContent).to.equal(
      'Para one grows word by word, with some bold and code, over several frames.',
    );
    run.feed(tok('\n\n## Next'));
    await frame();
    observer.disconnect();
    expect(caret.parentElement?.localName).to.equal('h2');
    expect(paragraph.contains(caret)).to.equal(false);
    run.feed({ type: 'done', state: 'completed' });
    await frame();
    expect(parts(el, 'caret').length).to.equal(0);
    const expected = document.createElement('div');
    expected.append(
      renderMarkdown('Para one grows word by word, **with some bold** and `code`, over several frames.\n\n## Next'),
    );
    expect(message(el).innerHTML).to.equal(expected.innerHTML);
  });

  it('never narrows a column of a streaming table: the caret in a cell takes no width of its own', async () => {
    const { el, run } = await markdownFixture();
    run.feed({ type: 'status', state: 'running' });
    const widths = (): number[] =>
      [...message(el).querySelectorAll('th')].map((th) => th.getBoundingClientRect().width);
    const narrowed: string[] = [];
    let before: number[] = [];
    let inCell = 0;
    const rows = ['| step | result | time |', '| --- | --- | ---: |'];
    for (const [step, time] of [
      ['parse', 12],
      ['plan', 14],
      ['run', 13],
      ['check', 11],
      ['ship', 10],
    ] as const)
      rows.push(`| ${step} | ok | ${time} ms |`);
    // Word by word, a frame each: the caret sits at the end of each cell in turn.
    for (const token of `${rows.join('\n')}\n`.match(/\s*\S+|\s+$/g)!) {
      run.feed(tok(token));
      await frame();
      if (part(el, 'caret').closest('td, th')) inCell++;
      const now = widths();
      now.forEach((width, i) => {
        if (before[i] !== undefined && width < before[i] - 0.5)
          narrowed.push(
            `column ${i + 1}: ${before[i].toFixed(1)} → ${width.toFixed(1)} px after ${JSON.stringify(token)}`,
          );
      });
      if (now.length > 0) before = now;
    }
    expect(inCell, 'frames with the caret in a cell').to.be.greaterThan(20);
    expect(narrowed).to.deep.equal([]);
    run.feed({ type: 'done', state: 'completed' });
    await frame();
    // What the caret hung into was the cell's padding: the final widths are the streamed ones.
    expect(widths()).to.deep.equal(before);
  });

  it('keeps the columns of a streaming table steady while a row after the first is written: they change only between rows', async () => {
    const { el, run } = await markdownFixture();
    el.style.inlineSize = '640px';
    run.feed({ type: 'status', state: 'running' });
    const text = [
      '| option | default | what it does |',
      '| --- | ---: | --- |',
      '| `retry` | 3 | How many times a failed request is tried again before the error is shown |',
      '| `backoff` | 100 ms | The first delay; it doubles each time, with full jitter so that clients do not retry together |',
      '| `timeout` | 30,000 ms | How long one attempt may take |',
      '| `maxDelay` | 10,000 ms | The longest delay between two attempts, whatever the doubling says; a longer one is cut to it |',
      '| `onRetry` | none | Called before each retry with the attempt number and the error, a very_long_identifier_that_cannot_wrap_anywhere_at_all |',
      '',
    ].join('\n');
    const widths = (): string =>
      [...message(el).querySelectorAll('th')].map((th) => th.getBoundingClientRect().width.toFixed(1)).join(', ');
    const shifted: string[] = [];
    let changes = 0;
    let before = '';
    let rows = 0;
    for (const token of text.match(/\s*\S+|\s+$/g)!) {
      run.feed(tok(token));
      await frame();
      const now = widths();
      const shown = message(el).querySelectorAll('tbody > tr').length;
      if (before !== '' && now !== before) {
        changes++;
        if (shown === rows && shown > 1)
          shifted.push(`row ${shown}, after ${JSON.stringify(token)}: ${before} → ${now}`);
      }
      if (shown === rows && shown > 1) {
        // The row being written wraps within its columns: none of its text spills into the next cell.
        for (const cell of message(el).querySelectorAll<HTMLElement>('tbody > tr:last-child > td'))
          expect(cell.scrollWidth, `a cell of row ${shown} after ${JSON.stringify(token)}`).to.be.at.most(
            cell.clientWidth,
          );
      }
      before = now;
      rows = shown;
    }
    expect(shifted).to.deep.equal([]);
    expect(changes, 'the first row and completed rows still size the columns').to.be.greaterThan(0);
    run.feed({ type: 'done', state: 'completed' });
    await frame();
    // Finished, it is laid out as the same table given whole: nothing of the streaming is left.
    const whole = await markdownFixture();
    whole.el.style.inlineSize = '640px';
    whole.run.feed({ type: 'status', state: 'running' });
    whole.run.feed(tok(text));
    whole.run.feed({ type: 'done', state: 'completed' });
    await frame();
    const wholeWidths = [...message(whole.el).querySelectorAll('th')].map((th) =>
      th.getBoundingClientRect().width.toFixed(1),
    );
    expect(widths()).to.equal(wholeWidths.join(', '));
  });

  it('adds no scroll width to a code block: the caret hangs into its padding (no scrollbar flashing in)', async () => {
    const { el, run } = await markdownFixture();
    run.feed({ type: 'status', state: 'running' });
    const line = Array.from({ length: 40 }, (_, i) => `step${i}()`).join('; ');
    await streamText(run, `\`\`\`js\n${line}`, 1);
    const pre = message(el).querySelector('pre')!;
    expect(part(el, 'caret').closest('pre'), 'the caret is in the code').to.equal(pre);
    const streaming = pre.scrollWidth;
    expect(streaming, 'the line overflows').to.be.greaterThan(pre.clientWidth);
    run.feed({ type: 'done', state: 'completed' });
    await frame();
    expect(message(el).querySelector('pre')!.scrollWidth).to.equal(streaming);
  });

  it('draws a streaming message at most once per draw-interval: its first text and its final render at once', async () => {
    const { el, run } = await markdownFixture(fedRun(), { drawInterval: 60_000 });
    run.feed({ type: 'status', state: 'running' }, tok('First **words'));
    await frame();
    expect(message(el).textContent).to.equal('First words', 'the first text is drawn in the next frame');
    const records: MutationRecord[] = [];
    const observer = new MutationObserver((batch) => records.push(...batch));
    observer.observe(message(el), { childList: true, subtree: true, characterData: true });
    run.feed(tok('** and more'));
    await frame();
    run.feed(tok(' text.\n\n## Next'));
    await frame();
    await frame();
    records.push(...observer.takeRecords());
    expect(records).to.deep.equal([], 'held back: the interval has not passed');
    expect(message(el).textContent).to.equal('First words');
    run.feed({ type: 'done', state: 'completed' });
    await frame();
    observer.disconnect();
    const expected = document.createElement('div');
    expected.append(renderMarkdown('First **words** and more text.\n\n## Next'));
    expect(message(el).innerHTML).to.equal(expected.innerHTML, 'the final render is not held back');
  });

  it('applies a new draw-interval at once, also to text held back by the old one', async () => {
    const { el, run } = await markdownFixture(fedRun(), { drawInterval: 60_000 });
    run.feed({ type: 'status', state: 'running' }, tok('One'));
    await frame();
    run.feed(tok(' two'));
    await frame();
    expect(message(el).textContent).to.equal('One', 'held back by the 60 s interval');
    el.drawInterval = 0;
    await el.updateComplete;
    await frame();
    expect(message(el).textContent).to.equal('One two', 'drawn in the next frame');
    run.feed(tok(' three'));
    await frame();
    expect(message(el).textContent).to.equal('One two three');
  });

  it('draws text held back by the interval once it is due, also when no more text arrives', async () => {
    const { el, run } = await markdownFixture(fedRun(), { drawInterval: 33 });
    run.feed({ type: 'status', state: 'running' }, tok('One'));
    await frame();
    run.feed(tok(' two'));
    // Nothing else arrives: a timer brings the frame that draws it (33 ms is about two frames).
    let frames = 0;
    while (message(el).textContent !== 'One two' && frames < 120) {
      await frame();
      frames++;
    }
    expect(message(el).textContent).to.equal('One two');
    expect(frames).to.be.greaterThan(0);
  });

  it('draws every 50 ms by default, every frame with draw-interval="0"', async () => {
    const el = await fixture<TokenStream>(html`<token-stream format="markdown"></token-stream>`);
    expect(el.drawInterval).to.equal(50);
    el.setAttribute('draw-interval', '0');
    expect(el.drawInterval).to.equal(0);
  });

  it('draws every frame when draw-interval is not a finite number of ms (NaN, negative, Infinity), never holding text back', async () => {
    for (const value of ['abc', '-50', 'Infinity']) {
      const { el, run } = await markdownFixture(fedRun());
      el.setAttribute('draw-interval', value);
      await el.updateComplete;
      run.feed({ type: 'status', state: 'running' }, tok('One'));
      await frame();
      run.feed(tok(' two'));
      await frame();
      expect(message(el).textContent).to.equal('One two', `draw-interval="${value}": drawn in the next frame`);
    }
  });

  it('holds text back under an interval longer than a timer can wait, asking for no frame until it is due', async () => {
    // A timer of 2^31 ms or more wraps to a negative wait and fires at once: 3e9 ms asked for a frame
    // in every frame, forever.
    const { el, run } = await markdownFixture(fedRun(), { drawInterval: 3e9 });
    run.feed({ type: 'status', state: 'running' }, tok('One'));
    await frame();
    run.feed(tok(' two'));
    await frame();
    const requests = countFrameRequests();
    try {
      for (let i = 0; i < 5; i++) await requests.frame();
    } finally {
      requests.restore();
    }
    expect(requests.asked).to.equal(0, 'nothing is due: no frame is asked for');
    expect(message(el).textContent).to.equal('One', 'held back');
    run.feed({ type: 'done', state: 'completed' });
    await frame();
    expect(message(el).textContent).to.equal('One two', 'the final render is not held back');
  });

  it('asks for no frame between two draws while the same message streams; a new message asks at once', async () => {
    // Each token asked for a frame, and each frame ran the element's sync only to find the draw
    // not due yet: at 50 ms and 60 Hz, two frames in three. The timer set at the draw brings the
    // next one.
    const { el, run } = await markdownFixture(fedRun(), { drawInterval: 60_000 });
    run.feed({ type: 'status', state: 'running' }, tok('One'));
    await frame();
    expect(message(el).textContent).to.equal('One', 'the first text is drawn at once');
    const requests = countFrameRequests();
    try {
      for (let i = 0; i < 10; i++) {
        run.feed(tok(` two${i}`));
        await requests.frame();
      }
      expect(requests.asked).to.equal(0, 'ten tokens of the same message, a frame each: none asked for');
      run.feed(tok('Next', 'm2'));
      expect(requests.asked).to.equal(1, 'a new message asks for a frame at once');
    } finally {
      requests.restore();
    }
    await frame();
    const shown = parts(el, 'message').map((m) => m.textContent);
    expect(shown).to.deep.equal(['One two0 two1 two2 two3 two4 two5 two6 two7 two8 two9', 'Next']);
  });

  it('while tokens keep coming every frame, the open block is drawn again once the interval allows', async () => {
    // Text arriving between two draws asks for no frame: the timer set at the draw must bring the
    // next one, or a steady stream would show its first text only.
    const { el, run } = await markdownFixture(fedRun(), { drawInterval: 100 });
    run.feed({ type: 'status', state: 'running' }, tok('One'));
    await frame();
    let fed = 0;
    while (message(el).textContent === 'One' && fed < 600) {
      run.feed(tok(` t${fed++}`));
      await frame();
    }
    expect(message(el).textContent).to.not.equal('One', `drawn again within ${fed} frames of tokens`);
    expect(message(el).textContent.startsWith('One t0')).to.equal(true);
    run.feed({ type: 'done', state: 'completed' });
    await frame();
    const all = Array.from({ length: fed }, (_, i) => ` t${i}`).join('');
    expect(message(el).textContent).to.equal(`One${all}`, 'the final render shows every token');
  });

  it('switches between text and markdown, showing the same messages', async () => {
    const { el, run } = await markdownFixture();
    run.feed({ type: 'status', state: 'running' }, tok('**bold**'), { type: 'done', state: 'completed' });
    await frame();
    expect(message(el).querySelector('strong')).to.not.equal(null);
    el.format = 'text';
    await el.updateComplete;
    await frame();
    expect(message(el).textContent).to.equal('**bold**');
    expect(message(el).querySelector('strong')).to.equal(null);
  });
});
