/** agentwire protocols: the contract every protocol fulfils, the registry by name, and the default (`agentwire`). */
export {
  PROTOCOL_NAMES,
  type ProtocolName,
  type Protocol,
  type WireProtocol,
  type WireDecoder,
  type StreamProtocol,
  type StreamSession,
  type SessionContext,
  type StartPlan,
  type StreamOrigin,
  type StreamFrame,
  type NextStep,
  type AnswerPlan,
  type CancelPlan,
  type ProtocolRequest,
  type ProtocolAnswer,
} from './types.ts';
export { agentwire, agentwireDecoder } from './agentwire.ts';
export { PROTOCOLS, isProtocolName, loadProtocol, protocolNow } from './registry.ts';
