/// <reference types="node" />
/**
 * The RunLog on Redis Streams: any number of server instances share every run. One stream per
 * run with the seq as entry id (`<seq>-0`), so `XRANGE` reads after a seq and `XREAD BLOCK`
 * follows live; every change is one Lua script (scripts.ts), so seqs stay gapless and "first
 * answer wins" holds whichever instance receives it. Commands reach the producer's instance
 * through a per-run command stream; producers hold a lease that every instance sweeps, so a run
 * whose instance died fails with a clear reason instead of staying "running".
 */
import { createHash } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { decodeSnapshot, type UserReplyCommand } from '../../protocol/index.ts';
import { Checkpointer, checkMaxEvents } from '../checkpoint.ts';
import { RunCommandError, RunKitError } from '../errors.ts';
import type {
  AppendBatch,
  AppendResult,
  CommandOutcome,
  CreateLogOptions,
  LogTail,
  ProducerCommand,
  ProducerLease,
  RunCheckpoint,
  RunInfo,
  RunLog,
} from '../log.ts';
import { snapshotJson } from '../snapshot-json.ts';
import { StoredEvent, type EventBody } from '../stored-event.ts';
import { StreamReader, type StreamSubscriber } from './reader.ts';
import {
  ANSWER,
  APPEND,
  CANCEL,
  CHECKPOINT,
  CREATE,
  EXPIRE,
  RENEW,
  SCRIPTS,
  SWEEP,
  type LogScript,
} from './scripts.ts';

/** Options of `createRedisRunLog`. */
export interface RedisRunLogOptions {
  /** `redis://[:password@]host:port[/db]` (default `redis://127.0.0.1:6379`). */
  readonly url?: string;
  /** More ioredis options (TLS, username, …). */
  readonly redis?: RedisOptions;
  /** Prefix of every key (default `aw:`). */
  readonly prefix?: string;
  /** A producer whose instance did not renew its lease for this long is lost: its runs fail (default 15 s). */
  readonly leaseMs?: number;
  /** A finished run's keys are kept this long, ms (default 24 h). */
  readonly finishedTtlMs?: number;
  /** An active run's keys live this long past its producer's last renewal, ms (default 7 days). */
  readonly activeTtlMs?: number;
  /** Streams one blocking connection follows before the log opens another (default 128). */
  readonly keysPerReader?: number;
  /** Blocking connections at most (default 8). */
  readonly maxReaders?: number;
  /**
   * Events kept per run stream (default: all, until the keys expire). The producer's instance
   * stores a checkpoint (the reducer's state) every `ceil(maxEvents / 2)` events and trims the
   * stream exactly (`XTRIM MINID =`) through `lastSeq - maxEvents`, in one script: between
   * `maxEvents` and `1.5 × maxEvents` entries stay. Reading after a trimmed seq is refused with
   * `events_trimmed`; snapshots start from the checkpoint.
   */
  readonly maxEvents?: number;
}

/** Defaults of the Redis run log. */
export const REDIS_LOG_DEFAULTS = Object.freeze({
  prefix: 'aw:',
  leaseMs: 15_000,
  finishedTtlMs: 24 * 60 * 60 * 1000,
  activeTtlMs: 7 * 24 * 60 * 60 * 1000,
  keysPerReader: 128,
  maxReaders: 8,
});

/** Records a channel keeps in memory for its tails; a tail further behind reads its own catch-up. */
const CHANNEL_BUFFER = 4096;
/** Records read per `XRANGE`. */
const RANGE_COUNT = 1000;
/** Runs a sweep fails per round at most. */
const SWEEP_LIMIT = 100;

/** Is this a reply from Redis (a script or command error) or a bug here, rather than a lost connection? */
function isReplyError(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'ReplyError' || error instanceof RangeError || error instanceof TypeError)
  );
}

function unavailable(error: unknown): RunKitError {
  const detail = error instanceof Error ? error.message : String(error);
  return new RunKitError('log_unavailable', `the Redis run log is unavailable: ${detail}`, { cause: error });
}

function refuse(code: RunCommandError['code'], message: string): CommandOutcome {
  return { ok: false, error: new RunCommandError(code, message) };
}

