import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { FrameController } from '../../controllers/frame-controller.ts';
import { laneFigures, startLane, type Lane, type LaneOptions } from '../../inspector/compare.ts';
import { buttonStyles, tokens } from '../../styles/tokens.ts';
import { AgentwireElement } from '../agentwire-element.ts';
import { CompareCompleteEvent } from './events.ts';
import { renderCounters, renderTutorial, type ServerCount } from './render-tables.ts';
import { styles } from './transport-compare.styles.ts';

/** The transports a comparison can run. */
type Compared = LaneOptions['transport'];

/**
 * A dev element that answers "which transport?" with measurements on your backend: it runs the
 * same scenario over each transport side by side (poll, SSE, WebSocket, hybrid by default) and
 * shows, from the traffic each one's wire tap saw, the time to first token, the update latency
 * p50/p95 from the server's stamp to the screen, requests, bytes each way, connections,
 * reconnects and duplicates — then the table the tutorials print (direction, reconnect, proxy
 * friendliness, mid-task input), filled with those values. `query` applies the mock server's
 * fault switches to every lane; `serverCount` (optional) adds what the server counted per run.
 *
 * @tag transport-compare
 * @summary A dev tool: the same run over every transport, measured side by side.
 *
 * @fires {CompareCompleteEvent} compare-complete - Every lane's run ended; carries the figures.
 *
 * @csspart base - The wrapper around everything.
 * @csspart controls - The start button and status.
 * @csspart start - The button that starts a comparison.
 * @csspart status - What is running.
 * @csspart counters - The measured counters (a table, one column per transport).
 * @csspart tutorial - The tutorial table with measured values.
 */
export class TransportCompare extends AgentwireElement {
  static override styles = [tokens, buttonStyles, styles];

  private readonly frames = new FrameController(this, () => this.onFrame());

  /** The backend (the mock server, or any agentwire server); same origin when empty. */
  @property({ attribute: 'base-url' }) baseUrl = '';

  /** The scenario every lane runs (`POST /api/runs {scenario}`). */
  @property() scenario = 'quick';

  /** The scenario's speed (the mock server's `speed`: 1 = real pacing). */
  @property({ type: Number }) speed = 1;

  /** Answer the scenario's first question with this text, measuring the round trip (empty: do not answer). */
  @property() answer = '';

  /** The transports compared, in order. */
  @property({ attribute: false }) transports: readonly Compared[] = ['poll', 'sse', 'websocket', 'hybrid'];

  /** Query parameters of every connection: the mock server's fault switches (`{fault_close_after: '5'}`). */
  @property({ attribute: false }) query?: Record<string, string>;

  /** What the server counted for a run, shown beside the page's figures (the mock server's `GET /api/_dev/traffic/{id}`). */
  @property({ attribute: false }) serverCount?: (runId: string) => Promise<ServerCount | undefined>;

  @state() private running = false;
  @state() private error = '';
  private lanes: Lane[] = [];
  private readonly counted = new Map<string, ServerCount>();

  /** The lanes of the last comparison (their recorders hold every entry). */
  get results(): readonly Lane[] {
    return this.lanes;
  }

  private onFrame(): void {
    for (const lane of this.lanes) lane.recorder.markScreen();
    this.requestUpdate();
  }

  /** Run the comparison; resolves with every lane's figures once every run ended. */
  async start(): Promise<ReturnType<typeof laneFigures>[]> {
    for (const lane of this.lanes) lane.stop();
    this.counted.clear();
    this.error = '';
    this.running = true;
    const body = { scenario: this.scenario, speed: this.speed };
    try {
      this.lanes = await Promise.all(
        this.transports.map((transport) =>
          startLane({
            baseUrl: this.baseUrl,
            transport,
            body,
            ...(this.query && { query: this.query }),
            ...(this.answer && { answer: this.answer }),
          }),
        ),
      );
      for (const lane of this.lanes) lane.recorder.subscribe(() => this.frames.schedule());
      this.requestUpdate();
      await Promise.all(this.lanes.map((lane) => lane.done));
      // The last events are drawn in the next frame.
      await new Promise((resolve) => requestAnimationFrame(resolve));
      this.onFrame();
      if (this.serverCount) {
        for (const lane of this.lanes) {
          const count = await this.serverCount(lane.runId);
          if (count) this.counted.set(lane.runId, count);
        }
      }
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      this.running = false;
    }
    const figures = this.lanes.map(laneFigures);
    await this.updateComplete;
    this.dispatchEvent(new CompareCompleteEvent(figures));
    return figures;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const lane of this.lanes) lane.stop();
  }

  protected override render(): unknown {
    const figures = this.lanes.map(laneFigures);
    const status = this.error
      ? `Failed: ${this.error}`
      : this.running
        ? `Running ${this.scenario} over ${this.transports.join(', ')}…`
        : figures.length > 0
          ? 'Done.'
          : '';
    return html`<div part="base">
      <div part="controls">
        <button
          part="start"
          class="button"
          type="button"
          ?disabled=${this.running}
          @click=${() => void this.start().catch(() => undefined)}
        >
          ${figures.length > 0 ? 'Run again' : 'Compare transports'}
        </button>
        <p part="status" role="status">${status}</p>
      </div>
      ${figures.length > 0 ? html`${renderCounters(figures, this.counted)} ${renderTutorial(figures)}` : nothing}
    </div>`;
  }
}
