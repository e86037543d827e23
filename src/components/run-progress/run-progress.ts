import { html, nothing, type PropertyValues } from 'lit';
import { computed } from 'nanostores';
import { property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { styleMap } from 'lit/directives/style-map.js';
import { AgentwireElement } from '../agentwire-element.ts';
import { RunController, sequencedOf } from '../../controllers/run-controller.ts';
import type { RunHandle } from '../../run/types.ts';
import type { ConnectionStatus, RunStatus } from '../../store/index.ts';
import { tokens } from '../../styles/tokens.ts';
import { connectionText, endReason, progressView } from './progress-view.ts';
import { styles } from './run-progress.styles.ts';

/**
 * Shows how far a run is: a progress bar (indeterminate while the run gives no percentage), the
 * run's status (the server's own word, such as "Planning", while it runs) and latest progress
 * message, and the connection when it is not plainly open ("Reconnecting…", "Connection lost", or
 * a discreet "unsequenced" for plain servers that send no sequence numbers). When the run ends it
 * says how: done fills the bar with a final message and shows the result; cancelled and failed keep
 * the last percentage and give the reason.
 *
 * @tag run-progress
 * @summary A run's progress bar, status, message and connection state.
 *
 * @csspart base - The wrapper around everything.
 * @csspart header - The line holding the status label, the percentage and the connection state.
 * @csspart label - The run's status ("Running", "Waiting for input", ...).
 * @csspart value - The percentage, when one is known.
 * @csspart connection - The connection state when it is not plainly open; a polite live region.
 * @csspart track - The bar itself (role=progressbar).
 * @csspart indicator - The filled part of the bar.
 * @csspart message - The run's latest progress message; at the end, how it ended (and why it failed or stopped).
 * @csspart result - The run's result, once it ended with one (a string as it is, anything else as JSON).
 *
 * @cssprop [--aw-progress-height=0.5rem] - Height of the bar.
 * @cssprop [--aw-progress-track-color=var(--aw-color-border)] - Colour of the empty bar.
 * @cssprop [--aw-progress-indicator-color=var(--aw-color-accent)] - Colour of the filled part while the run goes on.
 * @cssprop [--aw-progress-done-color=var(--aw-color-success)] - Colour of the filled part once the run is done.
 * @cssprop [--aw-progress-failed-color=var(--aw-color-danger)] - Colour of the filled part once the run failed.
 * @cssprop [--aw-progress-radius=999px] - Corner radius of the bar.
 */
export class RunProgress extends AgentwireElement {
  static override styles = [tokens, styles];

  private readonly runs = new RunController(this);
  private readonly progress = this.runs.bind((run) => run.store.$progress);
  private readonly status = this.runs.bind((run) => run.store.$status);
  private readonly statusLabel = this.runs.bind((run) => computed(run.$state, (s) => s.statusLabel));
  private readonly result = this.runs.bind((run) => run.store.$result);
  private readonly reason = this.runs.bind((run) => computed(run.$state, endReason));
  private readonly asking = this.runs.bind((run) => computed(run.$state, (s) => s.pendingInputs.length > 0));
  private readonly link = this.runs.bind((run) => run.store.$connection);
  private readonly sequenced = this.runs.bind(sequencedOf);

  /** The run to show; by default the one an enclosing `<agent-run>` provides. */
  @property({ attribute: false }) run?: RunHandle;

  /** Accessible name of the progress bar. */
  @property() label = 'Run progress';

  /** The run's status, reflected for styling. Read-only: it follows the run. */
  @property({ reflect: true }) state: RunStatus = 'idle';

  /** The connection's status, reflected for styling. Read-only: it follows the run. */
  @property({ reflect: true }) connection: ConnectionStatus = 'idle';

  /** True while the run gives no percentage, reflected for styling. Read-only: it follows the run. */
  @property({ type: Boolean, reflect: true }) indeterminate = true;

  protected override update(changed: PropertyValues<this>): void {
    // After the RunController's hostUpdate, so a new handle's stores are already bound.
    this.state = this.status.value ?? 'idle';
    this.connection = this.link.value?.status ?? 'idle';
    this.indeterminate = (this.progress.value?.pct ?? null) === null && this.state !== 'done';
    super.update(changed);
  }

  protected override render(): unknown {
    const view = progressView({
      status: this.state,
      statusLabel: this.statusLabel.value ?? null,
      progress: this.progress.value ?? { pct: null, message: null },
      result: this.result.value ?? null,
      reason: this.reason.value ?? null,
    });
    const percent = view.pct === null ? '' : `${Math.round(view.pct)}%`;
    const link = connectionText(this.link.value, this.state, this.sequenced.value ?? null, this.asking.value ?? false);
    return html`
      <div part="base">
        <div part="header">
          <span part="label">${view.label}</span>
          <span part="value">${percent}</span>
          <span
            part="connection"
            role="status"
            title=${ifDefined(
              link === 'unsequenced'
                ? 'The server sends no sequence numbers: after a reconnect, events may repeat or be missed.'
                : undefined,
            )}
            >${link}</span
          >
        </div>
        <div
          part="track"
          role="progressbar"
          aria-label=${this.label}
          aria-valuemin="0"
          aria-valuemax="100"
          aria-valuenow=${ifDefined(view.pct === null ? undefined : Math.round(view.pct))}
          aria-valuetext=${view.valueText}
        >
          <div
            part="indicator"
            class="fill"
            style=${styleMap({ '--_aw-pct': view.pct === null ? null : `${view.pct}%` })}
          ></div>
          ${this.indeterminate ? html`<div part="indicator" class="slide"></div>` : nothing}
        </div>
        <div part="message">${view.message}</div>
        ${view.result === null ? nothing : html`<output part="result">${view.result}</output>`}
      </div>
    `;
  }
}