function trimmedError(runId: string, after: number): RunKitError {
  return new RunKitError(
    'events_trimmed',
    `events of run ${runId} after ${after} are no longer kept: fetch the snapshot`,
  );
}

function isTrimmed(error: unknown): boolean {
  return error instanceof RunKitError && error.code === 'events_trimmed';
}

function seqOf(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}

function field(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i < fields.length - 1; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

function bodyText(body: EventBody): string {
  if (!('run_id' in body) && !('seq' in body)) return JSON.stringify(body);
  const { run_id: _runId, seq: _seq, ...rest } = body;
  return JSON.stringify(rest);
}

function eventArgs(events: readonly EventBody[]): (string | number)[] {
  const out: (string | number)[] = [events.length];
  for (const body of events) out.push(body.type, bodyText(body));
  return out;
}

/**
 * One run followed live on this instance, shared by its tails. A run produced on another
 * instance is followed with `XREAD BLOCK`. A run produced here needs no read-back: the events
 * this instance appends are offered to the channel as soon as Redis accepted them, and every
 * event another instance appends to it (an accepted answer, a cancel, a lost lease) comes with a
 * command for this instance, on which the channel reads what it missed (`XRANGE`).
 */
class Channel {
  readonly tails = new Set<RedisTail>();
  /** Records start..last, contiguous. */
  buffer: StoredEvent[] = [];
  start: number;
  last: number;
  finished = false;
  error: Error | undefined;
  readonly subscriber: StreamSubscriber;
  private registered = false;
  private reading = false;
  private readAgain = false;

  constructor(
    private readonly log: RedisRunLog,
    readonly runId: string,
    after: number,
  ) {
    this.last = after;
    this.start = after + 1;
    this.subscriber = {
      lastId: `${after}-0`,
      durable: false,
      onEntries: (entries) => {
        const records = entries.map(([id, fields]) =>
          StoredEvent.fromText(this.runId, seqOf(id), field(fields, 't') ?? 'unknown', field(fields, 'e') ?? '{}'),
        );
        // Entries after a gap: the ones between were trimmed while this channel lagged.
        if (records.length > 0 && records[0]!.seq > this.last + 1) this.catchUp();
        else this.absorb(records);
      },
      onError: (error) => this.fail(unavailable(error)),
    };
  }

  /** Learn whether the run already ended; otherwise follow it (live from Redis, or from this instance's producer). */
  async init(): Promise<void> {
    try {
      // A run this instance produces exists and goes on: read what it has so far, then take offers.
      if (this.log.produces(this.runId)) {
        this.catchUp();
        return;
      }
      const info = await this.log.info(this.runId);
      if (!info) throw new RunKitError('run_not_found', `no run with id ${this.runId}`);
      if (info.finished && this.last >= info.lastSeq) {
        this.finished = true;
        this.notify();
        return;
      }
      if (this.tails.size === 0 || this.error) return;
      if (this.log.produces(this.runId)) this.catchUp();
      else this.followRedis();
    } catch (error) {
      this.fail(error instanceof RunKitError ? error : unavailable(error));
    }
  }

  /** Follow the run with XREAD from the last seq held (its producer is elsewhere, or gone from here). */
  followRedis(): void {
    if (this.registered || this.finished || this.error || this.tails.size === 0) return;
    this.registered = true;
    this.subscriber.lastId = `${this.last}-0`;
    this.log.follow(this.log.key(this.runId, 'e'), this.subscriber);
  }

  /** Events this instance appended, as Redis accepted them; a gap (another instance's events) is read. */
  offer(records: readonly StoredEvent[]): void {
    if (records.length === 0 || this.error || this.finished) return;
    if (records[0]!.seq > this.last + 1) this.catchUp();
    else this.absorb(records);
  }

  /** Read from Redis what follows the last seq held, until nothing does. */
  catchUp(): void {
    if (this.error || this.finished) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    void (async () => {
      try {
        do {
          this.readAgain = false;
          // Until a page comes back short: what is appended after it reaches the channel as an offer.
          for (;;) {
            let records: StoredEvent[];
            try {
              records = await this.log.read(this.runId, this.last, RANGE_COUNT);
            } catch (error) {
              if (!isTrimmed(error)) throw error;
              // Behind a trim: the channel goes on from the oldest kept event (tails behind it see `events_trimmed`).
              const info = await this.log.info(this.runId);
              if (!info || info.trimmedThrough <= this.last) throw error;
              this.skipTo(info.trimmedThrough);
              continue;
            }
            this.absorb(records);
            if (records.length < RANGE_COUNT || this.finished || this.error) break;
          }
        } while (this.again());
      } catch (error) {
        this.fail(error instanceof Error ? error : unavailable(error));
      } finally {
        this.reading = false;
      }
    })();
  }

  has(seq: number): boolean {
    return seq >= this.start && seq <= this.last;
  }

  /** Drop what is buffered and go on after `seq` (the events up to it were trimmed). */
  private skipTo(seq: number): void {
    this.buffer = [];
    this.last = seq;
    this.start = seq + 1;
    this.subscriber.lastId = `${seq}-0`;
    this.notify();
  }

  /** Read through a call: an offer or a command may ask for another read while one is awaited. */
  private again(): boolean {
    return this.readAgain && !this.finished && !this.error;
  }

  slice(from: number, max: number): readonly StoredEvent[] {
    const index = from - this.start;
    return this.buffer.slice(index, index + max);
  }

  detach(): void {
    if (this.registered) this.log.unfollow(this.log.key(this.runId, 'e'), this.subscriber);
    this.registered = false;
  }

  notify(): void {
    for (const tail of [...this.tails]) tail.wake();
  }

  fail(error: Error): void {
    if (this.error) return;
    this.error = error;
    this.detach();
    this.log.dropChannel(this);
    this.notify();
  }

  /** Take the records that continue the buffer (others were seen or come later). */
  private absorb(records: readonly StoredEvent[]): void {
    if (records.length === 0) return;
    let grew = false;
    for (const record of records) {
      if (record.seq !== this.last + 1) continue;
      this.buffer.push(record);
      this.last = record.seq;
      grew = true;
      if (record.type === 'done') {
        this.finished = true;
        this.detach();
        break;
      }
    }
    if (!grew) return;
    if (this.buffer.length > CHANNEL_BUFFER) {
      const drop = this.buffer.length - CHANNEL_BUFFER;
      this.buffer = this.buffer.slice(drop);
      this.start += drop;
    }
    this.notify();
  }
}

/** A cursor over a run: its channel's buffer, or its own catch-up reads when it is behind it. */
class RedisTail implements LogTail {
  private position: number;
  private own: StoredEvent[] = [];
  private fetching = false;
  private ownError: Error | undefined;
  private listener: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly log: RedisRunLog,
    private readonly channel: Channel,
    after: number,
  ) {
    this.position = Math.max(0, after);
    channel.tails.add(this);
  }

  get cursor(): number {
    return this.position;
  }

  get finished(): boolean {
    return this.channel.finished && this.position >= this.channel.last;
  }

  get error(): Error | undefined {
    return this.ownError ?? this.channel.error;
  }

  peek(max: number): readonly StoredEvent[] {
    if (this.closed) return [];
    const next = this.position + 1;
    if (this.own.length > 0 && this.own[0]!.seq === next) return this.own.slice(0, max);
    if (this.channel.has(next)) return this.channel.slice(next, max);
    if (next < this.channel.start) this.catchUp();
    return [];
  }

  seek(seq: number): void {
    this.position = Math.max(0, seq);
    while (this.own.length > 0 && this.own[0]!.seq <= this.position) this.own.shift();
    if (this.own.length > 0 && this.own[0]!.seq !== this.position + 1) this.own = [];
  }

  onReady(listener: () => void): void {
    if (this.closed) return;
    if (this.readyNow()) {
      queueMicrotask(listener);
      return;
    }
    this.listener = listener;
  }

  /**
   * @internal The channel or a catch-up read has news: the listener runs now, in the same turn,
   * so a long-poll answers with what exists when the first new event arrived.
   */
  wake(): void {
    // Behind the channel's buffer (e.g. it skipped a trim): read by itself, which tells what is missing.
    if (!this.closed && this.position + 1 < this.channel.start && this.own.length === 0) this.catchUp();
    const listener = this.listener;
    if (!listener || !this.readyNow()) return;
    this.listener = undefined;
    listener();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.listener = undefined;
    this.channel.tails.delete(this);
    if (this.channel.tails.size === 0) this.log.releaseChannel(this.channel);
  }

  private readyNow(): boolean {
    if (this.error || this.finished) return true;
    const next = this.position + 1;
    return (this.own.length > 0 && this.own[0]!.seq === next) || this.channel.has(next);
  }

  /** Read what lies between the cursor and the channel's buffer. */
  private catchUp(): void {
    if (this.fetching || this.ownError) return;
    this.fetching = true;
    const from = this.position;
    this.log.read(this.channel.runId, from, RANGE_COUNT).then(
      (records) => {
        this.fetching = false;
        if (this.position !== from) {
          this.wake();
          return;
        }
        if (records.length === 0 && from + 1 < this.channel.start)
          this.ownError = new RunKitError('events_trimmed', `events after ${from} are no longer in the log`);
        this.own = records;
        this.wake();
      },
      (error: unknown) => {
        this.fetching = false;
        this.ownError = error instanceof Error ? error : unavailable(error);
        this.wake();
      },
    );
  }
}

