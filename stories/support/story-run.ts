/**
 * `<story-run>`: the stories' live-run harness (not part of agentwire). It starts a fresh run on
 * the mock server mounted into Storybook (`createRun`, base URL = this page's origin) whenever it
 * is rendered or its options change, hands the run to the agentwire elements inside it —
 * `runId`, `transport` and `query` to every `<agent-run>`, a `connectRun` handle as `.run` to
 * elements used alone — and lets it go when the story unmounts (the POST is aborted, every
 * connection closed; the run itself plays on to its end on the server).
 *
 * With a `protocol` other than agentwire (`ag-ui`, `ai-sdk`, `openai-responses`) the run is
 * started with `startRun` on the mock's route for that protocol (stories/support/backends.ts) and
 * handed over as `.run`; the check then compares the text shown with what the route's scenario
 * says (`GET /protocols/…/transcripts/:scenario`).
 *
 * A bar above the elements names the run and its state, and offers: a new run, dropping every
 * open connection of the mock server (`POST /api/_dev/drop-connections`), and a check of the
 * text shown against the server's snapshot (`GET /api/runs/:id`). When no backend answers (the
 * static build served without the mock), it says so instead of waiting.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AgentRun } from '../../src/components/agent-run/agent-run.ts';
import type { TokenStream } from '../../src/components/token-stream/token-stream.ts';
import { plainText, renderMarkdown } from '../../src/markdown/index.ts';
import { DEFAULT_PATHS, endpointUrl, type RunSnapshot } from '../../src/protocol/index.ts';
import { connectRun, createRun, DEFAULT_RUN_PATHS, startRun, type RunHandle } from '../../src/run/index.ts';
import type { ProtocolName } from '../../src/protocols/types.ts';
import { messageTexts, type ConnectionState, type RunStatus } from '../../src/store/index.ts';
import { buttonStyles, tokens } from '../../src/styles/tokens.ts';
import type { TransportName } from '../../src/transports/index.ts';
import { DROP_CONNECTIONS_PATH } from '../../mock-server/dev-routes.ts';
import { TRANSCRIPT_PATHS, type Transcript } from '../../mock-server/protocols/transcript.ts';
import { BACKENDS, checkTranscript, frameDelay, isBackendProtocol, type BackendProtocol } from './backends.ts';
import { barStyles } from './bar-styles.ts';

/** Where the harness stands: creating the run, following it, settled (ended or waiting for an answer), or stuck. */
export type StoryRunPhase = 'starting' | 'live' | 'settled' | 'error';

/** The outcome of comparing the text shown with the server's snapshot. */
export interface CheckResult {
  /** True when nothing was lost, doubled or reordered. */
  ok: boolean;
  /** What was found, in a sentence or two. */
  text: string;
}

/** The agentwire elements that show a run, and can be given one with `.run`. */
const VIEW_TAGS = ['run-progress', 'token-stream', 'agent-log', 'approval-prompt'] as const;
type RunView = HTMLElement & { run?: RunHandle | undefined };

const SETTLED: readonly RunStatus[] = ['done', 'failed', 'cancelled', 'waiting'];

const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));
const plural = (n: number, word: string): string => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

/** Where two texts first differ, quoted briefly around that point. */
function firstDifference(shown: string, server: string): string {
  let i = 0;
  while (i < shown.length && i < server.length && shown[i] === server[i]) i++;
  const around = (s: string): string => JSON.stringify(s.slice(Math.max(0, i - 12), i + 12));
  return `at character ${i.toLocaleString('en')}: shown ${around(shown)}, server ${around(server)}`;
}

export class StoryRun extends LitElement {
  static override styles = [
    tokens,
    buttonStyles,
    barStyles,
    css`
      .summary {
        flex: 1 1 16rem;
        margin: 0;
      }
      code {
        font-family: var(--_aw-font-mono);
        color: var(--_aw-text);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: calc(var(--_aw-space) * 0.75);
      }
      .note {
        flex-basis: 100%;
        margin: 0;
        color: var(--_aw-text);
      }
      .note:empty,
      .error:not([data-shown]) {
        display: none;
      }
      .note[data-ok='false'],
      .error {
        color: var(--_aw-danger);
      }
      .error {
        margin: 0 0 var(--_aw-space);
        padding: var(--_aw-space);
        border: 1px solid currentColor;
        border-radius: var(--_aw-radius);
        font-weight: 600;
      }
    `,
  ];

