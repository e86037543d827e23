import { ContextProvider } from '@lit/context';
import { html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { AgentwireElement } from '../agentwire-element.ts';
import { runContext } from '../../context/run-context.ts';
import type { EndpointPaths } from '../../protocol/index.ts';
import { conversationContext } from '../../context/conversation-context.ts';
import { StoreController } from '../../controllers/store-controller.ts';
import type { ProtocolName } from '../../protocols/types.ts';
import { connectRun, createConversation, type Conversation } from '../../run/index.ts';
import type { ConnectRunOptions, RunHandle, ToolRenderers } from '../../run/types.ts';
import type { ThreadStore } from '../../run/thread-store.ts';
import { TRANSPORTS, type TransportName, type WireTap } from '../../transports/index.ts';
import { styles } from './agent-run.styles.ts';
import { RunStartEvent } from './events.ts';

/** The endpoint paths settable by attribute, and their attribute names. */
const PATH_ATTRIBUTES = {
  snapshot: 'snapshotPath',
  events: 'eventsPath',
  stream: 'streamPath',
  tokens: 'tokensPath',
  socket: 'socketPath',
  input: 'inputPath',
  cancel: 'cancelPath',
  thread: 'threadPath',
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
 * A conversation: a `<run-composer>` inside sends the user's message as a new run in the thread
 * (`thread-id`, made up when empty), through the run API; the provider switches to that run and
 * `<token-stream>` keeps the earlier turns above it. With `thread-id` set on load, the thread's
 * past turns are restored from the backend, and a run of it that has not ended is connected; or,
 * with `threadStore`, from a store the host provides (localStorage, IndexedDB, its own API).
 *
 * @slot - The elements that show the run: `<run-progress>`, `<token-stream>`, `<agent-log>`, `<approval-prompt>`, `<run-composer>`, or any layout around them.
 *
 * @fires {RunStartEvent} run-start - A message sent in the conversation started a run (now the provided one); `event.threadId` is the thread to keep for a reload.
 */
export class AgentRun extends AgentwireElement {
  static override styles = styles;

  private readonly provider = new ContextProvider(this, { context: runContext });
  private readonly conversationProvider = new ContextProvider(this, { context: conversationContext });

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

  /**
   * Per-tool renderers for every `<agent-log>` inside, set on each run this element provides (its
   * `$renderers`), so the runs a conversation starts later get them too. A log's own `renderers`
   * win for the tools they name.
   */
  @property({ attribute: false }) renderers?: ToolRenderers;

  /** Observes the wire of the run connected from the attributes (`<agent-inspector for>` sets it); a change reconnects, keeping what is shown. */
  @property({ attribute: false }) tap?: WireTap;

  /** The conversation (thread) the runs started here belong to; set on load, its past turns are restored from the backend (`GET` the `thread-path`). Made up at the first message when empty. */
  @property({ attribute: 'thread-id', reflect: true }) threadId = '';

  /** Path of the thread history endpoint (`GET`, `{id}` = thread id), e.g. `/api/threads/{id}`. */
  @property({ attribute: 'thread-path' }) threadPath?: string;

  /**
   * Where the conversation's turns are kept when the backend has no thread endpoint (e.g.
   * `localStorageThreadStore()`, or the host's own): `thread-id` restores from it instead of the
   * backend, and the turns are saved to it as messages are sent and runs end.
   */
  @property({ attribute: false }) threadStore?: ThreadStore;

  /** Fields sent with every message in the create body (e.g. `{ scenario: 'chat' }`); `prompt` and `thread_id` are the conversation's. */
  @property({ attribute: false }) body?: Record<string, unknown>;

  private own: { key: string; handle: RunHandle; tap: WireTap | undefined } | null = null;
  private conversation: {
    key: string;
    value: Conversation;
    stop: () => void;
    threadStore: ThreadStore | undefined;
  } | null = null;
  /** Follows the conversation's current run (a message sent switches the provided run). */
  private readonly current = new StoreController<RunHandle | undefined>(this);

  /** The handle provided to the elements inside: `.run`, else the conversation's current run (the last sent or restored), else the one connected from `run-id`. */
  get handle(): RunHandle | undefined {
    return this.run ?? this.conversation?.value.$run.get() ?? this.own?.handle;
  }

  /** The conversation provided to the elements inside (`<run-composer>` sends through it). */
  get thread(): Conversation | undefined {
    return this.conversation?.value;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.run) this.release();
    else this.connectOwn();
    this.syncConversation();
    const handle = this.handle;
    if (this.renderers && handle && handle.$renderers.get() !== this.renderers) handle.$renderers.set(this.renderers);
    if (this.provider.value !== handle) this.provider.setValue(handle);
    if (this.conversationProvider.value !== this.thread) this.conversationProvider.setValue(this.thread);
  }

  /** Send a user message in the conversation (as `<run-composer>` does): starts a run in the thread, which becomes the provided run. */
  send(text: string, body?: Record<string, unknown>): Promise<RunHandle> {
    this.syncConversation();
    return this.conversation!.value.send(text, body);
  }

  /** How runs are connected, from the attributes (everything but the run id). */
  private connectionOptions(): Omit<ConnectRunOptions, 'runId'> & { paths: Partial<EndpointPaths> } {
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
    return {
      baseUrl: this.baseUrl,
      transport,
      protocol: this.protocol,
      paths,
      ...(this.query && { query: { ...this.query } }),
      ...(Object.keys(poll).length > 0 && { poll }),
    };
  }

  /** Connect (lazily) from the attributes, replacing a previous connection when they changed. */
  private connectOwn(): void {
    const { baseUrl, ...rest } = this.connectionOptions();
    const options = { baseUrl, runId: this.runId, ...rest };
    const key = JSON.stringify(options);
    if (this.own?.key === key && this.own.tap === this.tap) return;
    // Only the tap changed: the same run goes on in the same store, resuming after what it shows.
    const store = this.own?.key === key ? this.own.handle.store : undefined;
    this.release();
    const tap = this.tap;
    if (this.runId)
      this.own = { key, tap, handle: connectRun({ ...options, ...(tap && { tap }), ...(store && { store }) }) };
  }

  /**
   * Keep the conversation that matches the attributes: a new one (restoring `thread-id` from the
   * backend) when the backend, transport, paths or thread changed. A thread id the conversation
   * made up itself (on its first send) is written back to `threadId` without starting over.
   */
  private syncConversation(): void {
    const options = { ...this.connectionOptions(), ...(this.body && { body: { ...this.body } }) };
    const key = JSON.stringify({ ...options, threadId: this.threadId });
    const threadStore = this.threadStore;
    if (this.conversation?.key === key && this.conversation.threadStore === threadStore) return;
    this.conversation?.stop();
    this.conversation?.value.dispose();
    const value = createConversation({
      ...options,
      ...(this.threadId && { threadId: this.threadId }),
      ...(threadStore && { threadStore }),
    });
    const stop = value.onStart((run) => {
      if (this.threadId !== value.threadId) {
        this.threadId = value.threadId;
        if (this.conversation?.value === value)
          this.conversation.key = JSON.stringify({ ...options, threadId: value.threadId });
      }
      this.dispatchEvent(new RunStartEvent(run, value.threadId));
    });
    this.conversation = { key, value, stop, threadStore };
    this.current.store = value.$run;
    if (this.threadId) void value.restore();
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
