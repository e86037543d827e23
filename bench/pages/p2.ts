/**
 * P2 page: a markdown answer streamed token by token into one of seven variants.
 *
 * - ours: the real `<token-stream format="markdown">` fed through the ordered sink and the run
 *   store (only the open block re-parsed, at most every 50 ms: its default `draw-interval`);
 * - every: the same with `draw-interval="0"` (rendered in every frame);
 * - undrawn: the same with an interval longer than the stream: its first text is drawn, then
 *   nothing until the end (whose render is not measured). What ours costs per token besides
 *   drawing: the sink, the store, the element's frames;
 * - smd: streaming-markdown 0.2.15, `parser_write` per token (its documented use: it appends to
 *   the DOM as it parses, no re-parse);
 * - memo: marked 18 + DOMPurify with block memoisation (the AI SDK cookbook's "memoized
 *   markdown"): the whole text is lexed into blocks and only blocks whose source changed (the
 *   last) are rendered again, through DOMPurify into innerHTML. Once per frame, which is kinder to
 *   it than the cookbook's once per update;
 * - naive: the whole text through marked and DOMPurify into innerHTML on every token;
 * - floor: the feeder alone (the harness's own cost).
 *
 * The competitors render into a scrolling box like ours (same height, followed to the end once
 * per frame) with our markdown stylesheet applied, so layout is alike.
 */
import '../../src/components/token-stream/define.ts';
import '../../src/components/token-stream/markdown-message-view.ts';
import DOMPurify from 'dompurify';
import { marked, type Token, type TokensList } from 'marked';
import * as smd from 'streaming-markdown';
import { markdownStyles } from '../../src/markdown/styles.ts';
import { plainText } from '../../src/markdown/plain-text.ts';
import { renderMarkdown } from '../../src/markdown/render-document.ts';
import type { RunEvent } from '../../src/protocol/index.ts';
import { createOrderedSink, createRunStore } from '../../src/store/index.ts';
import { systemClock } from '../../src/transports/types.ts';
import type { P2Config, P2Outcome, P2PageApi } from './api.ts';
import { markdownAnswer, markdownLong, modelTokens } from './markdown-answer.ts';
import { replay, type ReplaySubject } from './replay.ts';
import { frames, offlineRun } from './shared.ts';

const RUN_ID = 'bench';
/** A draw interval longer than any replay (its budget is 300 s): nothing is drawn after the first text. */
const UNDRAWN_INTERVAL_MS = 3_600_000;

/** The variant under test, built by `prepare`. */
interface Subject extends ReplaySubject {
  /** After the replay: render what is left as final, then '' when the DOM shows the text, else the problem. */
  check(delivered: string): Promise<string>;
}

let config: P2Config | null = null;
let subject: Subject | null = null;
let tokens: string[] = [];
let deliveredCount = 0;
let lastDelivered = 0;

/** A scrolling box like `<token-stream>`'s viewport, holding a `.markdown` container. */
function scrollBox(): { box: HTMLElement; root: HTMLElement } {
  const box = document.createElement('div');
  box.style.cssText = 'max-height:24rem;overflow-y:auto;padding:0.75rem;border:1px solid #ccc';
  const root = document.createElement('div');
  root.className = 'markdown';
  box.append(root);
  document.body.append(box);
  return { box, root };
}

/**
 * A loose check for the other renderers: one of the last words of `delivered` as text (what our
 * renderer shows of it: no fence info strings, no link addresses) is among the last text shown.
 */
function endsWithLastWord(root: Node, delivered: string): string {
  const words =
    plainText(renderMarkdown(delivered))
      .match(/[A-Za-z0-9]+/g)
      ?.slice(-3) ?? [];
  const shown = (root.textContent ?? '').slice(-600);
  return words.length === 0 || words.some((word) => shown.includes(word))
    ? ''
    : `none of the last words ${JSON.stringify(words)} is shown (ends "${shown.slice(-80)}")`;
}

function buildOurs(drawInterval?: number): Subject {
  const store = createRunStore(RUN_ID);
  const sink = createOrderedSink(store, systemClock, 60_000);
  sink.event({ type: 'status', run_id: RUN_ID, seq: 1, state: 'running' });
  sink.flush();
  const element = document.createElement('token-stream');
  element.format = 'markdown';
  if (drawInterval !== undefined) element.drawInterval = drawInterval;
  element.run = offlineRun(store, RUN_ID);
  document.body.append(element);
  const events: RunEvent[] = tokens.map((content, i) => ({
    type: 'token',
    run_id: RUN_ID,
    seq: i + 2,
    content,
    message_id: 'm1',
  }));
  return {
    deliver: (i) => sink.event(events[i]!),
    observe: [element, element.shadowRoot!],
    async check(delivered) {
      sink.event({ type: 'done', run_id: RUN_ID, seq: events.length + 2, state: 'completed' });
      sink.flush();
      await frames(3);
      const message = element.shadowRoot?.querySelector('[part~="message"]');
      if (!message?.classList.contains('markdown')) return 'no markdown message shown';
      const expected = document.createElement('div');
      expected.append(renderMarkdown(delivered));
      const same =
        message.childNodes.length === expected.childNodes.length &&
        [...message.childNodes].every((node, i) => node.isEqualNode(expected.childNodes[i]!));
      return same ? '' : 'the final DOM differs from rendering the whole text at once';
    },
  };
}