  /** Scenario the mock server plays (`quick`, `agent`, `long`, `failing`, `approvals`, ...). */
  @property() scenario = 'agent';

  /** Pacing: 1 is realistic, 2 twice as fast, 0 as fast as possible. */
  @property({ type: Number }) speed = 1;

  /** Seed of the scenario's randomness (the mock's default when unset). */
  @property({ type: Number }) seed?: number;

  /** When set, the agent's questions expire after this many milliseconds. */
  @property({ type: Number, attribute: 'approval-timeout-ms' }) approvalTimeoutMs?: number;

  /** Transport the run is shown over. */
  @property() transport: TransportName = 'auto';

  /** What the backend speaks: `agentwire` (the mock's runs), or a protocol one of its protocol routes plays. */
  @property({ reflect: true }) protocol: ProtocolName = 'agentwire';

  /** Extra query parameters on every connection URL: the mock server's fault switches. */
  @property({ attribute: false }) query: Record<string, string> = {};

  /** Backend origin; empty = this page (the mock server is mounted into Storybook). */
  @property({ attribute: 'base-url' }) baseUrl = '';

  /** Where runs are started (`POST`); `/plain/tasks` for the plain dialect. */
  @property({ attribute: 'runs-path' }) runsPath = DEFAULT_RUN_PATHS.runs;

  /** Hide the "Check against server" button (a plain server has no snapshot with texts). */
  @property({ type: Boolean, attribute: 'no-check' }) noCheck = false;

  /** Where the harness stands, reflected (the smoke test waits on it). */
  @property({ reflect: true }) phase: StoryRunPhase = 'starting';

  @state() private runId = '';
  @state() private status: RunStatus = 'idle';
  @state() private connection: ConnectionState | null = null;
  @state() private note: CheckResult | null = null;
  @state() private error = '';
  /** The error is that no backend answered: say where one runs. */
  @state() private needsBackend = false;

  private key = '';
  private abort: AbortController | null = null;
  /** The handle of elements used alone (this harness connected it). */
  private own: RunHandle | null = null;
  /** The handle the bar follows: an `<agent-run>`'s, or `own`. */
  private followed: RunHandle | null = null;
  private unsubscribe: (() => void) | null = null;

  /** The run handle shown (for scripts and the smoke test). */
  get handle(): RunHandle | null {
    return this.followed;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved or re-attached: start over on the next update.
    this.key = '';
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.release();
    this.key = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const key = JSON.stringify([
      this.scenario,
      this.speed,
      this.seed,
      this.approvalTimeoutMs,
      this.transport,
      this.protocol,
      this.query,
      this.baseUrl,
      this.runsPath,
    ]);
    if (key !== this.key && this.isConnected) {
      this.key = key;
      void this.start();
    }
  }

  /** Start a fresh run (what "New run" does). */
  async start(): Promise<void> {
    this.release();
    const abort = new AbortController();
    this.abort = abort;
    this.phase = 'starting';
    this.runId = '';
    this.status = 'idle';
    this.connection = null;
    this.note = null;
    this.error = '';
    this.needsBackend = false;
    if (isBackendProtocol(this.protocol)) {
      await this.startBackend(this.protocol, abort);
      return;
    }
    const body: Record<string, unknown> = { scenario: this.scenario, speed: this.speed };
    if (this.seed !== undefined) body['seed'] = this.seed;
    if (this.approvalTimeoutMs !== undefined) body['approval_timeout_ms'] = this.approvalTimeoutMs;
    const where = endpointUrl(this.baseUrl, this.runsPath, '');
    let runId: string;
    try {
      runId = await createRun({ baseUrl: this.baseUrl, paths: { runs: this.runsPath }, body, signal: abort.signal });
    } catch (error) {
      if (abort.signal.aborted) return;
      const reason = error instanceof Error ? error.message : String(error);
      this.phase = 'error';
      this.error = `No run could be started at ${where.href} (${reason}).`;
      this.needsBackend = true;
      return;
    }
    if (abort.signal.aborted) return;
    this.runId = runId;
    this.phase = 'live';
    await this.hand(runId);
  }