/** An append waiting for the group it goes to Redis with. */
interface PendingAppend {
  readonly runId: string;
  readonly batch: AppendBatch;
  readonly texts: readonly string[];
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** Arguments one grouped append call carries at most (the rest go in the next call). */
const MAX_GROUP_ARGS = 20_000;

/** What this instance does for the runs it produces. */
interface Owned {
  readonly onCommand: (command: ProducerCommand) => void;
  readonly subscriber: StreamSubscriber;
}

/** A RunLog on Redis Streams. */
export class RedisRunLog implements RunLog {
  private readonly channels = new Map<string, Channel>();
  private readonly owned = new Map<string, Owned>();
  private readonly readers: StreamReader[] = [];
  private readonly readerOf = new Map<string, StreamReader>();
  private readonly shas = new Map<string, string>();
  private pendingAppends: PendingAppend[] = [];
  private pendingArgs = 0;
  private appendTimer: ReturnType<typeof setImmediate> | undefined;
  private readonly prefix: string;
  private readonly leaseMs: number;
  private readonly finishedTtlMs: number;
  private readonly activeTtlMs: number;
  private readonly keysPerReader: number;
  private readonly maxReaders: number;
  private readonly maxEvents: number | undefined;
  /** The runs this instance appends to, folded for their checkpoints (only with `maxEvents`). */
  private readonly checkpointers = new Map<string, { checkpointer: Checkpointer; busy: boolean }>();
  private readonly writing = new Set<Promise<void>>();
  private readonly renewTimer: ReturnType<typeof setInterval>;
  private readonly sweepTimer: ReturnType<typeof setInterval>;
  /** When the command connection was last (re)connected: sweeping waits a full lease after it. */
  private readySince: number;
  private closed = false;

