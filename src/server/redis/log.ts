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
import type { UserReplyCommand } from '../../protocol/index.ts';
import { RunCommandError, RunKitError } from '../errors.ts';
import type {
  AppendBatch,
  AppendResult,
  CommandOutcome,
  CreateLogOptions,
  LogTail,
  ProducerCommand,
  ProducerLease,
  RunInfo,
  RunLog,
} from '../log.ts';
import { StoredEvent, type EventBody } from '../stored-event.ts';
import { StreamReader, type StreamEntry, type StreamSubscriber } from './reader.ts';
import { ANSWER, APPEND, CANCEL, CREATE, EXPIRE, RENEW, SCRIPTS, SWEEP, type LogScript } from './scripts.ts';

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
  /** Streams one blocking connection follows before the log opens another (default 256). */
  readonly keysPerReader?: number;
  /** Blocking connections at most (default 8). */
  readonly maxReaders?: number;
}

/** Defaults of the Redis run log. */
export const REDIS_LOG_DEFAULTS = Object.freeze({
  prefix: 'aw:',
  leaseMs: 15_000,
  finishedTtlMs: 24 * 60 * 60 * 1000,
  activeTtlMs: 7 * 24 * 60 * 60 * 1000,
  keysPerReader: 256,
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

/** One run followed live on this instance, shared by its tails. */
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
      onEntries: (entries) => this.onEntries(entries),
      onError: (error) => this.fail(unavailable(error)),
    };
  }

  /** Learn whether the run already ended here; otherwise follow it. */
  async init(): Promise<void> {
    try {
      const info = await this.log.info(this.runId);
      if (!info) throw new RunKitError('run_not_found', `no run with id ${this.runId}`);
      if (info.finished && this.last >= info.lastSeq) {
        this.finished = true;
        this.notify();
        return;
      }
      if (this.tails.size === 0 || this.error) return;
      this.registered = true;
      this.log.follow(this.log.key(this.runId, 'e'), this.subscriber);
    } catch (error) {
      this.fail(error instanceof RunKitError ? error : unavailable(error));
    }
  }

  has(seq: number): boolean {
    return seq >= this.start && seq <= this.last;
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

  private onEntries(entries: readonly StreamEntry[]): void {
    for (const [id, fields] of entries) {
      const seq = seqOf(id);
      if (seq !== this.last + 1) continue;
      const type = field(fields, 't') ?? 'unknown';
      this.buffer.push(StoredEvent.fromText(this.runId, seq, type, field(fields, 'e') ?? '{}'));
      this.last = seq;
      if (type === 'done') {
        this.finished = true;
        this.detach();
        break;
      }
    }
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
    this.listener = listener;
    if (this.readyNow()) this.wake();
  }

  /** @internal The channel or a catch-up read has news. */
  wake(): void {
    const listener = this.listener;
    if (!listener || !this.readyNow()) return;
    this.listener = undefined;
    queueMicrotask(listener);
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
  private readonly prefix: string;
  private readonly leaseMs: number;
  private readonly finishedTtlMs: number;
  private readonly activeTtlMs: number;
  private readonly keysPerReader: number;
  private readonly maxReaders: number;
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
      // Back after an outage: renew at once, before any sweeper may look (they wait a full lease).
      void this.renew();
    });
    this.renewTimer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.sweepTimer = setInterval(() => void this.sweep(), Math.max(50, Math.floor(this.leaseMs / 2)));
    this.renewTimer.unref();
    this.sweepTimer.unref();
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
    return { runId, lastSeq: 0, finished: false, threadId: options.threadId, createdAt: Number(reply[1]) };
  }

  async info(runId: string): Promise<RunInfo | undefined> {
    const [seq, fin, th, ct] = (await this.call('HMGET', this.key(runId, 'm'), 'seq', 'fin', 'th', 'ct')) as (
      string | null
    )[];
    if (seq === null || seq === undefined) return undefined;
    return {
      runId,
      lastSeq: Number(seq),
      finished: fin === '1',
      threadId: th === null || th === undefined || th === '' ? undefined : th,
      createdAt: Number(ct ?? 0),
    };
  }

  async append(runId: string, batch: AppendBatch): Promise<AppendResult> {
    const opens = batch.opens ?? [];
    const reply = (await this.run(APPEND, [
      this.prefix,
      runId,
      batch.batch ?? 0,
      this.finishedTtlMs,
      opens.length,
      ...opens,
      ...eventArgs(batch.events),
    ])) as [string, number?, number?, number?];
    if (reply[0] === 'missing') return { ok: false, reason: 'run_not_found' };
    if (reply[0] === 'finished') return { ok: false, reason: 'run_finished' };
    return { ok: true, firstSeq: Number(reply[1]), lastSeq: Number(reply[2]), finished: reply[3] === 1 };
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
    return expired === 1;
  }

  own(runId: string, onCommand: (command: ProducerCommand) => void): ProducerLease {
    const key = this.key(runId, 'c');
    const subscriber: StreamSubscriber = {
      lastId: '0-0',
      durable: true,
      onEntries: (entries) => {
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
        this.unfollow(key, subscriber);
      },
    };
  }

  followerCount(runId: string): number {
    return this.channels.get(runId)?.tails.size ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.renewTimer);
    clearInterval(this.sweepTimer);
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
  return new RedisRunLog(redis, options);
}