  /** Start a run on the mock's route for `protocol` and hand it to every element inside as `.run`. */
  private async startBackend(protocol: BackendProtocol, abort: AbortController): Promise<void> {
    const backend = BACKENDS[protocol];
    const origin = this.baseUrl || location.origin;
    let handle: RunHandle;
    try {
      handle = await startRun({
        ...backend.options(origin, this.scenario, frameDelay(this.speed)),
        signal: abort.signal,
      });
    } catch (error) {
      if (abort.signal.aborted) return;
      const reason = error instanceof Error ? error.message : String(error);
      this.phase = 'error';
      this.error = `No ${backend.title} run could be started at ${origin}${backend.prefix} (${reason}).`;
      this.needsBackend = true;
      return;
    }
    if (abort.signal.aborted) {
      handle.disconnect();
      return;
    }
    this.own = handle;
    this.runId = handle.runId;
    this.phase = 'live';
    for (const view of this.querySelectorAll<RunView>(['agent-run', ...VIEW_TAGS].join(',')))
      if (view.localName === 'agent-run' || view.closest('agent-run') === null) view.run = handle;
    this.follow(handle);
  }

  /** Give the run to the elements inside: `<agent-run>`s get its id, elements used alone a handle. */
  private async hand(runId: string): Promise<void> {
    const options = { baseUrl: this.baseUrl, runId, transport: this.transport, query: { ...this.query } };
    const providers = [...this.querySelectorAll<AgentRun>('agent-run')];
    for (const provider of providers) {
      provider.baseUrl = options.baseUrl;
      provider.transport = options.transport;
      provider.query = options.query;
      provider.runId = runId;
    }
    const alone = [...this.querySelectorAll<RunView>(VIEW_TAGS.join(','))].filter(
      (view) => view.closest('agent-run') === null,
    );
    if (alone.length > 0) {
      this.own = connectRun(options);
      for (const view of alone) view.run = this.own;
    }
    await Promise.all(providers.map((provider) => provider.updateComplete));
    if (this.runId !== runId) return;
    this.follow(providers[0]?.handle ?? this.own);
  }

  private follow(handle: RunHandle | null | undefined): void {
    if (!handle) return;
    this.followed = handle;
    this.unsubscribe = handle.$state.subscribe((s) => {
      this.status = s.status;
      this.connection = s.connection;
      if (this.phase === 'starting') return;
      if (s.connection.status === 'failed') {
        this.phase = 'error';
        this.error = `The connection failed${s.connection.error ? `: ${s.connection.error.message}` : ''}. Is the mock server still running? "New run" tries again.`;
      } else {
        this.phase = SETTLED.includes(s.status) ? 'settled' : 'live';
        this.error = '';
      }
    });
  }

  /** Let go of the current run: abort its start, close every connection this harness opened. */
  private release(): void {
    this.abort?.abort();
    this.abort = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.followed = null;
    this.own?.disconnect();
    this.own = null;
    for (const view of this.querySelectorAll<RunView>(VIEW_TAGS.join(',')))
      if (view.closest('agent-run') === null) view.run = undefined;
    for (const provider of this.querySelectorAll<AgentRun>('agent-run')) {
      provider.runId = '';
      provider.run = undefined;
    }
  }