function buildSmd(): Subject {
  const { box, root } = scrollBox();
  const parser = smd.parser(smd.default_renderer(root));
  return {
    deliver: (i) => smd.parser_write(parser, tokens[i]!),
    observe: [box],
    onFrame: () => {
      box.scrollTop = box.scrollHeight;
    },
    check(delivered) {
      smd.parser_end(parser);
      return Promise.resolve(endsWithLastWord(root, delivered));
    },
  };
}

/** marked's tokens of one block, as `marked.parser` wants them (with the text's link definitions). */
function single(block: Token, all: TokensList): TokensList {
  return Object.assign([block], { links: all.links });
}

function buildMemo(): Subject {
  const { box, root } = scrollBox();
  let text = '';
  let pending = false;
  const shown: { raw: string; element: HTMLElement }[] = [];
  const render = (): void => {
    const blocks = marked.lexer(text);
    blocks.forEach((block, i) => {
      const old = shown[i];
      if (old?.raw === block.raw) return;
      const html = DOMPurify.sanitize(marked.parser(single(block, blocks)));
      if (old) {
        old.raw = block.raw;
        old.element.innerHTML = html;
      } else {
        const element = document.createElement('div');
        element.innerHTML = html;
        root.append(element);
        shown.push({ raw: block.raw, element });
      }
    });
    for (const old of shown.splice(blocks.length)) old.element.remove();
  };
  return {
    deliver: (i) => {
      text += tokens[i]!;
      pending = true;
    },
    observe: [box],
    onFrame: () => {
      if (pending) {
        pending = false;
        render();
      }
      box.scrollTop = box.scrollHeight;
    },
    check(delivered) {
      render();
      return Promise.resolve(endsWithLastWord(root, delivered));
    },
  };
}

function buildNaive(prefix: string): Subject {
  const { box, root } = scrollBox();
  let text = prefix;
  if (text !== '') root.innerHTML = DOMPurify.sanitize(marked.parse(text, { async: false }));
  return {
    deliver: (i) => {
      text += tokens[i]!;
      root.innerHTML = DOMPurify.sanitize(marked.parse(text, { async: false }));
    },
    observe: [box],
    onFrame: () => {
      box.scrollTop = box.scrollHeight;
    },
    check: (delivered) => Promise.resolve(endsWithLastWord(root, prefix + delivered)),
  };
}

function buildFloor(): Subject {
  let length = 0;
  return {
    deliver: (i) => {
      length += tokens[i]!.length;
    },
    observe: [],
    check: (delivered) => Promise.resolve(length === delivered.length ? '' : 'lost characters'),
  };
}

const api: P2PageApi = {
  async prepare(next) {
    document.body.replaceChildren();
    document.adoptedStyleSheets = [markdownStyles.styleSheet!];
    config = next;
    deliveredCount = 0;
    const text =
      next.text.kind === 'answer' ? markdownAnswer(next.text.size) : markdownLong(next.text.kind, next.text.count);
    const all = modelTokens(text);
    const window = next.window ?? { from: 0, count: all.length };
    if (next.window && next.variant !== 'naive') throw new Error('only the naive variant streams a window');
    tokens = all.slice(window.from, window.from + window.count);
    const prefix = all.slice(0, window.from).join('');
    const build = {
      ours: () => buildOurs(),
      every: () => buildOurs(0),
      undrawn: () => buildOurs(UNDRAWN_INTERVAL_MS),
      smd: buildSmd,
      memo: buildMemo,
      naive: () => buildNaive(prefix),
      floor: buildFloor,
    }[next.variant];
    subject = build();
    // Two frames for the element to render, one more for the markdown path to load.
    await frames(3);
    return { tokens: all.length, chars: text.length };
  },

  async start(): Promise<P2Outcome> {
    if (!config || !subject) throw new Error('prepare() first');
    const counts = await replay(
      { tokens: tokens.length, rate: config.rate, budgetMs: config.budgetMs },
      subject,
      (i) => (deliveredCount = i),
    );
    lastDelivered = counts.delivered;
    return {
      ...counts,
      tokens: tokens.length,
      deliveredChars: tokens.slice(0, counts.delivered).join('').length,
      problem: '',
    };
  },

  async check() {
    if (!subject) throw new Error('prepare() first');
    return subject.check(tokens.slice(0, lastDelivered).join(''));
  },

  delivered: () => deliveredCount,
};

window.p2 = api;
