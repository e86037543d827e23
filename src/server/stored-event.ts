/**
 * One event of a run's log: its seq, its wire type and its JSON. The JSON text is computed once
 * and shared by every connection; once it is, it is all an event keeps (the producer's object is
 * let go, and the SSE frame and the decoded event are made from it when asked for). A server
 * keeps every event of its live runs, so what one keeps is what a run costs: for a token event,
 * about 240 B, where keeping the object, the JSON, the SSE frame and the decoded event took
 * 640–730 B (measured in Node 20; B7 reports the in-memory log's heap per event).
 * The kit stores what producers emit as it is: a field or an event type this version of the
 * protocol does not know travels through unchanged.
 */
import { decodeEvent, type RunEvent } from '../protocol/index.ts';

/** An event as a producer gives it to the log: a JSON object with a string `type`, without `run_id` and `seq`. */
export type EventBody = Record<string, unknown> & { type: string };

/** One kept event, with its wire JSON computed once and shared by every connection. */
export class StoredEvent {
  private wireJson: string | undefined;
  /** The producer's object, until the JSON text is made from it. */
  private wireObject: Record<string, unknown> | undefined;
  /** The last seq this event stands for (`seq_end` of a coalesced token, else `seq`). */
  lastSeq: number;

  private constructor(
    /** The run the event belongs to. */
    readonly runId: string,
    /** Its per-run sequence number. */
    readonly seq: number,
    /** Its `type` as sent on the wire (an unknown type keeps its own name). */
    readonly type: string,
    private bodyText: string | undefined,
    object: Record<string, unknown> | undefined,
  ) {
    this.wireObject = object;
    this.lastSeq = seq;
  }

  /**
   * One token standing for the consecutive tokens `records` (same message, seqs in a row): its
   * content is theirs joined, its `seq_end` the last one's seq. Made for one slow connection.
   */
  static coalesced(records: readonly StoredEvent[], content: string, messageId: string | undefined): StoredEvent {
    const first = records[0]!;
    const last = records.at(-1)!;
    const body: EventBody = { type: 'token', content, ...(messageId !== undefined && { message_id: messageId }) };
    body['seq_end'] = last.seq;
    const event = StoredEvent.fromBody(first.runId, first.seq, body);
    event.lastSeq = last.seq;
    return event;
  }

  /**
   * An event from a body object. The object becomes the wire object: `run_id` and `seq` are
   * added to it in place (a fresh object per event saves a copy per token); frozen objects are copied.
   */
  static fromBody(runId: string, seq: number, body: EventBody): StoredEvent {
    const wire = Object.isFrozen(body) ? { ...body } : body;
    wire['run_id'] = runId;
    wire['seq'] = seq;
    return new StoredEvent(runId, seq, body.type, undefined, wire);
  }

  /** An event from its stored form: the type and the body's JSON text (without `run_id` and `seq`). */
  static fromText(runId: string, seq: number, type: string, bodyText: string): StoredEvent {
    return new StoredEvent(runId, seq, type, bodyText, undefined);
  }

  /** The body's JSON text without `run_id` and `seq` (what a store keeps). */
  get body(): string {
    if (this.bodyText === undefined) {
      const { run_id: _runId, seq: _seq, ...rest } = this.wire;
      this.bodyText = JSON.stringify(rest);
    }
    return this.bodyText;
  }

  /** The JSON text on the wire: a WebSocket message, an item of an events page, the SSE data. */
  get json(): string {
    if (this.wireJson !== undefined) return this.wireJson;
    let json: string;
    if (this.wireObject !== undefined) json = JSON.stringify(this.wireObject);
    else {
      // `{...}` → `{..., "run_id": …, "seq": …}` without parsing: the body is an object with at least `type`.
      const body = this.bodyText!;
      json = `${body.slice(0, body.lastIndexOf('}'))},"run_id":${JSON.stringify(this.runId)},"seq":${this.seq}}`;
    }
    // V8 keeps a string built in parts (JSON.stringify's, a template's) as a tree of them until it
    // is read; reading a character makes it one flat string: 129 B for a token event's, not 225.
    json.charCodeAt(0);
    this.wireObject = undefined;
    return (this.wireJson = json);
  }

  /** The SSE frame: `id: <seq>`, `event: <type>`, `data: <json>` (made for each write: it is written, not kept). */
  get sse(): string {
    // An unknown type name is untrusted text: a line break in it would inject fields or frames.
    const name = this.type.includes('\n') || this.type.includes('\r') ? this.type.replace(/[\r\n]+/g, ' ') : this.type;
    // A coalesced token's id is its last seq: a reconnect resumes after the whole range.
    return `id: ${this.lastSeq}\nevent: ${name}\ndata: ${this.json}\n\n`;
  }

  /** The wire object: the producer's until the JSON text is made, then parsed from it for each caller (a fresh object). */
  get wire(): Record<string, unknown> {
    return this.wireObject ?? (JSON.parse(this.json) as Record<string, unknown>);
  }

  /**
   * The event as the shared reducer takes it: decoded by src/protocol (aliases normalised, an
   * unknown type as `unknown`), with the fields this version does not know kept beside the known
   * ones. A stored object that no longer decodes becomes an `unknown` event: nothing throws.
   * Decoded for each caller (a run's view folds each event in once).
   */
  get event(): RunEvent {
    const wire = this.wire;
    const result = decodeEvent(wire);
    if (!result.ok) return { type: 'unknown', run_id: this.runId, seq: this.seq, event_type: this.type, data: wire };
    if (result.value.type === 'unknown') return result.value;
    return { ...wire, ...result.value };
  }
}