  /** Cut every open connection of the mock server; the kit reconnects and resumes. */
  async dropConnections(): Promise<void> {
    try {
      const response = await fetch(endpointUrl(this.baseUrl, DROP_CONNECTIONS_PATH, ''), { method: 'POST' });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const { dropped } = (await response.json()) as { dropped: number };
      const seq = this.followed?.store.lastSeq ?? 0;
      this.note =
        dropped === 0
          ? {
              ok: true,
              text: `No connection was open at that moment (polling opens one per request, between pauses): nothing to cut.`,
            }
          : {
              ok: true,
              text: `Cut ${plural(dropped, 'open connection')} of the mock server after seq ${seq}; watch the kit reconnect and resume.`,
            };
    } catch (error) {
      this.note = {
        ok: false,
        text: `Could not drop connections: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }

  /**
   * Compare the text shown (the `<token-stream>`'s, else the store's) with the server's snapshot:
   * equal when both are at the same seq, a prefix while the server is ahead.
   */
  async check(): Promise<CheckResult> {
    const handle = this.followed;
    if (!handle) return (this.note = { ok: false, text: 'No run to check yet.' });
    if (isBackendProtocol(this.protocol)) return (this.note = await this.checkBackend(this.protocol, handle));
    // The stream view appends once per frame. Read the store's seq and status first, then let the
    // view catch up with them (two frames), then read what it shows: it shows at least that seq.
    // Read after the frames, an event arriving in the second one (the run's last tokens and its
    // end) counted as shown while the view was still a frame behind (seen once in CI, under load).
    const seq = handle.store.lastSeq;
    const status = handle.$state.get().status;
    await nextFrame();
    await nextFrame();
    const { shown, rendered } = this.shownMessages(handle);
    let snapshot: RunSnapshot;
    try {
      const response = await fetch(endpointUrl(this.baseUrl, DEFAULT_PATHS.snapshot, handle.runId), {
        cache: 'no-store',
      });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      snapshot = (await response.json()) as RunSnapshot;
    } catch (error) {
      return (this.note = {
        ok: false,
        text: `Could not fetch the snapshot: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    // Settled and level with the server: the texts must be equal. Otherwise the server is ahead
    // (and the view may show more than `seq`): what is shown must be the start of its text.
    const ahead = !(SETTLED.includes(status) && snapshot.last_seq === seq);
    const server = new Map(snapshot.messages.map((m) => [m.message_id, m.text]));
    const problems: string[] = [];
    for (const [id, text] of shown) {
      const truth = server.get(id);
      if (truth === undefined) problems.push(`message ${id} is not on the server`);
      else if (ahead ? !truth.startsWith(text) : truth !== text)
        problems.push(`message ${id} differs ${firstDifference(text, truth)}`);
    }
    if (!ahead) for (const id of server.keys()) if (!shown.has(id)) problems.push(`message ${id} is missing`);
    // Markdown is checked on its source text above; once settled, what is shown must also read as
    // the server's text rendered at once (its words: a highlighter may colour the code).
    if (!ahead && rendered)
      for (const [id, element] of rendered) {
        const expected = plainText(renderMarkdown(server.get(id) ?? ''));
        const words = plainText(element);
        if (words !== expected)
          problems.push(`message ${id} is not rendered as its text: ${firstDifference(words, expected)}`);
      }
    const { duplicates, gaps } = handle.store.stats;
    const recovered = `Along the way the store dropped ${plural(duplicates, 'duplicate event')} and saw ${plural(gaps, 'gap')}.`;
    const characters = [...shown.values()].reduce((n, t) => n + t.length, 0);
    const result: CheckResult =
      problems.length === 0
        ? {
            ok: true,
            text:
              `✓ No token lost or doubled: ${plural(shown.size, 'message')} (${plural(characters, 'character')}) ` +
              (ahead
                ? `match the start of the server's text (shown up to seq ${seq}; the server is at ${snapshot.last_seq})`
                : `equal the server's text at seq ${seq}`) +
              `${rendered && !ahead ? ', rendered as markdown as the whole text would be' : ''}. ${recovered}`,
          }
        : { ok: false, text: `✗ The text shown does not match the server: ${problems.join('; ')}. ${recovered}` };
    this.note = result;
    return result;
  }

  /**
   * Compare the messages shown with what the protocol route's scenario says (its transcript): the
   * messages before the approval while it waits, those and the answer's once done, the start of
   * them while it streams.
   */
  private async checkBackend(protocol: BackendProtocol, handle: RunHandle): Promise<CheckResult> {
    await nextFrame();
    await nextFrame();
    // The user's side of the conversation (the request this story sent, shown first by the AI SDK
    // protocol) is not the backend's to say: the assistant's messages are compared.
    const { roles, status } = handle.$state.get();
    const shown = [...this.shownMessages(handle).shown].flatMap(([id, text]) =>
      roles.get(id) === 'user' ? [] : [text],
    );
    const title = BACKENDS[protocol].title;
    let transcript: Transcript;
    try {
      const response = await fetch(endpointUrl(this.baseUrl, TRANSCRIPT_PATHS[protocol], this.scenario), {
        cache: 'no-store',
      });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      transcript = (await response.json()) as Transcript;
    } catch (error) {
      return {
        ok: false,
        text: `Could not fetch the ${title} transcript: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    const result = checkTranscript(shown, transcript, status);
    const characters = shown.reduce((n, t) => n + t.length, 0);
    const whole = status === 'waiting' || status === 'done';
    return result.ok
      ? {
          ok: true,
          text:
            `✓ The text shown is what the ${title} route plays: ${plural(shown.length, 'message')} ` +
            `(${plural(characters, 'character')}) ${whole ? 'equal' : 'match the start of'} the scenario's messages ${result.expected}.`,
        }
      : {
          ok: false,
          text: `✗ The text shown is not what the ${title} route plays (${result.expected}): ${result.problems.join('; ')}.`,
        };
  }

  /**
   * Messages as the visitor sees them: the token stream's text when there is one, else the store's.
   * A markdown token stream shows rendered text: its source is the store's, and `rendered` holds
   * the message elements, checked against the server's text rendered at once.
   */
  private shownMessages(handle: RunHandle): { shown: Map<string, string>; rendered: Map<string, HTMLElement> | null } {
    const view: TokenStream | null = this.querySelector('token-stream');
    const parts = view?.shadowRoot ? [...view.shadowRoot.querySelectorAll<HTMLElement>('[part~="message"]')] : null;
    const byId = (elements: HTMLElement[]): Map<string, HTMLElement> =>
      new Map(elements.map((part) => [part.dataset['messageId'] ?? '', part]));
    if (parts && view?.format === 'markdown') {
      const rendered = byId(parts);
      const texts = messageTexts(handle.store.$text.get()).filter(([id]) => rendered.has(id));
      return { shown: new Map(texts), rendered };
    }
    if (parts)
      return {
        shown: new Map(parts.map((part) => [part.dataset['messageId'] ?? '', part.textContent])),
        rendered: null,
      };
    return { shown: new Map(messageTexts(handle.store.$text.get())), rendered: null };
  }

  private renderSummary(): unknown {
    if (this.phase === 'starting') return html`Starting a <code>${this.scenario}</code> run…`;
    if (!this.runId) return html`No run.`;
    if (isBackendProtocol(this.protocol))
      return html`Run <code>${this.runId}</code> · ${BACKENDS[this.protocol].title} · scenario
        <code>${this.scenario}</code> · ${this.status} · connection ${this.connection?.status ?? 'idle'}`;
    const live = this.connection?.transport;
    const over = live && live !== this.transport ? `${this.transport} → ${live}` : this.transport;
    return html`Run <code>${this.runId}</code> · scenario <code>${this.scenario}</code> · over <code>${over}</code> ·
      ${this.status} · connection
      ${this.connection?.status ?? 'idle'}${this.connection?.attempt ? ` (attempt ${this.connection.attempt})` : ''}`;
  }

  protected override render(): unknown {
    const idle = this.runId === '';
    return html`
      <div part="bar" role="group" aria-label="Live run on the mock server">
        <p class="summary">${this.renderSummary()}</p>
        <div class="actions">
          <button class="button" type="button" @click=${() => void this.start()}>New run</button>
          <button
            class="button"
            type="button"
            aria-disabled=${idle ? 'true' : 'false'}
            @click=${() => void (idle || this.dropConnections())}
          >
            Drop connections
          </button>
          ${
            this.noCheck
              ? nothing
              : html`<button
                  class="button"
                  type="button"
                  aria-disabled=${idle ? 'true' : 'false'}
                  @click=${() => void (idle || this.check())}
                >
                  Check against server
                </button>`
          }
        </div>
        <p class="note" role="status" data-ok=${this.note ? String(this.note.ok) : nothing}>${this.note?.text ?? ''}</p>
      </div>
      <p class="error" role="alert" ?data-shown=${this.error !== ''}>
        ${this.error}
        ${
          this.needsBackend
            ? html`This story needs a backend and none answered. Storybook's own mock server runs behind
                <code>npm start</code> (Storybook dev) and <code>npm run preview</code> (the static build); a plain file
                server has none.`
            : nothing
        }
      </p>
      <slot></slot>
    `;
  }
}

/**
 * Register `<story-run>`; called by the render functions, not at import (package.json's
 * `sideEffects` would let the build drop a side-effect-only import of this module).
 */
export function defineStoryRun(): void {
  if (!customElements.get('story-run')) customElements.define('story-run', StoryRun);
}

declare global {
  interface HTMLElementTagNameMap {
    'story-run': StoryRun;
  }
}
