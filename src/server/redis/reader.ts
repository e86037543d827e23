/// <reference types="node" />
/**
 * Live reading of many Redis streams over one blocking connection: `XREAD BLOCK` on every key a
 * subscriber follows, each from its own last id. Adding a key wakes the blocked read at once
 * (`CLIENT UNBLOCK` from the command connection), so a new follower never waits for the block
 * timeout. When the connection fails, followers that cannot outlive it are told (their clients
 * reconnect); durable ones (a producer's commands) resume from their last id once it is back.
 */
import type { Redis } from 'ioredis';

/** One entry of a stream: its id and its fields as a flat [name, value, …] list. */
export type StreamEntry = readonly [id: string, fields: readonly string[]];

/** A follower of one stream key. */
export interface StreamSubscriber {
  /** Read after this id (updated as entries arrive). */
  lastId: string;
  /** New entries, in order. */
  onEntries(entries: readonly StreamEntry[]): void;
  /** The connection failed: non-durable subscribers are removed and told. */
  onError(error: Error): void;
  /** Keep following across connection failures. */
  readonly durable: boolean;
}

/** Longest a blocked read waits before it is issued again, ms. */
const BLOCK_MS = 5000;
/** Entries read per key per round. */
const READ_COUNT = 1000;
/** Wait before reading again after a failure, ms (doubles up to MAX_BACKOFF_MS). */
const FIRST_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 1000;

type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/** Follows many stream keys on one blocking connection. */
export class StreamReader {
  private readonly subscribers = new Map<string, StreamSubscriber>();
  private clientId: number | undefined;
  private blocked = false;
  /** Counts the reads issued, so a wake-up meant for one read is not repeated for the next. */
  private reads = 0;
  private wakePending = false;
  private idle: (() => void) | undefined;
  private closed = false;
  private running: Promise<void> | undefined;

  constructor(
    /** The blocking connection (used for nothing else). */
    private readonly blocking: Redis,
    /** A connection for `CLIENT UNBLOCK`. */
    private readonly control: Redis,
  ) {}

  /** Number of keys followed. */
  get size(): number {
    return this.subscribers.size;
  }

  /** Follow `key` (replacing an earlier subscriber of it). */
  add(key: string, subscriber: StreamSubscriber): void {
    this.subscribers.set(key, subscriber);
    this.running ??= this.loop();
    this.wake();
  }

  /** Stop following `key`. */
  remove(key: string, subscriber?: StreamSubscriber): void {
    if (subscriber && this.subscribers.get(key) !== subscriber) return;
    this.subscribers.delete(key);
  }

  /** Stop reading and disconnect the blocking connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.idle?.();
    this.blocking.disconnect();
    await this.running?.catch(() => undefined);
  }

  /** Interrupt a blocked read so the next one includes every key. */
  private wake(): void {
    if (this.idle) {
      const idle = this.idle;
      this.idle = undefined;
      idle();
      return;
    }
    if (!this.blocked || this.wakePending) return;
    this.wakePending = true;
    queueMicrotask(() => {
      this.wakePending = false;
      this.unblock(this.reads);
    });
  }

  /** Unblock read number `read`; again shortly when it had not reached the server yet (CLIENT UNBLOCK answered 0). */
  private unblock(read: number): void {
    if (!this.blocked || this.reads !== read || this.clientId === undefined || this.closed) return;
    this.control.call('CLIENT', 'UNBLOCK', this.clientId).then(
      (unblocked) => {
        if (unblocked === 0) setTimeout(() => this.unblock(read), 1);
      },
      () => undefined,
    );
  }

  private async loop(): Promise<void> {
    let backoff = FIRST_BACKOFF_MS;
    while (!this.closed) {
      if (this.subscribers.size === 0) {
        await new Promise<void>((resolve) => (this.idle = resolve));
        continue;
      }
      let reply: XReadReply;
      try {
        this.clientId ??= Number(await this.blocking.call('CLIENT', 'ID'));
        const keys = [...this.subscribers.keys()];
        if (keys.length === 0) continue;
        const ids = keys.map((key) => this.subscribers.get(key)!.lastId);
        this.reads++;
        this.blocked = true;
        reply = (await this.blocking.call(
          'XREAD',
          'COUNT',
          READ_COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...keys,
          ...ids,
        )) as XReadReply;
        backoff = FIRST_BACKOFF_MS;
      } catch (error) {
        this.blocked = false;
        this.clientId = undefined;
        if (this.isClosed()) return;
        this.fail(error instanceof Error ? error : new Error(String(error)));
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        continue;
      } finally {
        this.blocked = false;
      }
      if (!reply) continue;
      for (const [key, entries] of reply) {
        const subscriber = this.subscribers.get(key);
        if (!subscriber || entries.length === 0) continue;
        subscriber.lastId = entries.at(-1)![0];
        subscriber.onEntries(entries);
      }
    }
  }

  /** Read through a call: `close()` runs while a read is awaited. */
  private isClosed(): boolean {
    return this.closed;
  }

  private fail(error: Error): void {
    for (const [key, subscriber] of [...this.subscribers]) {
      if (subscriber.durable) continue;
      this.subscribers.delete(key);
      subscriber.onError(error);
    }
  }
}
