/** What the runner hands every benchmark module. */
import type { BrowserKit } from './browser.ts';
import type { BenchResult } from './report.ts';

/** Shared state of one `npm run bench` invocation. */
export interface BenchContext {
  /** `--quick`: the CI mode, under two minutes in all. */
  quick: boolean;
  /** The shared headless Chromium (launched on first use). */
  browser(): Promise<BrowserKit>;
  /** Progress line on stderr (the table goes to stdout). */
  log(message: string): void;
}

/** A benchmark module's entry point. */
export type Benchmark = (ctx: BenchContext) => Promise<BenchResult>;

/** Resolve after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
