import { ContextProvider } from '@lit/context';
import { html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { AgentwireElement } from '../agentwire-element.ts';
import { runContext } from '../../context/run-context.ts';
import type { EndpointPaths } from '../../protocol/index.ts';
import type { ProtocolName } from '../../protocols/types.ts';
import { connectRun } from '../../run/index.ts';
import type { RunHandle } from '../../run/types.ts';
import { TRANSPORTS, type TransportName, type WireTap } from '../../transports/index.ts';
import { styles } from './agent-run.styles.ts';

/** The endpoint paths settable by attribute, and their attribute names. */
const PATH_ATTRIBUTES = {
  snapshot: 'snapshotPath',
  events: 'eventsPath',
  stream: 'streamPath',
  tokens: 'tokensPath',
  socket: 'socketPath',
  input: 'inputPath',
  cancel: 'cancelPath',
} as const satisfies Partial<Record<keyof EndpointPaths, keyof AgentRun>>;

/**
 * Connects one run and hands it to every agentwire element inside, through `@lit/context`: they
 * all share this one connection, and two `<agent-run>`s on a page are fully isolated. Give it a
 * backend (`base-url`, same origin when empty), a `run-id` and a `transport`; endpoint paths of
 * a plain server can be set with `paths` or the `*-path` attributes (`{id}` is replaced by the
 * run id). `protocol` names what the backend speaks (`agentwire`, `plain`, `ag-ui`, `ai-sdk`,
 * `openai-responses`; anything but `agentwire` is loaded when first used). Or hand it a ready
 * handle with `.run` (from `connectRun`/`startRun`), which wins.
 *
 * The connection is lazy: it opens while an element inside shows the run, and closes when none
 * does. Replacing the run (another id, transport or path) disconnects the previous one.
 *
 * @tag agent-run
 * @summary Connects a run and shares it with the agentwire elements inside.
 *
 * @slot - The elements that show the run: `<run-progress>`, `<token-stream>`, `<agent-log>`, `<approval-prompt>`, or any layout around them.
 */
export class AgentRun extends AgentwireElement {
  static override styles = styles;

  private readonly provider = new ContextProvider(this, { context: runContext });

  /** Origin (and optional path prefix) of the backend; empty means this page's origin. */
  @property({ attribute: 'base-url' }) baseUrl = '';

  /** The run to connect; nothing connects until it is set. */
  @property({ attribute: 'run-id' }) runId = '';

  /** Which transport carries the run: `auto` (default), `sse`, `websocket`, `hybrid` or `poll`. An unknown name means `auto`. */
  @property() transport: TransportName = 'auto';

  /**
   * The protocol the backend speaks: `agentwire` (default), `plain`, `ag-ui`, `ai-sdk` or
   * `openai-responses`. An unknown name shows as a failed connection naming the known ones.
   */
  @property() protocol: ProtocolName = 'agentwire';

  /** Endpoint templates (`{id}` = run id), merged over agentwire's defaults; the `*-path` attributes win over it. */
  @property({ attribute: false }) paths?: Partial<EndpointPaths>;

  /** Path of the snapshot endpoint (`GET`), e.g. `/api/tasks/{id}`. */
  @property({ attribute: 'snapshot-path' }) snapshotPath?: string;

  /** Path of the events endpoint used for polling (`GET ?after=N`). */
  @property({ attribute: 'events-path' }) eventsPath?: string;

  /** Path of the SSE stream with every event, e.g. `/api/tasks/{id}/stream`. */
  @property({ attribute: 'stream-path' }) streamPath?: string;

  /** Path of the SSE token stream (hybrid token plane). */
  @property({ attribute: 'tokens-path' }) tokensPath?: string;

  /** Path of the WebSocket, e.g. `/ws/agent/{id}`. */
  @property({ attribute: 'socket-path' }) socketPath?: string;

  /** Path answers are posted to (`POST {text, resume_token}`). */
  @property({ attribute: 'input-path' }) inputPath?: string;

  /** Path that cancels the run (`POST`). */
  @property({ attribute: 'cancel-path' }) cancelPath?: string;

  /** Extra query parameters on every connection URL. */
  @property({ attribute: false }) query?: Record<string, string>;

  /** Polling: the delay between polls that brought nothing, in ms (a plain task API is polled faster in its first seconds). */
  @property({ attribute: 'poll-interval', type: Number }) pollInterval?: number;

  /** Polling: how long the server may hold a request for new events (long-polling), in seconds; 0 turns it off. */
  @property({ attribute: 'poll-wait', type: Number }) pollWait?: number;

  /** A ready run handle to provide instead of connecting one from the attributes. */
  @property({ attribute: false }) run?: RunHandle;

  /** Observes the wire of the run connected from the attributes (`<agent-inspector for>` sets it); a change reconnects, keeping what is shown. */
  @property({ attribute: false }) tap?: WireTap;

  private own: { key: string; handle: RunHandle; tap: WireTap | undefined } | null = null;

  /** The handle provided to the elements inside: `.run`, or the one connected from the attributes. */
  get handle(): RunHandle | undefined {
    return this.run ?? this.own?.handle;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.run) this.release();
    else this.connectOwn();
    if (this.provider.value !== this.handle) this.provider.setValue(this.handle);
  }

  /** Connect (lazily) from the attributes, replacing a previous connection when they changed. */
  private connectOwn(): void {
    const paths: Partial<EndpointPaths> = { ...this.paths };
    for (const key of Object.keys(PATH_ATTRIBUTES) as (keyof typeof PATH_ATTRIBUTES)[]) {
      const value = this[PATH_ATTRIBUTES[key]];
      if (value) paths[key] = value;
    }
    const transport: TransportName = Object.hasOwn(TRANSPORTS, this.transport) ? this.transport : 'auto';
    const poll = {
      ...(validNumber(this.pollInterval, 0) && { intervalMs: this.pollInterval }),
      ...(validNumber(this.pollWait, 0) && { waitS: this.pollWait }),
    };
    const options = {
      baseUrl: this.baseUrl,
      runId: this.runId,
      transport,
      protocol: this.protocol,
      paths,
      ...(this.query && { query: { ...this.query } }),
      ...(Object.keys(poll).length > 0 && { poll }),
    };
    const key = JSON.stringify(options);
    if (this.own?.key === key && this.own.tap === this.tap) return;
    // Only the tap changed: the same run goes on in the same store, resuming after what it shows.
    const store = this.own?.key === key ? this.own.handle.store : undefined;
    this.release();
    const tap = this.tap;
    if (this.runId)
      this.own = { key, tap, handle: connectRun({ ...options, ...(tap && { tap }), ...(store && { store }) }) };
  }

  /** Disconnect the run this element connected itself (a handle given with `.run` is the caller's). */
  private release(): void {
    this.own?.handle.disconnect();
    this.own = null;
  }

  protected override render(): unknown {
    return html`<slot></slot>`;
  }
}

/** True for a finite number of at least `min` (attributes that do not parse are ignored). */
function validNumber(value: number | undefined, min: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min;
}
