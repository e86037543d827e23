/** Encoders for the wire: SSE frames and WebSocket messages. The mock server sends nothing else. */
import type { ClientCommand, ControlMessage, RunEvent } from './types.ts';

/**
 * One SSE frame for an event: `id: <seq>`, `event: <type>`, `data: <json>`.
 * JSON.stringify escapes line breaks, so the data is always a single line; line breaks in an
 * unknown event's type name become spaces on the `event:` line (the JSON keeps the name as is).
 */
export function encodeSseEvent(event: RunEvent): string {
  const id = event.seq === undefined ? '' : `id: ${event.seq}\n`;
  // An unknown type name is untrusted text: a line break in it would let it inject fields or frames.
  const name = event.type === 'unknown' ? event.event_type.replace(/[\r\n]+/g, ' ') : event.type;
  return `${id}event: ${name}\ndata: ${encodeEventJson(event)}\n\n`;
}

/**
 * The JSON object of an event as it travels: known events as they are; an `unknown` event as the
 * raw object it was decoded from, so decoding the wire form gives the same event back. Use it
 * wherever events are nested in JSON (snapshot `log`, events pages).
 */
export function toWireEvent(event: RunEvent): object {
  if (event.type !== 'unknown') return event;
  const data =
    typeof event.data === 'object' && event.data !== null && !Array.isArray(event.data)
      ? event.data
      : { value: event.data };
  return { ...data, type: event.event_type, run_id: event.run_id, seq: event.seq };
}

/** The JSON text of an event as sent on the wire (see `toWireEvent`). */
export function encodeEventJson(event: RunEvent): string {
  return JSON.stringify(toWireEvent(event));
}

/** An SSE comment line (`: text`), used as a heartbeat; ignored by every conforming client. */
export function encodeSseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

/** An SSE `retry:` field telling clients how long to wait before reconnecting. */
export function encodeSseRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.floor(ms))}\n\n`;
}

/** One WebSocket text message for a server event, a control message or a client command. */
export function encodeWsMessage(message: RunEvent | ControlMessage | ClientCommand): string {
  return message.type === 'unknown' ? encodeEventJson(message) : JSON.stringify(message);
}
