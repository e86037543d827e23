/**
 * Fuzz: the event-stream decoder gives the same events, last event id and retry whatever the
 * chunking — string chunks split anywhere (even inside a surrogate pair or a CRLF), byte chunks
 * split anywhere (even inside a multi-byte UTF-8 character) — as for the whole input at once.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createEventStreamDecoder, type EventStreamMessage } from '../../src/transports/event-stream-decoder.ts';
import { anyText } from '../shared/arbitraries.ts';
import { fuzzParams } from '../shared/fuzz.ts';

interface Outcome {
  events: EventStreamMessage[];
  lastEventId: string;
  retry: number | undefined;
  comments: string[];
}

type Chunk = string | Uint8Array;

/** Decode consecutive streams (the decoder is ended after each), each already cut into chunks. */
function decode(streams: readonly (readonly Chunk[])[]): Outcome {
  const events: EventStreamMessage[] = [];
  const comments: string[] = [];
  const decoder = createEventStreamDecoder((e) => events.push(e), { onComment: (c) => comments.push(c) });
  for (const chunks of streams) {
    for (const chunk of chunks) decoder.push(chunk);
    decoder.end();
  }
  return { events, lastEventId: decoder.lastEventId, retry: decoder.retry, comments };
}

/** Cut `whole` at the given positions (taken modulo its length + 1). */
function cut<T extends string | Uint8Array>(whole: T, positions: readonly number[]): T[] {
  const at = [...new Set(positions.map((p) => p % (whole.length + 1)))].sort((a, b) => a - b);
  const out: T[] = [];
  let from = 0;
  for (const p of [...at, whole.length]) {
    out.push(whole.slice(from, p) as T);
    from = p;
  }
  return out;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

const lineEnd = fc.constantFrom('\n', '\r', '\r\n');
const fieldName = fc.constantFrom('data', 'data', 'data', 'id', 'event', 'retry', 'Data', 'foo', '', 'id\u0000');
const value = fc.oneof(
  anyText(16),
  fc.constantFrom(
    '',
    ' ',
    '1500',
    '12',
    '1000x',
    '-1',
    '{"type":"token","seq":3,"content":"é😀中"}',
    '\u0000',
    '\uFEFF',
    'é',
    '😀',
  ),
);
/** One line: a field (with or without colon and space), a comment, or a blank line (dispatch). */
const line = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fieldName, fc.constantFrom(':', ': ', ''), value)
      .map(([f, c, v]) => `${f}${c}${c === '' ? '' : v}`),
  },
  { weight: 1, arbitrary: value.map((v) => `:${v}`) },
  { weight: 3, arbitrary: fc.constant('') },
);
/** One stream: maybe a BOM (or two), lines with any line endings, maybe a partial line at the end. */
const stream = fc
  .tuple(
    fc.constantFrom('', '', '\uFEFF', '\uFEFF\uFEFF'),
    fc.array(
      fc.tuple(line, lineEnd).map(([l, e]) => l + e),
      { maxLength: 14 },
    ),
    fc.oneof(fc.constant(''), anyText(6)),
  )
  .map(([bom, lines, tail]) => bom + lines.join('') + tail);
/** Raw text with no structure at all. */
const rawStream = fc.string({ unit: 'binary', maxLength: 60 });
const streams = fc.array(fc.oneof({ weight: 4, arbitrary: stream }, { weight: 1, arbitrary: rawStream }), {
  minLength: 1,
  maxLength: 3,
});
const cuts = fc.array(fc.nat({ max: 10_000 }), { maxLength: 12 });

describe('fuzz: event-stream decoder chunking', () => {
  it('string chunks split anywhere decode like the whole string', () => {
    fc.assert(
      fc.property(streams, fc.array(cuts, { minLength: 3, maxLength: 3 }), (texts, positions) => {
        const whole = decode(texts.map((t) => [t]));
        const chunked = decode(texts.map((t, i) => cut(t, positions[i]!)));
        assert.deepEqual(chunked, whole);
      }),
      fuzzParams(400),
    );
  });

  it('byte chunks split anywhere (inside multi-byte characters too) decode like the whole string', () => {
    fc.assert(
      fc.property(streams, fc.array(cuts, { minLength: 3, maxLength: 3 }), (texts, positions) => {
        const whole = decode(texts.map((t) => [t]));
        assert.deepEqual(decode(texts.map((t) => [utf8(t)])), whole, 'whole bytes');
        assert.deepEqual(decode(texts.map((t, i) => cut(utf8(t), positions[i]!))), whole, 'byte chunks');
      }),
      fuzzParams(400),
    );
  });

  it('one byte at a time decodes like the whole string', () => {
    fc.assert(
      fc.property(streams, (texts) => {
        const whole = decode(texts.map((t) => [t]));
        assert.deepEqual(decode(texts.map((t) => Array.from(utf8(t), (b) => Uint8Array.of(b)))), whole);
      }),
      fuzzParams(150),
    );
  });

  it('arbitrary bytes (invalid UTF-8 too) decode the same whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 80 }), { minLength: 1, maxLength: 2 }),
        fc.array(cuts, { minLength: 2, maxLength: 2 }),
        (blobs, positions) => {
          const whole = decode(blobs.map((b) => [b]));
          assert.deepEqual(decode(blobs.map((b, i) => cut(b, positions[i]!))), whole);
        },
      ),
      fuzzParams(300),
    );
  });

  it('every event dispatched carries data that was on a data line (nothing is invented)', () => {
    fc.assert(
      fc.property(stream, (text) => {
        const { events } = decode([[text]]);
        const joined = text.replace(/\r\n?/g, '\n');
        for (const event of events) for (const part of event.data.split('\n')) assert.ok(joined.includes(part));
      }),
      fuzzParams(200),
    );
  });
});