  /** @internal Use `createRedisRunLog()`. */
  constructor(
    /** The command connection. */
    readonly redis: Redis,
    options: RedisRunLogOptions,
  ) {
    this.prefix = options.prefix ?? REDIS_LOG_DEFAULTS.prefix;
    this.leaseMs = options.leaseMs ?? REDIS_LOG_DEFAULTS.leaseMs;
    this.finishedTtlMs = options.finishedTtlMs ?? REDIS_LOG_DEFAULTS.finishedTtlMs;
    this.activeTtlMs = options.activeTtlMs ?? REDIS_LOG_DEFAULTS.activeTtlMs;
    this.keysPerReader = options.keysPerReader ?? REDIS_LOG_DEFAULTS.keysPerReader;
    this.maxReaders = options.maxReaders ?? REDIS_LOG_DEFAULTS.maxReaders;
    this.maxEvents = options.maxEvents;
    checkMaxEvents(this.maxEvents);
    for (const [name, value] of Object.entries({
      leaseMs: this.leaseMs,
      finishedTtlMs: this.finishedTtlMs,
      activeTtlMs: this.activeTtlMs,
    }))
      if (!Number.isSafeInteger(value) || value < 100)
        throw new RunKitError('invalid_option', `${name} must be an integer of at least 100 ms`);
    for (const script of SCRIPTS) this.shas.set(script.name, createHash('sha1').update(script.lua).digest('hex'));
    this.readySince = Date.now();
    redis.on('ready', () => {
      this.readySince = Date.now();
      // Back after an outage (a restarted Redis has no scripts): load them, renew at once, before any sweeper may look (they wait a full lease).
      void this.loadScripts()
        .catch(() => undefined)
        .then(() => this.renew());
    });
    this.renewTimer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.sweepTimer = setInterval(() => void this.sweep(), Math.max(50, Math.floor(this.leaseMs / 2)));
    this.renewTimer.unref();
    this.sweepTimer.unref();
  }

