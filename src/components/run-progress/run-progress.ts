import { html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { styleMap } from 'lit/directives/style-map.js';
import { AgentwireElement } from '../agentwire-element.ts';
import { RunController, sequencedOf } from '../../controllers/run-controller.ts';
import type { RunHandle } from '../../run/types.ts';
import type { ConnectionState, ConnectionStatus, RunStatus } from '../../store/index.ts';
import { tokens } from '../../styles/tokens.ts';
import { styles } from './run-progress.styles.ts';

/** What each run status is called on screen. */
export const STATUS_LABELS: Readonly<Record<RunStatus, string>> = Object.freeze({
  idle: 'Not started',
  queued: 'Queued',
  running: 'Running',
  waiting: 'Waiting for input',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
});

/** The connection line: empty while it is plainly fine. */
function connectionText(connection: ConnectionState | undefined, status: RunStatus, sequenced: boolean | null): string {
  switch (connection?.status) {
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return connection.attempt > 1 ? `Reconnecting… (attempt ${connection.attempt})` : 'Reconnecting…';
    case 'failed':
      return connection.error ? `Connection lost: ${connection.error.message}` : 'Connection lost';
    case 'closed':
      return status === 'done' || status === 'failed' || status === 'cancelled' ? '' : 'Disconnected';
    case 'open':
      return sequenced === false ? 'unsequenced' : '';
    default:
      return '';
  }
}

/**
 * Shows how far a run is: a progress bar (indeterminate while the run gives no percentage), the
 * run's status and latest progress message, and the connection when it is not plainly open
 * ("Reconnecting…", "Connection lost", or a discreet "unsequenced" for plain servers that send
 * no sequence numbers).
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
 * @csspart message - The run's latest progress message.
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
    this.indeterminate = (this.progress.value?.pct ?? null) === null;
    super.update(changed);
  }

  protected override render(): unknown {
    const { pct: rawPct = null, message = null } = this.progress.value ?? {};
    const pct = rawPct === null ? null : Math.min(100, Math.max(0, rawPct));
    const label = STATUS_LABELS[this.state];
    const percent = pct === null ? '' : `${Math.round(pct)}%`;
    const valueText = pct === null ? (message ?? label) : message ? `${percent}, ${message}` : percent;
    const link = connectionText(this.link.value, this.state, this.sequenced.value ?? null);
    return html`
      <div part="base">
        <div part="header">
          <span part="label">${label}</span>
          <span part="value">${percent}</span>
          <span
            part="connection"
            role="status"
            title=${ifDefined(link === 'unsequenced' ? 'The server sends no sequence numbers: after a reconnect, events may repeat or be missed.' : undefined)}
            >${link}</span
          >
        </div>
        <div
          part="track"
          role="progressbar"
          aria-label=${this.label}
          aria-valuemin="0"
          aria-valuemax="100"
          aria-valuenow=${ifDefined(pct === null ? undefined : Math.round(pct))}
          aria-valuetext=${valueText}
        >
          <div part="indicator" style=${styleMap({ '--_aw-pct': pct === null ? null : `${pct}%` })}></div>
        </div>
        <div part="message">${message}</div>
      </div>
    `;
  }
}
