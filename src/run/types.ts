/** The framework-agnostic run handle every element and framework binding uses, and the options that make one. */
import type { ReadableAtom, WritableAtom } from 'nanostores';
import type { ToolRenderer } from '../components/agent-log/tool-template.ts';
import type { CreateRunRequest, EndpointPaths } from '../protocol/index.ts';
import type { Protocol, ProtocolName } from '../protocols/types.ts';
import type { RunStore } from '../store/index.ts';
import type { TransportName, TransportOptions } from '../transports/types.ts';
import type { Replies } from './reply-tracker.ts';

/** A live run: its stores, and the actions a user can take on it. */
export interface RunHandle {
  /** The run's id on the server. */
  readonly runId: string;
  /** The transport this handle was opened with. */
  readonly transport: TransportName;
  /** The protocol the run speaks (`agentwire`, `plain`, `ag-ui`, `ai-sdk`, `openai-responses`, or a custom one's name). */
  readonly protocol: string;
  /** The run's stores (lazily connected: the connection opens while anything listens). */
  readonly store: RunStore;
  /** Shortcut for `store.$state`. */
  readonly $state: RunStore['$state'];
  /** True while a connection is held open (someone listens and `disconnect()` was not called). */
  readonly $connected: ReadableAtom<boolean>;
  /** The user's answers and what became of them, by the resume token of the request each answers. */
  readonly $replies: ReadableAtom<Replies>;
  /**
   * Per-tool renderers for every `<agent-log>` showing this run (set them once for a page of logs):
   * `run.$renderers.set({ search_docs: (call) => ... })`. An element's own `renderers` and
   * `<template data-tool>` children win for the tools they name.
   */
  readonly $renderers: WritableAtom<ToolRenderers>;
  /**
   * Answer a pending request with `text` (the first pending one, or the one `resumeToken` names).
   * Resolves when the server took it; rejects with a TransportError (`rejected`, `not_delivered`).
   */
  reply(text: string, options?: ReplyOptions): Promise<void>;
  /** Stop the run on the server (not the same as disconnecting). */
  cancel(): Promise<void>;
  /** Close this client's connection and leave the run going on the server; it stays closed until `reconnect()`. */
  disconnect(): void;
  /** Drop the connection and open it again, resuming where the store left off (also after `disconnect()` or a failure). */
  reconnect(): void;
}

/** Per-tool renderers: a tool's name → `(call: ToolView) => TemplateResult | Node` (see `<agent-log>`). */
export type ToolRenderers = Readonly<Record<string, ToolRenderer>>;

/** Which request an answer is for, and its structured value. */
export interface ReplyOptions {
  /** The resume token of the request answered; the oldest pending request by default. */
  resumeToken?: string;
  /** A structured answer (a form's JSON, an approval's `{approved, reason}`), sent along with the text. */
  value?: unknown;
}

/** Endpoint templates the run API uses: the transports' plus the chat-style POST start. */
export interface RunPaths extends EndpointPaths {
  /** `POST` starts a run and answers with its event stream (header `X-Run-Id`). */
  streamStart: string;
}

/** Options of `connectRun`: the transport's options (all but the sink and signal, which the handle owns), and the run's. */
export interface ConnectRunOptions extends Omit<TransportOptions, 'sink' | 'signal' | 'initialResponse' | 'decoder'> {
  /** Which transport carries the run; `auto` by default. Stream protocols (`ag-ui`, `ai-sdk`, `openai-responses`) bring their own HTTP streams and take `auto` or `sse`. */
  transport?: TransportName;
  /**
   * The protocol the backend speaks: `agentwire` (default), `plain`, `ag-ui`, `ai-sdk`,
   * `openai-responses` — by name (loaded on first use), or the protocol object imported from
   * `agentwire/protocols/<name>` (bundled statically).
   */
  protocol?: ProtocolName | Protocol;
  /** Wait this long for a missing seq (out-of-order arrival) before rebuilding from a snapshot, ms. Default 5000. */
  gapTimeoutMs?: number;
  /** Use this store instead of a new one. */
  store?: RunStore;
}

/** Options of `createRun`. */
export interface CreateRunOptions {
  /** Origin (and optional path prefix) of the backend. */
  baseUrl: string;
  /** The body of `POST /api/runs` (scenario, prompt, ...). */
  body?: CreateRunRequest | Record<string, unknown>;
  /** Endpoint templates (`runs`, `streamStart`). */
  paths?: Partial<RunPaths>;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Options of `startRun`: create a run, then connect it. */
export interface StartRunOptions extends CreateRunOptions, Omit<ConnectRunOptions, 'runId' | 'paths'> {
  /** Chat-style start: one POST to `streamStart` both starts the run and streams it (SSE transport only). */
  stream?: boolean;
}
