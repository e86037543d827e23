/**
 * `agentwire/protocols/plain`: the tutorial dialect of servers that never heard of agentwire (no
 * seq, no run_id; event names as types, field aliases, invented state words; see DESIGN.md,
 * "Compatibility with plain servers"), carried by agentwire's own transports.
 */
import { decodeEventsPage, decodeEventText, decodeServerMessage, decodeSnapshot } from '../../protocol/index.ts';
import type { WireDecoder, WireProtocol } from '../types.ts';

/** The plain dialect's decoders. */
export const plainDecoder: WireDecoder = /* @__PURE__ */ Object.freeze({
  event: (text, hint) => decodeEventText(text, hint),
  serverMessage: (text, hint) => decodeServerMessage(text, hint),
  snapshot: (json, hint) => decodeSnapshot(json, hint),
  eventsPage: (json, hint) => decodeEventsPage(json, hint),
} satisfies WireDecoder);

/** The `plain` protocol. */
export const plain: WireProtocol = /* @__PURE__ */ Object.freeze({
  kind: 'wire',
  name: 'plain',
  decoder: plainDecoder,
} as const);
