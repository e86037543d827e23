/**
 * A stream's frames, kept as they are produced so a client can read them from any position while
 * they are still coming: what resumable backends keep (the AI SDK's resumable-stream in Redis,
 * OpenAI's background responses). Answers are piped from it, and the cut fault breaks or ends the
 * answer after N frames while production goes on.
 */
import type { StreamSink } from '../../src/server/index.ts';
import type { StreamCut } from './http.ts';

/** Frames of one stream. */
export class StreamLog {
  private readonly frames: string[] = [];
  private readonly listeners = new Set<() => void>();
  private ended = false;

  /** Append a frame (complete SSE text, ending with a blank line). */
  push(frame: string): void {
    if (this.ended) return;
    this.frames.push(frame);
    this.notify();
  }

  /** No more frames. */
  end(): void {
    this.ended = true;
    this.notify();
  }

  /** True once every frame is in. */
  get done(): boolean {
    return this.ended;
  }

  /** Number of frames so far. */
  get length(): number {
    return this.frames.length;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /**
   * Write frames from index `from` to `sink`, following new ones until the stream ends; with
   * `cut`, break the body off (or end it) once that many frames were written, before the stream's
   * end. Returns a function that stops writing (the answer is left as it is).
   */
  pipe(sink: StreamSink, { from = 0, cut = null }: { from?: number; cut?: StreamCut | null } = {}): () => void {
    let next = from;
    let written = 0;
    let stopped = false;
    const stop = (): void => {
      stopped = true;
      this.listeners.delete(flush);
    };
    const flush = (): void => {
      if (stopped) return;
      if (sink.closed) {
        stop();
        return;
      }
      while (next < this.frames.length) {
        if (cut !== null && written >= cut.after) {
          stop();
          // `break`: FIN without the final chunk, the body is cut mid-stream. `end`: the body ends here.
          if (cut.how === 'break') sink.abort();
          else sink.end();
          return;
        }
        sink.write(this.frames[next++]!);
        written++;
      }
      if (this.ended) {
        stop();
        sink.end();
      }
    };
    this.listeners.add(flush);
    sink.onClose(stop);
    flush();
    return stop;
  }
}

/** Resolve after `ms` (0: after the next turn of the event loop, so frames go out one by one). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}
