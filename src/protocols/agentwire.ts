/**
 * `agentwire`: the kit's own protocol (the default), carried by every transport. Its decoders are
 * the ones in src/protocol, which the mock server and the store share.
 */
import { decodeEventsPage, decodeEventText, decodeServerMessage, decodeSnapshot } from '../protocol/index.ts';
import type { WireDecoder, WireProtocol } from './types.ts';

/** agentwire's decoders, as transports call them. */
export const agentwireDecoder: WireDecoder = /* @__PURE__ */ Object.freeze({
  event: (text, hint) => decodeEventText(text, hint),
  serverMessage: (text, hint) => decodeServerMessage(text, hint),
  snapshot: (json, hint) => decodeSnapshot(json, hint),
  eventsPage: (json, hint) => decodeEventsPage(json, hint),
} satisfies WireDecoder);

/** The `agentwire` protocol. */
export const agentwire: WireProtocol = /* @__PURE__ */ Object.freeze({
  kind: 'wire',
  name: 'agentwire',
  decoder: agentwireDecoder,
} as const);
