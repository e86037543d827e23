import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { AgentwireElement } from '../agentwire-element.ts';
import { CountdownController } from '../../controllers/countdown-controller.ts';
import { FocusReturn } from '../../controllers/focus-return.ts';
import { RunController, sequencedOf } from '../../controllers/run-controller.ts';
import { MAX_REPLY_TEXT_LENGTH, type NeedInputEvent } from '../../protocol/index.ts';
import type { RunHandle } from '../../run/types.ts';
import type { TypedError } from '../../store/index.ts';
import { buttonStyles, tokens } from '../../styles/tokens.ts';
import {
  approvalView,
  deadlineOf,
  formatRemaining,
  toTypedError,
  type ApprovalPhase,
  type ApprovalView,
} from './approval-model.ts';
import { styles } from './approval-prompt.styles.ts';
import { ApprovalDismissEvent, ApprovalSettleEvent, ApprovalSubmitEvent } from './events.ts';

/**
 * Answers the agent's questions. Nothing shows until the run asks (need_input); then the
 * prompt appears with the offered choices as buttons, or a text field when there are none, and
 * a countdown when the request expires. It is announced assertively and focus moves to it
 * (back to where it was once the answer is accepted or the prompt put aside). Enter sends,
 * Escape puts it aside without answering: a reminder stays while the run waits.
 *
 * The answer goes through the run handle (`reply`, with the request's resume token), after a
 * cancelable `approval-submit` event the host may veto or edit. Controls stay disabled from
 * sending until the server accepts (input_accepted); a refusal (stale or expired token) is
 * shown, and the answer can be given again.
 *
 * @tag approval-prompt
 * @summary The agent's request for input: choices or a text field, countdown, send and accept.
 *
 * @csspart base - The prompt's box (role=group, named by the prompt), shown while a request is open.
 * @csspart prompt - The question.
 * @csspart choices - The row of choice buttons.
 * @csspart choice - One choice button.
 * @csspart form - The answer form, when no choices are offered.
 * @csspart input - The answer's text field.
 * @csspart submit - The form's send button.
 * @csspart footer - The line under the answer: countdown, state and the dismiss button.
 * @csspart countdown - Time left before the request expires ("Expires in 4:59", then "Expired").
 * @csspart status - What happens to the answer ("Sending…", "The request expired").
 * @csspart error - Why the last answer was refused or not delivered.
 * @csspart dismiss - The "Later" button (same as Escape).
 * @csspart reminder - The line shown after dismissing, while the run still waits.
 * @csspart reopen - The reminder's button that shows the prompt again.
 *
 * @cssprop [--aw-approval-accent=var(--aw-color-accent)] - Border and primary-choice colour.
 * @cssprop [--aw-approval-background=var(--aw-color-surface-raised)] - Background of the box.
 * @cssprop [--aw-approval-padding=0.75rem] - Padding of the box.
 * @cssprop [--aw-approval-error-color=var(--aw-color-danger)] - Colour of refusals and of an expired countdown.
 *
 * @fires {ApprovalSubmitEvent} approval-submit - Cancelable, before an answer is sent: change `event.text` to send something else, `preventDefault()` to send nothing.
 * @fires {ApprovalSettleEvent} approval-settle - An answer sent from here was accepted (`event.accepted`) or refused / not delivered (`event.error`).
 * @fires {ApprovalDismissEvent} approval-dismiss - The prompt was put aside without answering (Escape or "Later"); the run keeps waiting.
 */
export class ApprovalPrompt extends AgentwireElement {
  static override styles = [tokens, buttonStyles, styles];

  private readonly runs = new RunController(this, () => this.reset());
  private readonly pending = this.runs.bind((run) => run.store.$pendingInput);
  private readonly replies = this.runs.bind((run) => run.$replies);
  private readonly sequenced = this.runs.bind(sequencedOf);
  private readonly clock = new CountdownController(this);
  private readonly focusReturn = new FocusReturn(this);

  /** The run to answer; by default the one an enclosing `<agent-run>` provides. */
  @property({ attribute: false }) run?: RunHandle;

  /** Leave focus where it is when a request arrives (it is still announced). */
  @property({ type: Boolean, attribute: 'no-autofocus' }) noAutofocus = false;

  /** Where the prompt stands, reflected for styling. Read-only: it follows the run. */
  @property({ reflect: true }) phase: ApprovalPhase = 'closed';