  /**
   * Load every script (SCRIPT LOAD), so that concurrent first calls do not each fall back to
   * compiling it with EVAL. Called on connect and after every reconnection.
   */
  async loadScripts(): Promise<void> {
    await Promise.all(SCRIPTS.map((script) => this.call('SCRIPT', 'LOAD', script.lua)));
  }

  /** @internal The key of one of a run's structures. */
  key(runId: string, suffix: 'e' | 'm' | 'in' | 'c'): string {
    return `${this.prefix}{${runId}}:${suffix}`;
  }

  async create(runId: string, options: CreateLogOptions = {}): Promise<RunInfo> {
    const client = options.client;
    const reply = (await this.run(CREATE, [
      this.prefix,
      runId,
      options.threadId ?? '',
      client?.key ?? '',
      client?.limit ?? 0,
      this.activeTtlMs,
      this.leaseMs,
    ])) as [string, number?];
    if (reply[0] === 'exists') throw new RunKitError('run_exists', `a run with id ${runId} exists`);
    if (reply[0] === 'limit')
      throw new RunKitError(
        'too_many_runs',
        `this client already has ${reply[1] ?? 0} active runs (limit ${client?.limit ?? 0})`,
      );
    return {
      runId,
      lastSeq: 0,
      finished: false,
      threadId: options.threadId,
      createdAt: Number(reply[1]),
      trimmedThrough: 0,
    };
  }

  async info(runId: string): Promise<RunInfo | undefined> {
    const [seq, fin, th, ct, tr] = (await this.call('HMGET', this.key(runId, 'm'), 'seq', 'fin', 'th', 'ct', 'tr')) as (
      string | null
    )[];
    if (seq === null || seq === undefined) return undefined;
    return {
      runId,
      lastSeq: Number(seq),
      finished: fin === '1',
      threadId: th === null || th === undefined || th === '' ? undefined : th,
      createdAt: Number(ct ?? 0),
      trimmedThrough: Number(tr ?? 0),
    };
  }

  async checkpoint(runId: string): Promise<RunCheckpoint | undefined> {
    const [seq, json] = (await this.call('HMGET', this.key(runId, 'm'), 'cs', 'cj')) as (string | null)[];
    if (seq === null || seq === undefined || json === null || json === undefined) return undefined;
    const decoded = decodeSnapshot(JSON.parse(json) as unknown, { runId });
    if (!decoded.ok)
      throw new RunKitError(
        'log_unavailable',
        `the checkpoint of run ${runId} does not decode: ${decoded.error.message}`,
      );
    return { seq: Number(seq), snapshot: decoded.value.snapshot };
  }

  async threadRuns(threadId: string): Promise<RunInfo[]> {
    const ids = (await this.call('LRANGE', `${this.prefix}thread:${threadId}`, 0, -1)) as string[];
    const infos = await Promise.all(ids.map((id) => this.info(id)));
    // Runs whose keys expired are gone from the conversation too.
    return infos.filter((info): info is RunInfo => info?.threadId === threadId);
  }

