/**
 * Event-stream cases from the WHATWG HTML standard ("Interpreting an event stream") and the
 * cases fetch-event-source gets wrong, shared by the Node and browser decoder tests.
 * Each case lists one or more consecutive streams (the decoder is ended after each) and what a
 * browser EventSource dispatches for them.
 */
import type { EventStreamMessage } from '../../src/transports/event-stream-decoder.ts';

/** One spec case. */
export interface SpecCase {
  name: string;
  /** Consecutive streams (reconnects); the decoder's `end()` is called after each. */
  streams: string[];
  /** Dispatched events, in order. */
  events: EventStreamMessage[];
  /** The decoder's lastEventId at the end (defaults to the last event's). */
  lastEventId?: string;
  /** The decoder's retry at the end. */
  retry?: number;
}

const msg = (data: string, lastEventId = '', type = 'message'): EventStreamMessage => ({ type, data, lastEventId });

/** The cases. */
export const SPEC_CASES: SpecCase[] = [
  { name: 'a simple message', streams: ['data: hello\n\n'], events: [msg('hello')] },
  {
    name: 'the space after the colon is optional, and only one is removed',
    streams: ['data:a\n\ndata:  b\n\n'],
    events: [msg('a'), msg(' b')],
  },
  { name: 'data lines join with LF', streams: ['data: a\ndata: b\ndata\n\n'], events: [msg('a\nb\n')] },
  { name: 'a bare `data` line dispatches an empty message', streams: ['data\n\n'], events: [msg('')] },
  { name: 'an empty `data:` dispatches an empty message', streams: ['data:\n\n'], events: [msg('')] },
  {
    name: 'blocks without data are not dispatched (heartbeat comments, lone event names)',
    streams: [': ping\n\nevent: x\n\n\n\ndata: y\n\n'],
    events: [msg('y')],
  },
  {
    name: 'the event type defaults to message and resets after each dispatch',
    streams: ['event: status\ndata: 1\n\ndata: 2\n\n'],
    events: [msg('1', '', 'status'), msg('2')],
  },
  { name: 'an empty event name means message', streams: ['event:\ndata: 1\n\n'], events: [msg('1')] },
  {
    name: 'the last event id persists across events',
    streams: ['id: 1\ndata: a\n\ndata: b\n\n'],
    events: [msg('a', '1'), msg('b', '1')],
  },
  {
    name: 'an id-only block updates the last event id',
    streams: ['data: a\n\nid: 7\n\ndata: b\n\n'],
    events: [msg('a'), msg('b', '7')],
  },
  {
    name: 'an id containing NUL is ignored (the earlier id stays)',
    streams: ['id: 1\ndata: a\n\nid: 2\u0000x\ndata: b\n\n'],
    events: [msg('a', '1'), msg('b', '1')],
  },
  {
    name: 'a NUL id after a valid one in the same block keeps the valid one',
    streams: ['id: 3\nid: \u0000\ndata: a\n\n'],
    events: [msg('a', '3')],
  },
  {
    name: 'an empty id resets the last event id',
    streams: ['id: 1\ndata: a\n\nid\ndata: b\n\n'],
    events: [msg('a', '1'), msg('b', '')],
  },
  {
    name: 'the last event id persists across streams (reconnects)',
    streams: ['id: 5\ndata: a\n\n', 'data: b\n\n'],
    events: [msg('a', '5'), msg('b', '5')],
  },
  {
    name: 'an id in an unfinished block is not committed',
    streams: ['id: 5\ndata: a\n\nid: 6\n', 'data: b\n\n'],
    events: [msg('a', '5'), msg('b', '5')],
  },
  { name: 'retry with only digits is taken', streams: ['retry: 1500\n\n'], events: [], retry: 1500 },
  {
    name: 'retry with anything but digits is ignored',
    streams: ['retry: 1000x\nretry: -1\nretry: 1.5\nretry:  20\nretry:\nretry: \n\n'],
    events: [],
  },
  {
    name: 'a later valid retry wins',
    streams: ['retry: 10\nretry: bad\nretry: 20\ndata: x\n\n'],
    events: [msg('x')],
    retry: 20,
  },
  { name: 'one BOM is stripped at the start of the stream', streams: ['\uFEFFdata: a\n\n'], events: [msg('a')] },
  {
    name: 'a second BOM is part of the first field name',
    streams: ['\uFEFF\uFEFFdata: a\n\ndata: b\n\n'],
    events: [msg('b')],
  },
  {
    name: 'CR, LF and CRLF all end lines',
    streams: ['data: a\rdata: b\r\ndata: c\n\r\ndata: d\r\r'],
    events: [msg('a\nb\nc'), msg('d')],
  },
  {
    name: 'CRLF CRLF is one blank line, not two',
    streams: ['data: a\r\n\r\ndata: b\r\n\r\n'],
    events: [msg('a'), msg('b')],
  },
  { name: 'LF CR is two line endings', streams: ['data: a\n\rdata: b\n\n'], events: [msg('a'), msg('b')] },
  {
    name: 'a partial event at the end of the stream is dropped',
    streams: ['data: a\n\ndata: b\n'],
    events: [msg('a')],
  },
  { name: 'a partial line at the end of the stream is dropped', streams: ['data: a\n\ndata: b'], events: [msg('a')] },
  {
    name: 'comments are ignored wherever they appear',
    streams: [':comment\ndata: a\n: another\ndata: b\n\n'],
    events: [msg('a\nb')],
  },
  {
    name: 'unknown and wrongly cased fields are ignored',
    streams: ['foo: bar\nData: x\ndata : y\ndata: z\n\n'],
    events: [msg('z')],
  },
  { name: 'a line without a colon is a field with an empty value', streams: ['event\ndata\n\n'], events: [msg('')] },
  { name: 'colons after the first belong to the value', streams: ['data: a: b:c\n\n'], events: [msg('a: b:c')] },
  {
    name: 'NUL and non-ASCII characters in data are kept',
    streams: ['data: a\u0000b é 😀 中\n\n'],
    events: [msg('a\u0000b é 😀 中')],
  },
  {
    name: 'JSON data as agentwire sends it',
    streams: ['id: 12\nevent: token\ndata: {"type":"token","seq":12,"content":"Hi"}\n\n'],
    events: [msg('{"type":"token","seq":12,"content":"Hi"}', '12', 'token')],
  },
];
