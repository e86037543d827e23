/** The contract between the benchmark pages and the Node side that drives them (types only). */
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
export interface B1Outcome {
  delivered: number;
  /** First token delivered → last token on screen, ms. */
  elapsedMs: number;
  truncated: boolean;
  frames: number;
  /** DOM commits: MutationObserver callbacks (one per task or frame that changed the DOM). */
  commits: number;
  framesWithCommits: number;
  /** Frames in which more than one commit happened. */
  framesOverOne: number;
  maxCommitsPerFrame: number;
  longTasks: number;
  longTaskMs: number;
  /** Longest gap between two animation frames, ms. */
  maxFrameGapMs: number;
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

/** B4 page API. */
export interface LogPageApi {
  /** Apply `entries` log-worthy events to a fresh store (one update). */
  prepare(entries: number): Promise<void>;
  /** Attach `<agent-log>` to the prepared store; resolves when its rows are on screen: ms. */
  firstRender(): Promise<{ ms: number; rows: number }>;
  /** Apply `count` more events in one update; resolves when the newest is on screen: ms. */
  append(count: number): Promise<{ ms: number; lastShown: boolean }>;
  /** Apply `count` more events, one per task; resolves when the newest is on screen: ms. */
  appendEach(count: number): Promise<{ ms: number; lastShown: boolean }>;
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
  }
}
