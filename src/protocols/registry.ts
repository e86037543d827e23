/**
 * The built-in protocols by name, for callers that choose one at runtime (`connectRun`,
 * `startRun`, the `protocol` attribute of `<agent-run>`). `agentwire` is in the core; every other
 * protocol is loaded with `import()` the first time it is named, so a page that only speaks
 * agentwire downloads no other decoder (bundlers split each into a chunk of its own). Importing a
 * protocol's entry point (`agentwire/protocols/ag-ui`) and passing the object bundles it statically.
 */
import { agentwire } from './agentwire.ts';
import { PROTOCOL_NAMES, type Protocol, type ProtocolName } from './types.ts';

/** Every built-in protocol by name, loaded on first use. */
export const PROTOCOLS: Readonly<Record<ProtocolName, () => Promise<Protocol>>> = /* @__PURE__ */ Object.freeze({
  agentwire: () => Promise.resolve(agentwire),
  plain: () => import('./plain/index.ts').then((m) => m.plain),
  'ag-ui': () => import('./ag-ui/index.ts').then((m) => m.agUi),
  'ai-sdk': () => import('./ai-sdk/index.ts').then((m) => m.aiSdk),
  'openai-responses': () => import('./openai-responses/index.ts').then((m) => m.openaiResponses),
});

/** True for the name of a built-in protocol. */
export function isProtocolName(name: unknown): name is ProtocolName {
  return typeof name === 'string' && (PROTOCOL_NAMES as readonly string[]).includes(name);
}

/** A protocol given as itself, or by name (loaded when needed); unknown names are refused. */
export function loadProtocol(protocol: ProtocolName | Protocol): Promise<Protocol> {
  if (typeof protocol !== 'string') return Promise.resolve(protocol);
  if (!isProtocolName(protocol))
    return Promise.reject(
      new TypeError(`unknown protocol ${JSON.stringify(protocol)}; expected one of ${PROTOCOL_NAMES.join(', ')}`),
    );
  return PROTOCOLS[protocol]();
}

/** The protocol, when it can be had without loading anything (an object, or `agentwire`). */
export function protocolNow(protocol: ProtocolName | Protocol | undefined): Protocol | null {
  if (protocol === undefined || protocol === 'agentwire') return agentwire;
  return typeof protocol === 'string' ? null : protocol;
}