  @state() private dismissed: string | null = null;
  @state() private announcement = '';
  private view: ApprovalView = approvalView({
    pending: null,
    reply: null,
    dismissed: null,
    now: 0,
    unconfirmed: false,
  });
  private focusPending = false;

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || (this.phase !== 'open' && this.phase !== 'expired')) return;
    event.preventDefault();
    this.dismiss();
  };

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('answer') as HTMLInputElement;
    if (input.value.trim() !== '') void this.send(input.value);
  };

  private readonly dismiss = (): void => {
    const request = this.view.request;
    if (!request) return;
    this.dismissed = request.resume_token;
    const event = new ApprovalDismissEvent(request);
    this.dispatchEvent(event);
  };

  private readonly reopen = (): void => {
    this.dismissed = null;
    this.focusPending = true;
  };

  /** Forget what belonged to a previous run. */
  private reset(): void {
    this.dismissed = null;
  }

  protected override update(changed: PropertyValues<this>): void {
    // After the RunController's hostUpdate, so a new handle's stores are already bound.
    const pending = this.pending.value ?? null;
    this.clock.track(deadlineOf(pending));
    const before = this.view;
    this.view = approvalView({
      pending,
      reply: (pending && this.replies.value?.get(pending.resume_token)) ?? null,
      dismissed: this.dismissed,
      now: this.clock.now,
      unconfirmed: this.sequenced.value === false,
    });
    this.phase = this.view.phase;
    this.noteTransition(before, this.view);
    super.update(changed);
  }

  protected override updated(): void {
    if (this.focusPending && (this.phase === 'open' || this.phase === 'expired')) {
      this.focusPending = false;
      this.renderRoot.querySelector<HTMLElement>('[part~="choice"], [part~="input"]')?.focus();
    }
  }

  /** Announce, and plan focus moves, when the request, its phase or its error changes. */
  private noteTransition(before: ApprovalView, now: ApprovalView): void {
    const showing = (phase: ApprovalPhase): boolean => phase === 'open' || phase === 'sending' || phase === 'expired';
    const fresh = now.request !== null && now.request.resume_token !== before.request?.resume_token;
    if (fresh && showing(now.phase)) {
      this.announcement = `Input needed: ${now.request.prompt}`;
      this.focusReturn.remember();
      this.focusPending = !this.noAutofocus;
    } else if (now.error !== null && now.error !== before.error) {
      this.announcement = `Answer not accepted: ${now.error.message}`;
    } else if (now.phase === 'expired' && before.phase !== 'expired') {
      this.announcement = 'The request expired.';
    }
    if (showing(before.phase) && !showing(now.phase)) this.focusReturn.restore();
  }

  private async send(text: string): Promise<void> {
    const request = this.view.request;
    const run = this.runs.handle;
    if (this.view.phase !== 'open' || !request || !run) return;
    const submit = new ApprovalSubmitEvent(request, text);
    if (!this.dispatchEvent(submit)) return;
    let error: TypedError<string> | null = null;
    try {
      await run.reply(submit.text, { resumeToken: request.resume_token });
    } catch (thrown) {
      error = toTypedError(thrown);
    }
    const settled = new ApprovalSettleEvent(request, submit.text, error);
    this.dispatchEvent(settled);
  }

  private renderAnswer(request: NeedInputEvent, busy: boolean): unknown {
    const disabled = busy ? 'true' : 'false';
    if (request.choices?.length) {
      return html`<div part="choices">
        ${request.choices.map(
          (choice, i) =>
            html`<button
              part="choice"
              class="button ${i === 0 ? 'primary' : ''}"
              type="button"
              aria-disabled=${disabled}
              @click=${() => void this.send(choice)}
            >
              ${choice}
            </button>`,
        )}
      </div>`;
    }
    return html`<form part="form" @submit=${this.onSubmit}>
      <input
        part="input"
        name="answer"
        aria-label="Your answer"
        autocomplete="off"
        required
        maxlength=${MAX_REPLY_TEXT_LENGTH}
        ?readonly=${busy}
      />
      <button part="submit" class="button primary" type="submit" aria-disabled=${disabled}>Send</button>
    </form>`;
  }

  private renderBody(): unknown {
    const { phase, request, error, remainingMs } = this.view;
    if (phase === 'closed' || !request) return nothing;
    if (phase === 'dismissed') {
      return html`<div part="reminder">
        <span>The agent is waiting for your answer.</span>
        <button part="reopen" class="button" type="button" @click=${this.reopen}>Answer</button>
      </div>`;
    }
    const busy = phase !== 'open';
    const status = phase === 'sending' ? 'Sending…' : phase === 'expired' ? 'The request expired.' : '';
    return html`<div
      part="base"
      role="group"
      aria-labelledby="prompt"
      aria-describedby="error"
      @keydown=${this.onKeydown}
    >
      <p part="prompt" id="prompt">${request.prompt}</p>
      ${this.renderAnswer(request, busy)}
      <div part="footer">
        ${
          remainingMs === null
            ? nothing
            : html`<span part="countdown" data-expired=${remainingMs === 0}
                >${remainingMs === 0 ? 'Expired' : `Expires in ${formatRemaining(remainingMs)}`}</span
              >`
        }
        <span part="status">${status}</span>
        <button part="dismiss" class="button" type="button" ?hidden=${phase !== 'open'} @click=${this.dismiss}>
          Later
        </button>
      </div>
      <p part="error" id="error">${error ? error.message : ''}</p>
    </div>`;
  }

  protected override render(): unknown {
    return html`${this.renderBody()}
      <div class="visually-hidden" role="alert">${this.announcement}</div>`;
  }
}