  append(runId: string, batch: AppendBatch): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new RunKitError('closed', 'the run log was closed'));
    const texts = batch.events.map(bodyText);
    return new Promise<AppendResult>((resolve, reject) => {
      this.pendingAppends.push({ runId, batch, texts, resolve, reject });
      this.pendingArgs += 4 + (batch.opens?.length ?? 0) + 2 * texts.length;
      // Appends issued in the same turn (every producer of this instance) go to Redis in one call.
      if (this.pendingArgs >= MAX_GROUP_ARGS) this.flushAppends();
      else this.appendTimer ??= setImmediate(() => this.flushAppends());
    });
  }

  /** Send the grouped appends in one script call and settle each. */
  private flushAppends(): void {
    if (this.appendTimer !== undefined) clearImmediate(this.appendTimer);
    this.appendTimer = undefined;
    const group = this.pendingAppends;
    if (group.length === 0) return;
    this.pendingAppends = [];
    this.pendingArgs = 0;
    const args: (string | number)[] = [this.prefix, this.finishedTtlMs, group.length];
    for (const { runId, batch, texts } of group) {
      const opens = batch.opens ?? [];
      args.push(runId, batch.batch ?? 0, opens.length, ...opens, texts.length);
      batch.events.forEach((body, i) => args.push(body.type, texts[i]!));
    }
    this.run(APPEND, args).then(
      (replies) => {
        (replies as [string, number?, number?, number?][]).forEach((reply, i) => {
          const pending = group[i]!;
          if (reply[0] === 'missing' || reply[0] === 'finished') {
            pending.resolve({ ok: false, reason: reply[0] === 'missing' ? 'run_not_found' : 'run_finished' });
            return;
          }
          const firstSeq = Number(reply[1]);
          const lastSeq = Number(reply[2]);
          const channel = this.channels.get(pending.runId);
          if (channel || this.maxEvents !== undefined) {
            // Hand what Redis accepted to this instance's tails without reading it back.
            const records: StoredEvent[] = [];
            for (let seq = firstSeq; seq <= lastSeq; seq++) {
              const at = seq - firstSeq;
              records.push(
                StoredEvent.fromText(pending.runId, seq, pending.batch.events[at]!.type, pending.texts[at]!),
              );
            }
            channel?.offer(records);
            this.fold(pending.runId, records, reply[3] === 1);
          }
          pending.resolve({ ok: true, firstSeq, lastSeq, finished: reply[3] === 1 });
        });
      },
      (error: unknown) => {
        for (const pending of group) pending.reject(error);
      },
    );
  }

  /** Fold appended records into the run's checkpointer; checkpoint and trim when due. */
  private fold(runId: string, records: readonly StoredEvent[], finished: boolean): void {
    if (this.maxEvents === undefined) return;
    let entry = this.checkpointers.get(runId);
    if (!entry) {
      // A run whose first batch is also its last (it ended within one turn) is trimmed too.
      entry = { checkpointer: new Checkpointer(runId, this.maxEvents), busy: false };
      if (!finished) this.checkpointers.set(runId, entry);
    }
    if (finished) this.checkpointers.delete(runId);
    const { checkpointer } = entry;
    const gap = records.length > 0 && records[0]!.seq > checkpointer.seq + 1;
    if (!gap) checkpointer.fold(records);
    if (entry.busy || (!gap && !checkpointer.due)) return;
    entry.busy = true;
    const current = entry;
    const writing = this.writeCheckpoint(runId, checkpointer).finally(() => {
      current.busy = false;
      this.writing.delete(writing);
    });
    this.writing.add(writing);
  }

  /** @internal Resolves once the checkpoints being written now are stored (tests). */
  async checkpointsWritten(): Promise<void> {
    while (this.writing.size > 0) await Promise.all(this.writing);
  }

  /** Catch the checkpointer up (events other instances appended), then store its checkpoint and trim, in one script. */
  private async writeCheckpoint(runId: string, checkpointer: Checkpointer): Promise<void> {
    try {
      for (;;) {
        const records = await this.read(runId, checkpointer.seq, RANGE_COUNT);
        checkpointer.fold(records);
        if (records.length < RANGE_COUNT) break;
      }
      // Appends that came while a checkpoint was written are folded already: take another if due.
      while (checkpointer.due) {
        const { seq, snapshot } = checkpointer.take();
        await this.run(CHECKPOINT, [this.prefix, runId, seq, snapshotJson(snapshot), checkpointer.trimThrough]);
        checkpointer.written = seq;
      }
    } catch {
      // Redis away: the next append that finds it due tries again.
    }
  }

  async read(runId: string, after: number, limit: number): Promise<StoredEvent[]> {
    if (limit <= 0) return [];
    const entries = (await this.call(
      'XRANGE',
      this.key(runId, 'e'),
      `(${Math.max(0, after)}-0`,
      '+',
      'COUNT',
      limit,
    )) as [string, string[]][];
    if (entries.length > 0 && seqOf(entries[0]![0]) > Math.max(0, after) + 1) throw trimmedError(runId, after);
    return entries.map(([id, fields]) =>
      StoredEvent.fromText(runId, seqOf(id), field(fields, 't') ?? 'unknown', field(fields, 'e') ?? '{}'),
    );
  }

  tail(runId: string, after: number): LogTail {
    let channel = this.channels.get(runId);
    // A channel that starts after the cursor still serves it once the tail has caught up by itself.
    if (!channel || channel.error || (channel.finished && channel.last < after)) {
      channel = new Channel(this, runId, after);
      this.channels.set(runId, channel);
      const tail = new RedisTail(this, channel, after);
      void channel.init();
      return tail;
    }
    return new RedisTail(this, channel, after);
  }

  async answer(runId: string, reply: UserReplyCommand): Promise<CommandOutcome> {
    const accepted = JSON.stringify({ type: 'input_accepted', resume_token: reply.resume_token });
    const [outcome] = (await this.run(ANSWER, [
      this.prefix,
      runId,
      reply.resume_token,
      JSON.stringify(reply),
      accepted,
      this.finishedTtlMs,
    ])) as [string];
    switch (outcome) {
      case 'ok':
        return { ok: true };
      case 'answered':
        return refuse('stale_resume_token', 'this resume_token was already answered');
      case 'expired':
        return refuse('stale_resume_token', 'this resume_token has expired');
      case 'finished':
        return refuse('run_finished', `run ${runId} has already finished`);
      case 'unknown':
        return refuse('stale_resume_token', 'no pending request has this resume_token');
      default:
        throw new RunKitError('run_not_found', `no run with id ${runId}`);
    }
  }

  async cancel(runId: string): Promise<CommandOutcome> {
    const [outcome] = (await this.run(CANCEL, [
      this.prefix,
      runId,
      this.finishedTtlMs,
      ...eventArgs([
        { type: 'status', state: 'cancelled' },
        { type: 'done', state: 'cancelled', finish_reason: 'cancelled' },
      ]),
    ])) as [string];
    if (outcome === 'ok') return { ok: true };
    if (outcome === 'finished') return refuse('run_finished', `run ${runId} has already finished`);
    throw new RunKitError('run_not_found', `no run with id ${runId}`);
  }

  async expire(runId: string, resumeToken: string, events: readonly EventBody[]): Promise<boolean> {
    const expired = await this.run(EXPIRE, [this.prefix, runId, resumeToken, this.finishedTtlMs, ...eventArgs(events)]);
    if (expired === 1) this.channels.get(runId)?.catchUp();
    return expired === 1;
  }

  own(runId: string, onCommand: (command: ProducerCommand) => void): ProducerLease {
    const key = this.key(runId, 'c');
    const subscriber: StreamSubscriber = {
      lastId: '0-0',
      durable: true,
      onEntries: (entries) => {
        // Each command comes with events another instance appended: read them before acting on it.
        this.channels.get(runId)?.catchUp();
        for (const [, fields] of entries) {
          const command = this.command(fields);
          if (command) onCommand(command);
        }
      },
      onError: () => undefined,
    };
    const owned: Owned = { onCommand, subscriber };
    this.owned.set(runId, owned);
    this.follow(key, subscriber);
    return {
      release: () => {
        if (this.owned.get(runId) !== owned) return;
        this.owned.delete(runId);
        this.checkpointers.delete(runId);
        this.unfollow(key, subscriber);
        // From now on only Redis tells what happens to the run (e.g. a sweep after a lost lease).
        this.channels.get(runId)?.followRedis();
      },
    };
  }

  /** @internal True while this instance produces the run. */
  produces(runId: string): boolean {
    return this.owned.has(runId);
  }

  followerCount(runId: string): number {
    return this.channels.get(runId)?.tails.size ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.renewTimer);
    clearInterval(this.sweepTimer);
    if (this.appendTimer !== undefined) clearImmediate(this.appendTimer);
    for (const pending of this.pendingAppends.splice(0))
      pending.reject(new RunKitError('closed', 'the run log was closed'));
    const error = new RunKitError('closed', 'the run log was closed');
    for (const channel of [...this.channels.values()]) channel.fail(error);
    await Promise.all(this.readers.map((reader) => reader.close()));
    this.redis.disconnect();
  }

  /** @internal Follow a stream key on a blocking connection (opening another when they are full). */
  follow(key: string, subscriber: StreamSubscriber): void {
    let reader = this.readers.find((r) => r.size < this.keysPerReader);
    if (!reader && this.readers.length < this.maxReaders) {
      reader = new StreamReader(this.redis.duplicate({ enableOfflineQueue: true }), this.redis);
      this.readers.push(reader);
    }
    reader ??= this.readers.reduce((a, b) => (a.size <= b.size ? a : b));
    this.readerOf.set(key, reader);
    reader.add(key, subscriber);
  }

  /** @internal Stop following a stream key. */
  unfollow(key: string, subscriber: StreamSubscriber): void {
    this.readerOf.get(key)?.remove(key, subscriber);
    this.readerOf.delete(key);
  }

  /** @internal The last tail of a channel closed. */
  releaseChannel(channel: Channel): void {
    channel.detach();
    if (this.channels.get(channel.runId) === channel) this.channels.delete(channel.runId);
  }

  /** @internal A channel failed: the next tail makes a new one. */
  dropChannel(channel: Channel): void {
    if (this.channels.get(channel.runId) === channel) this.channels.delete(channel.runId);
  }

  private command(fields: readonly string[]): ProducerCommand | undefined {
    const kind = field(fields, 'k');
    try {
      if (kind === 'reply') return { type: 'reply', reply: JSON.parse(field(fields, 'd') ?? '{}') as UserReplyCommand };
      if (kind === 'cancel') return { type: 'cancel' };
      if (kind === 'ended') return { type: 'ended', reason: 'producer_lost' };
    } catch {
      // A command this version cannot read: skipped.
    }
    return undefined;
  }

  /** Renew the lease of every run this instance produces. */
  private async renew(): Promise<void> {
    if (this.closed || this.owned.size === 0) return;
    const ids = [...this.owned.keys()];
    for (let i = 0; i < ids.length; i += 1000) {
      try {
        await this.run(RENEW, [this.prefix, this.leaseMs, this.activeTtlMs, ...ids.slice(i, i + 1000)]);
      } catch {
        return; // Unreachable: the next round tries again.
      }
    }
  }

  /** Fail the runs whose producer's lease ran out (after a full lease of being connected, so owners had their chance to renew). */
  private async sweep(): Promise<void> {
    if (this.closed || this.redis.status !== 'ready' || Date.now() - this.readySince < this.leaseMs) return;
    const events = eventArgs([
      {
        type: 'error',
        message: `The run's producer stopped: its instance did not renew its lease for ${this.leaseMs} ms`,
        code: 'producer_lost',
        retryable: false,
      },
      { type: 'status', state: 'failed' },
      { type: 'done', state: 'failed', finish_reason: 'producer_lost' },
    ]);
    try {
      await this.run(SWEEP, [this.prefix, SWEEP_LIMIT, this.finishedTtlMs, ...events]);
    } catch {
      // Unreachable: the next round tries again.
    }
  }

  private async call(command: string, ...args: (string | number)[]): Promise<unknown> {
    if (this.closed) throw new RunKitError('closed', 'the run log was closed');
    try {
      return await this.redis.call(command, ...args);
    } catch (error) {
      if (isReplyError(error)) throw error;
      throw unavailable(error);
    }
  }

  /** Run a script by its SHA, loading it when Redis does not have it (first use, or after a restart). */
  private async run(script: LogScript, args: (string | number)[]): Promise<unknown> {
    const sha = this.shas.get(script.name)!;
    try {
      return await this.call('EVALSHA', sha, 0, ...args);
    } catch (error) {
      if (!(isReplyError(error) && (error as Error).message.startsWith('NOSCRIPT'))) throw error;
      return this.call('EVAL', script.lua, 0, ...args);
    }
  }
}

/** Connect to Redis and make a run log on it (resolves once connected; rejects with RunKitError `log_unavailable`). */
export async function createRedisRunLog(options: RedisRunLogOptions = {}): Promise<RedisRunLog> {
  const redis = new Redis(options.url ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    // Fail fast while Redis is away (requests answer 503, producers retry): nothing queues unseen.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (times) => Math.min(50 * times, 1000),
    ...options.redis,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw unavailable(error);
  }
  const log = new RedisRunLog(redis, options);
  await log.loadScripts();
  return log;
}
