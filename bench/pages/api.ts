/** The contract between the benchmark pages and the Node side that drives them (types only). */
import type { LongShape } from './markdown-answer.ts';
import type { ReplayCounts } from './replay.ts';
import type { WireOptions, WireResults } from './wire.ts';

/**
 * B1 variants: our element through the real store; the naive Lit element; raw `Text.appendData`
 * into one node per token (the limit); raw appends batched per frame into bounded nodes
 * (a tighter limit: the least DOM work per-frame batching can do); the feeder alone.
 */
export type B1Variant = 'ours' | 'naive' | 'limit' | 'batched' | 'floor';

/** One B1 replay. */
export interface B1Config {
  variant: B1Variant;
  /** Tokens to replay. */
  tokens: number;
  /** Tokens per second; 0 = as fast as possible (one token per task, back to back). */
  rate: number;
  /** Stop early after this much wall time (the naive element cannot finish long streams). */
  budgetMs: number;
}

/** What a B1 replay measured in the page. */
export interface B1Outcome extends ReplayCounts {
  /** UTF-16 length of the text the variant shows at the end. */
  shownLength: number;
  /** UTF-16 length of the text delivered. */
  deliveredLength: number;
}

/** B1/B6 page API. */
export interface StreamPageApi {
  /** Build the variant's element and the tokens; resolves after two frames. */
  prepare(config: B1Config): Promise<void>;
  /** Replay; resolves once the last token is on screen. */
  start(): Promise<B1Outcome>;
  /** Tokens delivered so far. */
  delivered(): number;
  /** B6: stream `tokens` tokens as SSE bytes through decoder → sink → store → `<token-stream>`, `perFrame` per frame. */
  fill(tokens: number, perFrame: number): Promise<{ textLength: number; shownLength: number; ms: number }>;
  /** B6 reference: the same tokens appended to one Text node in a scrolling box, `perFrame` per frame, no store. */
  fillRaw(tokens: number, perFrame: number): Promise<{ textLength: number; shownLength: number; ms: number }>;
  /** B6: remove everything shown (to see what the DOM held). */
  clear(): void;
  /** B6: `performance.measureUserAgentSpecificMemory()` total bytes (JS + DOM), or -1 when unavailable. */
  uaMemory(): Promise<number>;
}

/**
 * P2 variants: our `<token-stream format="markdown">` through the real store (at its default draw
 * interval, every frame, and undrawn: nothing drawn until the end); streaming-markdown
 * (smd) written per token; marked + DOMPurify re-rendering only changed blocks once per frame
 * (block memo); marked + DOMPurify re-rendering the whole text per token (naive); the feeder alone.
 */
export type P2Variant = 'ours' | 'every' | 'undrawn' | 'smd' | 'memo' | 'naive' | 'floor';

/** The text P2 streams: a realistic answer of about `size` characters, or one long list, table or quote. */
export type P2Text = { kind: 'answer'; size: number } | { kind: LongShape; count: number };

/** One P2 replay. */
export interface P2Config {
  variant: P2Variant;
  text: P2Text;
  /** Tokens per second; 0 = as fast as possible. */
  rate: number;
  /** Stop early after this much wall time. */
  budgetMs: number;
  /**
   * Naive only: stream `count` tokens from token `from` on, the text before shown (not measured).
   * Its cost per token grows with the text, so windows along the answer estimate the whole.
   */
  window?: { from: number; count: number };
}

/** What a P2 replay measured in the page. */
export interface P2Outcome extends ReplayCounts {
  /** Tokens replayed (the whole text's, or the window's). */
  tokens: number;
  /** Characters delivered. */
  deliveredChars: number;
  /** Set by `check()`: '' when the variant shows the text delivered (ours: its final DOM equals the whole-text render), else what is wrong. */
  problem: string;
}

/** P2 page API. */
export interface P2PageApi {
  /** Build the variant and the tokens; resolves once it is ready to stream, with the whole text's size. */
  prepare(config: P2Config): Promise<{ tokens: number; chars: number }>;
  /** Replay; resolves once the last token is on screen. */
  start(): Promise<P2Outcome>;
  /** After `start`: finish the text (ours: the run ends) and say what is wrong with what is shown ('' when nothing). */
  check(): Promise<string>;
  /** Tokens delivered so far. */
  delivered(): number;
}

/** B4 page API. */
export interface LogPageApi {
  /** Apply `entries` log-worthy events to a fresh store (one update). */
  prepare(entries: number): Promise<void>;
  /**
   * Attach `<agent-log>` to the prepared store; resolves when the newest row is laid out in view
   * and painted: ms, when it was first in the DOM (at an animation frame callback, before that
   * frame's layout), and the frames it took.
   */
  firstRender(): Promise<{ ms: number; inDomMs: number; frames: number; rows: number }>;
  /** The outer HTML of the log's rows in its visible box once it settled (after firstRender), for staticRender on another page. */
  rowsInView(): Promise<string>;
  /**
   * The browser's floor for the first screen: `markup` (rows captured by rowsInView) attached as
   * static DOM in a shadow root adopting the log's style sheets, no element code; resolves when the
   * last row is laid out in view and painted.
   */
  staticRender(markup: string): Promise<{ ms: number; frames: number; rows: number }>;
  /** Apply `count` more events in one update; resolves when the newest is on screen: ms. */
  append(count: number): Promise<{ ms: number; lastShown: boolean }>;
  /** Apply `count` more events, one per task; resolves when the newest is on screen: ms. */
  appendEach(count: number): Promise<{ ms: number; lastShown: boolean }>;
  /**
   * A fresh log showing one `write_file` call, its details `open` or not, whose arguments will
   * write a file of `chars` characters of code (streamArgs).
   */
  prepareArgs(chars: number, open: boolean): Promise<void>;
  /**
   * Stream the prepared call's arguments, in pieces of about 40 characters, at `rate` pieces per
   * second as a model writes them; resolves once the last piece is drawn: the pieces, the frames
   * drawn meanwhile, and the median ms of the element's updates in the first and the last tenth.
   */
  streamArgs(rate: number): Promise<{ pieces: number; frames: number; firstUpdatesMs: number; lastUpdatesMs: number }>;
}

/** B2 page API. */
export interface WirePageApi {
  /** Run every B2 case in the page; `log` holds the progress lines. */
  run(options: WireOptions): Promise<{ results: WireResults; log: string[] }>;
}

declare global {
  interface Window {
    b1?: StreamPageApi;
    b2?: WirePageApi;
    b4?: LogPageApi;
    p2?: P2PageApi;
  }
}
