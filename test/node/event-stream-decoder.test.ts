/**
 * createEventStreamDecoder against the WHATWG event-stream interpretation rules. Every case is fed
 * whole, character by character, byte by byte, and split in two at every character and every byte.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEventStreamDecoder, type EventStreamMessage } from '../../src/transports/event-stream-decoder.ts';
import { SPEC_CASES, type SpecCase } from '../shared/event-stream-cases.ts';

type Feed = (push: (chunk: string | Uint8Array) => void, text: string) => void;

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function run(
  testCase: SpecCase,
  feed: Feed,
): { events: EventStreamMessage[]; lastEventId: string; retry: number | undefined } {
  const events: EventStreamMessage[] = [];
  const decoder = createEventStreamDecoder((e) => events.push(e));
  for (const stream of testCase.streams) {
    feed((chunk) => decoder.push(chunk), stream);
    decoder.end();
  }
  return { events, lastEventId: decoder.lastEventId, retry: decoder.retry };
}

const feeds: [string, (text: string) => Feed[]][] = [
  ['whole string', () => [(push, t) => push(t)]],
  ['whole bytes', () => [(push, t) => push(utf8(t))]],
  [
    'char by char',
    () => [
      (push, t) => {
        for (const c of t) push(c);
      },
    ],
  ],
  ['byte by byte', () => [(push, t) => utf8(t).forEach((b) => push(Uint8Array.of(b)))]],
  [
    'split at every char',
    (text) =>
      Array.from({ length: text.length + 1 }, (_, i): Feed => (push, t) => {
        push(t.slice(0, i));
        push(t.slice(i));
      }),
  ],
  [
    'split at every byte',
    (text) =>
      Array.from({ length: utf8(text).length + 1 }, (_, i): Feed => (push, t) => {
        const bytes = utf8(t);
        push(bytes.subarray(0, i));
        push(bytes.subarray(i));
      }),
  ],
];

describe('createEventStreamDecoder: WHATWG cases', () => {
  for (const testCase of SPEC_CASES) {
    it(testCase.name, () => {
      const longest = testCase.streams.reduce((a, s) => (s.length > a.length ? s : a), '');
      for (const [how, make] of feeds) {
        for (const feed of make(longest)) {
          const got = run(testCase, feed);
          assert.deepEqual(got.events, testCase.events, `${how}: events`);
          assert.equal(
            got.lastEventId,
            testCase.lastEventId ?? got.events.at(-1)?.lastEventId ?? '',
            `${how}: lastEventId`,
          );
          assert.equal(got.retry, testCase.retry, `${how}: retry`);
        }
      }
    });
  }
});

describe('createEventStreamDecoder: streaming behaviour', () => {
  it('dispatches a CR-terminated event as soon as the CR arrives', () => {
    const events: string[] = [];
    const decoder = createEventStreamDecoder((e) => events.push(e.data));
    decoder.push('data: now\r\r');
    assert.deepEqual(events, ['now']);
  });

  it('keeps the last event id across streams and sends it on', () => {
    const decoder = createEventStreamDecoder(() => undefined);
    decoder.push('id: 41\ndata: x\n\n');
    decoder.end();
    decoder.push('data: y\n\n');
    assert.equal(decoder.lastEventId, '41');
  });

  it('does not commit an id from an event cut off by the end of the stream', () => {
    const decoder = createEventStreamDecoder(() => undefined);
    decoder.push('id: 1\ndata: a\n\nid: 2\ndata: b\n');
    decoder.end();
    decoder.push('data: c\n\n');
    assert.equal(decoder.lastEventId, '1');
  });

  it('strips a BOM at the start of each stream, never in the middle', () => {
    const events: string[] = [];
    const decoder = createEventStreamDecoder((e) => events.push(e.data));
    decoder.push('\uFEFFdata: a\n\n\uFEFFdata: b\n\n');
    decoder.end();
    decoder.push(Uint8Array.of(0xef, 0xbb, 0xbf));
    decoder.push('data: c\n\n');
    assert.deepEqual(events, ['a', 'c']);
  });

  it('reports comments (heartbeats) to onComment', () => {
    const comments: string[] = [];
    const decoder = createEventStreamDecoder(() => undefined, { onComment: (c) => comments.push(c) });
    decoder.push(': ping\n\n:x\n');
    assert.deepEqual(comments, ['ping', 'x']);
  });

  // Its cost per byte is measured by bench/ (B2: linear in the input, k = growth exponent), not timed here.
  it('decodes a stream of 10 000 events, each dispatched as soon as its frame is complete, holding nothing back', () => {
    let n = 0;
    let last: { type: string; data: string; lastEventId: string } | undefined;
    const decoder = createEventStreamDecoder((event) => {
      n++;
      last = event;
    });
    for (let i = 1; i <= 10_000; i++) {
      const frame = `id: ${i}\nevent: token\ndata: {"type":"token","content":"hello ${i}"}\n\n`;
      // Split each frame, so partial lines are carried over between pushes every time.
      decoder.push(frame.slice(0, 17));
      assert.equal(n, i - 1, 'nothing is dispatched before the frame is complete');
      decoder.push(frame.slice(17));
      assert.equal(n, i, `event ${i} is dispatched by the push that completes it`);
      assert.deepEqual(last, {
        type: 'token',
        data: `{"type":"token","content":"hello ${i}"}`,
        lastEventId: String(i),
      });
    }
  });
});
