/**
 * The replay loop of the streaming benchmarks (B1, P2): tokens delivered one per task
 * (MessageChannel), paced to a rate or back to back, while DOM commits are counted per animation
 * frame (MutationObserver callbacks), wall-clock long tasks are observed and frame gaps recorded.
 * Main-thread CPU time is read on the Node side (CDP).
 */
import { frames, nextFrame } from './shared.ts';

/** How to replay. */
export interface ReplayRun {
  /** Tokens to deliver. */
  tokens: number;
  /** Tokens per second; 0 = as fast as possible (one token per task, back to back). */
  rate: number;
  /** Stop early after this much wall time. */
  budgetMs: number;
}

/** What is replayed into. */
export interface ReplaySubject {
  deliver(index: number): void;
  /** Nodes whose mutations count as commits. */
  observe: Node[];
  /** Called at the start of every frame (after the frame's commit count is closed). */
  onFrame?: () => void;
}

/** What a replay measured in the page. */
export interface ReplayCounts {
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
}

/** Deliver tokens one per task until done or over budget; resolves with the count delivered. */
function feed(
  run: ReplayRun,
  deliver: (i: number) => void,
  started: number,
  progress: (i: number) => void,
): Promise<number> {
  const channel = new MessageChannel();
  const interval = run.rate > 0 ? 1000 / run.rate : 0;
  let i = 0;
  return new Promise((resolve) => {
    const step = (): void => {
      const now = performance.now();
      if (i >= run.tokens || now - started > run.budgetMs) {
        channel.port1.close();
        resolve(i);
        return;
      }
      if (interval > 0) {
        const due = started + i * interval;
        if (due > now + 1) {
          setTimeout(step, due - now);
          return;
        }
      }
      deliver(i++);
      progress(i);
      channel.port2.postMessage(0);
    };
    channel.port1.onmessage = step;
    step();
  });
}

/** Replay `run` into `subject`; `progress` is told the count delivered after each token. */
export async function replay(
  run: ReplayRun,
  subject: ReplaySubject,
  progress: (i: number) => void,
): Promise<ReplayCounts> {
  let running = true;
  let commits = 0;
  let frameCommits = 0;
  let frameCount = 0;
  let framesWithCommits = 0;
  let framesOverOne = 0;
  let maxCommitsPerFrame = 0;
  let maxFrameGapMs = 0;
  let lastFrame = performance.now();
  const longTasks: number[] = [];

  const observer = new MutationObserver(() => {
    commits++;
    frameCommits++;
  });
  for (const node of subject.observe)
    observer.observe(node, { subtree: true, childList: true, characterData: true, attributes: true });
  const longTaskObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  longTaskObserver.observe({ type: 'longtask' });

  const closeFrame = (): void => {
    frameCount++;
    if (frameCommits > 0) framesWithCommits++;
    if (frameCommits > 1) framesOverOne++;
    maxCommitsPerFrame = Math.max(maxCommitsPerFrame, frameCommits);
    frameCommits = 0;
  };
  // Registered before any token, so it runs first in every frame: commits made in frame F's
  // callbacks (ours) are counted in F's interval, commits made by tasks between frames in the next.
  const onFrame = (time: number): void => {
    if (!running) return;
    closeFrame();
    maxFrameGapMs = Math.max(maxFrameGapMs, time - lastFrame);
    lastFrame = time;
    subject.onFrame?.();
    requestAnimationFrame(onFrame);
  };
  await nextFrame();
  requestAnimationFrame(onFrame);

  const started = performance.now();
  lastFrame = started;
  const delivered = await feed(run, (i) => subject.deliver(i), started, progress);
  // Whatever was delivered reaches the screen within a frame or two.
  await frames(3);
  const elapsedMs = performance.now() - started;
  running = false;
  observer.disconnect();
  longTaskObserver.takeRecords().forEach((entry) => longTasks.push(entry.duration));
  longTaskObserver.disconnect();
  closeFrame();
  return {
    delivered,
    elapsedMs,
    truncated: delivered < run.tokens,
    frames: frameCount,
    commits,
    framesWithCommits,
    framesOverOne,
    maxCommitsPerFrame,
    longTasks: longTasks.length,
    longTaskMs: longTasks.reduce((a, b) => a + b, 0),
    maxFrameGapMs,
  };
}
