/** A FeedSink over one WebSocket: one message per event, waiting when the send buffer backs up. */
import { WebSocket } from 'ws';
import { CLOSE_NORMAL } from '../src/protocol/index.ts';
import type { FeedSink } from './feed.ts';
import { MALFORMED_WS_MESSAGE, WS_HIGH_WATER_BYTES } from './limits.ts';
import type { StoredEvent } from './stored-event.ts';

/** Sends a feed's events on one socket, honouring its send buffer. */
export class WsSink implements FeedSink {
  private pendingSends = 0;
  private drainWaiter: (() => void) | undefined;
  private aborting = false;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly encode: (record: StoredEvent) => string | undefined,
  ) {}

  write(record: StoredEvent): void {
    const text = this.encode(record);
    if (text !== undefined) this.send(text);
  }

  writeMalformed(): void {
    this.send(MALFORMED_WS_MESSAGE);
  }

  /** Send one text message (also used for replies to commands). */
  send(text: string): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
    this.pendingSends++;
    this.ws.send(text, () => {
      this.pendingSends--;
      this.settle();
    });
  }

  flush(): boolean {
    return this.ws.bufferedAmount < WS_HIGH_WATER_BYTES;
  }

  onDrain(resume: () => void): void {
    this.drainWaiter = resume;
    this.settle();
  }

  abort(): void {
    this.closed = true;
    this.aborting = true;
    this.settle();
  }

  complete(): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(CLOSE_NORMAL, 'run finished');
  }

  private settle(): void {
    if (this.aborting && this.pendingSends === 0) {
      this.aborting = false;
      this.ws.terminate();
      return;
    }
    if (this.drainWaiter && this.ws.bufferedAmount < WS_HIGH_WATER_BYTES / 2) {
      const resume = this.drainWaiter;
      this.drainWaiter = undefined;
      resume();
    }
  }
}
