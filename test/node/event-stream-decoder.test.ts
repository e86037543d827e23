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

function run(testCase: SpecCase, feed: Feed): { events: EventStreamMessage[]; lastEventId: string; retry: number | undefined } {
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
  ['char by char', () => [(push, t) => [...t].forEach((c) => push(c))]],
  ['byte by byte', () => [(push, t) => utf8(t).forEach((b) => push(Uint8Array.of(b)))]],
  [
    'split at every char',
    (text) => Array.from({ length: text.length + 1 }, (_, i): Feed => (push, t) => (push(t.slice(0, i)), push(t.slice(i)))),
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
          assert.equal(got.lastEventId, testCase.lastEventId ?? got.events.at(-1)?.lastEventId ?? '', `${how}: lastEventId`);
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
    const decoder = createEventStreamDecoder(() => {});
    decoder.push('id: 41\ndata: x\n\n');
    decoder.end();
    decoder.push('data: y\n\n');
    assert.equal(decoder.lastEventId, '41');
  });

  it('does not commit an id from an event cut off by the end of the stream', () => {
    const decoder = createEventStreamDecoder(() => {});
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
    const decoder = createEventStreamDecoder(() => {}, { onComment: (c) => comments.push(c) });
    decoder.push(': ping\n\n:x\n');
    assert.deepEqual(comments, ['ping', 'x']);
  });

  it('decodes a stream of 10 000 events in linear time', () => {
    let n = 0;
    const decoder = createEventStreamDecoder(() => n++);
    const frame = 'id: 1\nevent: token\ndata: {"type":"token","content":"hello"}\n\n';
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) decoder.push(frame);
    assert.equal(n, 10_000);
    assert.ok(performance.now() - started < 2_000);
  });
});
