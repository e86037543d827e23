import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { AgentwireElement } from '../agentwire-element.ts';
import { CountdownController } from '../../controllers/countdown-controller.ts';
import { inView, typingElsewhere, watchTyping } from '../../controllers/focus-policy.ts';
import { FocusReturn } from '../../controllers/focus-return.ts';
import { FrameController } from '../../controllers/frame-controller.ts';
import { RunController, sequencedOf } from '../../controllers/run-controller.ts';
import type { NeedInputEvent } from '../../protocol/index.ts';
import type { RunHandle } from '../../run/types.ts';
import type { TypedError } from '../../store/index.ts';
import { StreamedArgs } from '../../store/streamed-args.ts';
import { buttonStyles, tokens } from '../../styles/tokens.ts';
import { toolView, type ToolView } from '../agent-log/row-view.ts';
import { approvalText, valueText } from '../shared/answer-text.ts';
import { endedStatus } from '../shared/run-ending.ts';
import {
  answerShape,
  deadlineOf,
  lateAnswer,
  promptPhase,
  requestViews,
  toTypedError,
  wantsSchema,
  type ApprovalPhase,
  type RequestView,
} from './approval-model.ts';
import { styles } from './approval-prompt.styles.ts';
import { ApprovalDismissEvent, ApprovalRequestEvent, ApprovalSettleEvent, ApprovalSubmitEvent } from './events.ts';
import { renderRequest, type CardContext } from './render-request.ts';
import { loadSchemaForms, schemaForms, schemaFormsFailed } from './schema-forms.ts';

/** What focus should do after the next render. */
type FocusPlan =
  | { readonly kind: 'arrival'; readonly token: string }
  | { readonly kind: 'reveal'; readonly token: string | null }
  | { readonly kind: 'after-close'; readonly index: number }
  | { readonly kind: 'error'; readonly token: string; readonly name: string };

/** The first control of a card (or of the reminder). */
const FIRST_CONTROL =
  '[part~="approve"], [part~="choice"], [part~="field-input"], [part~="input"], [part~="reopen"], [part~="submit"]';

/**
 * Answers the agent's questions. Nothing shows until the run asks (need_input); then every open
 * request gets a card of its own, in order ("Request 1 of 3"), each answered on its own: approve /
 * deny with an optional reason (`kind: 'approval'`), a form built from its `response_schema`
 * (validated before sending, one message per field; the form code is loaded on first use, and a
 * request with a schema shows once it is), its choices as buttons, or a text field. A
 * request about a tool call shows the tool's name and arguments. A request with `expires_at` counts
 * down (not announced every second), then says "Expired", disables its controls and refuses a late
 * answer with a clear message. Requests decided by policy (`automatic`) are never asked here (the
 * log shows them).
 *
 * Focus moves to a new request only when that scrolls nothing (the prompt is wholly in view) and
 * the user is not typing elsewhere; otherwise the request is announced politely and
 * `approval-request` says it was not focused (call `reveal()` or `focus()` to offer it). Once an
 * answer is accepted, focus goes to the next request, else back to where it was, else to a short
 * note of the answer: never to the page's body. Escape or "Later" puts the prompt aside (a reminder
 * stays while the run waits).
 *
 * Answers go through the run handle (`reply`, with the request's resume token and value), after a
 * cancelable `approval-submit` event the host may veto or edit. Controls stay disabled from
 * sending until the server accepts (input_accepted); a refusal is shown and the answer can be given
 * again.
 *
 * @tag approval-prompt
 * @summary The agent's requests for input: approve / deny, forms, choices or text; several at once, with countdowns.
 *
 * @csspart base - The box holding the cards, shown while a request is open.
 * @csspart request - One request's card (role=group, named by its count and prompt; `data-phase`, `data-kind`).
 * @csspart count - "Request 1 of 3:", when several are open.
 * @csspart prompt - The question.
 * @csspart tool - The tool call the request is about (a details element).
 * @csspart tool-summary - The tool's line: "Tool", its name, "arguments".
 * @csspart tool-label - "Tool".
 * @csspart tool-name - The tool's name.
 * @csspart tool-hint - "arguments".
 * @csspart tool-args - The tool's arguments as JSON text.
 * @csspart decision - Approve, deny and the reason, for an approval.
 * @csspart approve - The approve button.
 * @csspart deny - The deny button.
 * @csspart reason-label - The reason field's label.
 * @csspart reason - The optional reason of an approval or denial.
 * @csspart choices - The row of choice buttons.
 * @csspart choice - One choice button.
 * @csspart form - The answer form (a schema form, JSON or a text field).
 * @csspart schema-form - A form built from a response_schema.
 * @csspart fields - The fields of a schema form.
 * @csspart field - One field (its label, control, description and error).
 * @csspart field-group - A fieldset: a nested object, radios or checkboxes.
 * @csspart field-label - A field's label or legend.
 * @csspart field-check - The label of a checkbox (it wraps the box).
 * @csspart field-option - One radio or checkbox with its label.
 * @csspart field-input - A field's control.
 * @csspart field-required - The mark of a required field.
 * @csspart field-description - A field's description.
 * @csspart field-error - Why a field's value is not right.
 * @csspart form-actions - The row of the form's send button.
 * @csspart input - The answer's text field (or JSON text area).
 * @csspart submit - The form's send button.
 * @csspart footer - The line under a card's answer: countdown and state.
 * @csspart countdown - Time left before the request expires ("Expires in 4:59", then "Expired").
 * @csspart status - What happens to the answer ("Sending…", "The request expired.").
 * @csspart error - Why the last answer was refused or not delivered (or refused, too late).
 * @csspart actions - The row under the cards (the "Later" button).
 * @csspart dismiss - The "Later" button (same as Escape).
 * @csspart reminder - The line shown after dismissing, while the run still waits.
 * @csspart reopen - The reminder's button that shows the prompt again.
 * @csspart receipt - A short note of the answer just accepted, where focus lands when it has nowhere better to go.
 * @csspart announcer - The polite live region (new requests, expiry).
 *
 * @cssprop [--aw-approval-accent=var(--aw-color-accent)] - Border and primary-button colour.
 * @cssprop [--aw-approval-background=var(--aw-color-surface-raised)] - Background of a card.
 * @cssprop [--aw-approval-padding=0.75rem] - Padding of a card.
 * @cssprop [--aw-approval-error-color=var(--aw-color-danger)] - Colour of refusals, field errors and an expired countdown.
 *
 * @fires {ApprovalRequestEvent} approval-request - A request was shown; `focused` says whether it took focus (when not, offer it: `reveal(token)`).
 * @fires {ApprovalSubmitEvent} approval-submit - Cancelable, before an answer is sent: change `event.text` / `event.value` to send something else, `preventDefault()` to send nothing.
 * @fires {ApprovalSettleEvent} approval-settle - An answer sent from here was accepted (`event.accepted`) or refused / not delivered (`event.error`).
 * @fires {ApprovalDismissEvent} approval-dismiss - The prompt was put aside without answering (Escape or "Later"); the run keeps waiting.
 */
export class ApprovalPrompt extends AgentwireElement {
  static override styles = [tokens, buttonStyles, styles];

  private readonly runs = new RunController(this, () => this.reset());
  private readonly frames = new FrameController(this, () => this.requestUpdate());
  private readonly pending = this.runs.bind((run) => run.store.$pendingInputs);
  private readonly replies = this.runs.bind((run) => run.$replies);
  private readonly sequenced = this.runs.bind(sequencedOf);
  /** The log and the streaming arguments matter only for requests about a tool call: followed once per frame. */
  private readonly log = this.runs.bind((run) => run.store.$log, {
    render: false,
    onChange: () => this.toolsChanged(),
  });
  private readonly streams = this.runs.bind((run) => run.store.$toolStreams, {
    render: false,
    onChange: () => this.toolsChanged(),
  });
  private readonly streamedArgs = new StreamedArgs();
  /** Deadlines are the server's: counted down on its clock as the run's store reads it. */
  private readonly clock = new CountdownController(this, () => this.runs.handle?.store.clock.now() ?? Date.now());
  private readonly focusReturn = new FocusReturn(this);

  /** The run to answer; by default the one an enclosing `<agent-run>` provides. */
  @property({ attribute: false }) run?: RunHandle;

  /** Never move focus to a new request (it is still announced). */
  @property({ type: Boolean, attribute: 'no-autofocus' }) noAutofocus = false;

  /** Where the prompt stands, reflected for styling. Read-only: it follows the run. */
  @property({ reflect: true }) phase: ApprovalPhase = 'closed';

  @state() private dismissed: ReadonlySet<string> = new Set();
  @state() private announcement = '';
  @state() private alert = '';
  /** The note of the last answer sent, and whether it shows (only where focus had nowhere else to go). */
  @state() private receipt: string | null = null;
  @state() private receiptShown = false;
  private views: RequestView[] = [];
  /** Answers refused here (too late), by resume token. */
  private readonly refusals = new Map<string, TypedError<string>>();
  /** Form errors by resume token, then control name. */
  private readonly formErrors = new Map<string, Map<string, string>>();
  /** Requests already shown (so each is announced once). */
  private known = new Set<string>();
  /** Requests seen expired (so each expiry is announced once). */
  private expired = new Set<string>();
  private plan: FocusPlan | null = null;
  /** The form path being loaded for a request with a response_schema (held back until it is). */
  private formsLoading: Promise<void> | null = null;
  private readonly ids = new Map<string, string>();
  private nextId = 0;

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || (this.phase !== 'open' && this.phase !== 'expired')) return;
    event.preventDefault();
    this.dismiss();
  };

  private readonly dismiss = (): void => {
    const views = this.views;
    if (views.length === 0) return;
    this.dismissed = new Set(views.map((view) => view.request.resume_token));
    // Back to where the user was (remembered for when they come back to answer); else to the reminder.
    const back = this.focusReturn.restore(true);
    if (!back) this.plan = { kind: 'reveal', token: null };
    for (const view of views) this.dispatchEvent(new ApprovalDismissEvent(view.request));
  };

  private readonly reopen = (): void => {
    this.dismissed = new Set();
    this.plan = { kind: 'reveal', token: null };
  };

  private readonly onReceiptBlur = (): void => {
    this.receiptShown = false;
  };

  private readonly cardContext = (view: RequestView): CardContext => ({
    prefix: this.idOf(view.request.resume_token),
    forms: schemaForms(),
    tool: this.toolOf(view.request),
    errors: this.formErrors.get(view.request.resume_token) ?? EMPTY_ERRORS,
    send: (v, text, value) => void this.send(v, text, value),
    submit: (v, form) => this.submitForm(v, form),
    decide: (v, approved, card) => {
      const reason = card.querySelector<HTMLInputElement>('[part~="reason"]')?.value.trim() ?? '';
      const value = reason === '' ? { approved } : { approved, reason };
      void this.send(v, approvalText(value), value);
    },
  });

  override connectedCallback(): void {
    super.connectedCallback();
    watchTyping();
  }

  /**
   * Show request `resumeToken` (undefined: the first one) and put focus on it: the prompt is
   * reopened if it was put aside, and scrolled into view (this is the user's own action). Returns
   * false when this prompt does not hold that request.
   */
  reveal(resumeToken?: string): boolean {
    const view =
      resumeToken === undefined ? this.views[0] : this.views.find((v) => v.request.resume_token === resumeToken);
    if (!view) return false;
    this.dismissed = new Set();
    if (!this.focusReturn.holdsFocus()) this.focusReturn.remember();
    this.plan = { kind: 'reveal', token: view.request.resume_token };
    this.requestUpdate();
    return true;
  }

  /** Focus the first open request's first control (or the reminder's button); scrolls it into view. */
  override focus(options?: FocusOptions): void {
    const target = this.renderRoot.querySelector<HTMLElement>(FIRST_CONTROL);
    if (target) target.focus(options);
    else super.focus(options);
  }

  /** Forget what belonged to a previous run. */
  private reset(): void {
    this.dismissed = new Set();
    this.refusals.clear();
    this.formErrors.clear();
    this.known = new Set();
    this.expired = new Set();
    this.receipt = null;
    this.receiptShown = false;
  }

  private toolsChanged(): void {
    if (this.views.some((view) => view.request.tool_call_id !== undefined)) this.frames.schedule();
  }

  private idOf(token: string): string {
    let id = this.ids.get(token);
    if (id === undefined) this.ids.set(token, (id = `q${++this.nextId}`));
    return id;
  }

  /** The tool call a request is about, as the log knows it (null when it names none, or the log has not got it). */
  private toolOf(request: NeedInputEvent): ToolView | null {
    const callId = request.tool_call_id;
    const log = this.log.value;
    const handle = this.runs.handle;
    if (callId === undefined || !log || !handle) return null;
    const rows = handle.store.rows;
    const row = rows.rowOfCall(callId);
    if (row < 0) return null;
    return toolView(
      {
        index: rows,
        log,
        times: handle.store.times,
        streams: this.streams.value ?? new Map(),
        args: this.streamedArgs,
        replies: undefined,
        now: this.clock.now,
        ended: endedStatus(handle.store.$status.get()),
      },
      row,
    );
  }

  protected override update(changed: PropertyValues<this>): void {
    // After the RunController's hostUpdate, so a new handle's stores are already bound.
    this.frames.cancel();
    const before = this.views;
    // Before this render removes a closed card's controls (focus would fall to the body).
    const focusInside = this.focusReturn.holdsFocus();
    this.views = requestViews({
      pending: this.answerable(this.pending.value ?? []),
      replies: this.replies.value,
      refusals: this.refusals,
      unconfirmed: this.sequenced.value === false,
      now: this.clock.now,
    });
    const next = this.views
      .map((v) => deadlineOf(v.request))
      .filter((d): d is number => d !== null && d > this.clock.now);
    this.clock.track(next.length ? Math.min(...next) : null);
    this.phase = promptPhase(this.views, this.dismissed);
    this.noteTransitions(before, focusInside);
    super.update(changed);
  }

  /**
   * The requests that can be shown: those with a response_schema only once the form path is
   * loaded (or failed to load: then they are answered as JSON), so a request arrives whole, with
   * its form, and is announced and focused once. Starts loading it when needed.
   */
  private answerable(pending: readonly NeedInputEvent[]): readonly NeedInputEvent[] {
    if (schemaForms() !== null || schemaFormsFailed() || !pending.some(wantsSchema)) return pending;
    this.formsLoading ??= loadSchemaForms().then(() => {
      this.formsLoading = null;
      this.requestUpdate();
    });
    return pending.filter((request) => !wantsSchema(request));
  }

  /** Also waits for the form path a request needs, and the update that shows the request with it. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.formsLoading) {
      await this.formsLoading;
      done = await super.getUpdateComplete();
    }
    return done;
  }

  /** Announce new requests, expiries and refusals once; plan where focus goes. */
  private noteTransitions(before: readonly RequestView[], focusInside: boolean): void {
    const tokens = new Set(this.views.map((v) => v.request.resume_token));
    const fresh = this.views.filter((v) => !this.known.has(v.request.resume_token));
    for (const view of fresh) this.known.add(view.request.resume_token);
    if (fresh.length > 0) {
      this.receiptShown = false;
      if (this.dismissed.size > 0) this.dismissed = new Set();
      const first = fresh[0]!;
      const many = this.views.length > 1 ? ` (${this.views.length} open)` : '';
      this.announcement = `Input needed${many}: ${fresh.map((v) => v.request.prompt).join(' · ')}`;
      this.plan ??= { kind: 'arrival', token: first.request.resume_token };
    }
    for (const view of this.views) {
      const token = view.request.resume_token;
      if (view.phase === 'expired' && !this.expired.has(token)) {
        this.expired.add(token);
        this.announcement = `The request expired: ${view.request.prompt}`;
      }
      const old = before.find((b) => b.request.resume_token === token);
      if (view.error !== null && view.error !== old?.error) this.alert = `Answer not accepted: ${view.error.message}`;
    }
    const closed = before.findIndex((b) => !tokens.has(b.request.resume_token));
    if (closed >= 0 && focusInside && this.plan?.kind !== 'reveal') {
      this.plan = { kind: 'after-close', index: closed };
      // Nowhere to go back to: focus lands on a short note of the answer instead of the page's body.
      if (this.views.length === 0 && !this.focusReturn.remembered && this.receipt !== null) this.receiptShown = true;
    }
    for (const token of this.known) if (!tokens.has(token)) this.forget(token);
  }

  private forget(token: string): void {
    this.known.delete(token);
    this.expired.delete(token);
    this.refusals.delete(token);
    this.formErrors.delete(token);
    this.ids.delete(token);
  }

  protected override updated(): void {
    const plan = this.plan;
    this.plan = null;
    if (!plan) return;
    switch (plan.kind) {
      case 'arrival':
        this.arrive(plan.token);
        return;
      case 'reveal': {
        const card = plan.token === null ? null : this.card(plan.token);
        const target = (card ?? this.renderRoot).querySelector<HTMLElement>(FIRST_CONTROL);
        target?.scrollIntoView({ block: 'nearest' });
        target?.focus({ preventScroll: true });
        return;
      }
      case 'after-close':
        this.afterClose(plan.index);
        return;
      case 'error': {
        const card = this.card(plan.token);
        const field = card?.querySelector<HTMLElement>(`[name="${CSS.escape(plan.name)}"]`);
        field?.focus({ preventScroll: false });
        return;
      }
    }
  }

  /**
   * A request arrived: take focus only when that scrolls nothing and takes it from nobody typing
   * (nor from another request of this prompt); otherwise it was announced politely and the host
   * is told, so it can offer it.
   */
  private arrive(token: string): void {
    const card = this.card(token);
    const target = card?.querySelector<HTMLElement>(FIRST_CONTROL);
    const view = this.views.find((v) => v.request.resume_token === token);
    if (!card || !target || !view || this.phase === 'dismissed') return;
    const busyHere = this.focusReturn.holdsFocus();
    const focused = !this.noAutofocus && !busyHere && !typingElsewhere(this) && inView(card);
    if (focused) {
      this.focusReturn.remember();
      target.focus({ preventScroll: true });
    }
    this.dispatchEvent(new ApprovalRequestEvent(view.request, focused));
  }

  /** A card the user was on closed: on to the next request, else back to where they were, else to the receipt. */
  private afterClose(index: number): void {
    if (this.views.length > 0 && this.phase !== 'dismissed') {
      const view = this.views[Math.min(index, this.views.length - 1)]!;
      const target = this.card(view.request.resume_token)?.querySelector<HTMLElement>(FIRST_CONTROL);
      target?.focus({ preventScroll: true });
      return;
    }
    if (this.views.length === 0 && this.focusReturn.restore()) return;
    this.renderRoot.querySelector<HTMLElement>('[part~="receipt"], [part~="reopen"]')?.focus({ preventScroll: true });
  }

  private card(token: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`[part~="request"][data-token="${CSS.escape(token)}"]`);
  }

  private submitForm(view: RequestView, form: HTMLFormElement): void {
    const token = view.request.resume_token;
    if (view.phase !== 'open') {
      void this.send(view, '');
      return;
    }
    const data = new FormData(form);
    const forms = schemaForms();
    const shape = answerShape(view.request, forms?.compileSchema ?? null);
    if (shape.kind === 'form' && forms) {
      const { value, errors } = forms.readForm(shape.schema, { getAll: (name) => data.getAll(name).map(String) });
      if (errors.length > 0) {
        this.formErrors.set(token, new Map(errors.map((e) => [e.name, e.message])));
        this.alert = `${errors.length === 1 ? 'One field needs' : `${errors.length} fields need`} attention.`;
        this.plan = { kind: 'error', token, name: errors[0]!.name };
        this.requestUpdate();
        return;
      }
      this.formErrors.delete(token);
      void this.send(view, valueText(value), value);
      return;
    }
    const entry = data.get('answer');
    const text = typeof entry === 'string' ? entry : '';
    if (text.trim() === '') {
      this.formErrors.set(token, new Map([['answer', 'Type an answer first.']]));
      this.plan = { kind: 'error', token, name: 'answer' };
      this.requestUpdate();
      return;
    }
    if (shape.kind === 'json') {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        this.formErrors.set(token, new Map([['answer', `Not valid JSON: ${(error as Error).message}`]]));
        this.plan = { kind: 'error', token, name: 'answer' };
        this.requestUpdate();
        return;
      }
      this.formErrors.delete(token);
      void this.send(view, text, value);
      return;
    }
    this.formErrors.delete(token);
    void this.send(view, text);
  }

  /**
   * Send an answer to `drawn`'s request. A click is never dropped silently: it acts on the request
   * as it stands now (not as the card was drawn), and when it cannot be sent, says why — too late
   * (an error on the card), no run (an error on the card), or an answer already on its way (a
   * polite announcement).
   */
  private async send(drawn: RequestView, text: string, value?: unknown): Promise<void> {
    const token = drawn.request.resume_token;
    const view = this.views.find((v) => v.request.resume_token === token);
    if (!view) {
      this.announcement = `“${drawn.request.prompt}” is no longer open: your answer was not sent.`;
      return;
    }
    const request = view.request;
    const run = this.runs.handle;
    const deadline = deadlineOf(request);
    if (view.phase === 'expired' || (deadline !== null && deadline <= this.clock.read())) {
      // A late answer is refused here, with a clear message: nothing is sent.
      this.refusals.set(token, lateAnswer(request));
      this.requestUpdate();
      return;
    }
    if (view.phase === 'sending') {
      const pending = view.reply?.text;
      this.announcement = `Your answer${pending ? ` “${pending}”` : ''} is being sent; wait for it before answering again.`;
      return;
    }
    if (!run) {
      this.refusals.set(token, { code: 'no_run', message: 'This prompt shows no run: your answer was not sent.' });
      this.requestUpdate();
      return;
    }
    const submit = new ApprovalSubmitEvent(request, text, value);
    if (!this.dispatchEvent(submit)) return;
    this.refusals.delete(token);
    this.receipt = `Answered “${request.prompt}”: ${submit.text}`;
    let error: TypedError<string> | null = null;
    try {
      await run.reply(submit.text, {
        resumeToken: request.resume_token,
        ...(submit.value !== undefined && { value: submit.value }),
      });
    } catch (thrown) {
      error = toTypedError(thrown);
    }
    const settled = new ApprovalSettleEvent(request, submit.text, error, submit.value);
    this.dispatchEvent(settled);
  }

  private renderReminder(): unknown {
    const count = this.views.length;
    return html`<div part="reminder">
      <span>The agent is waiting for ${count === 1 ? 'your answer' : `${count} answers`}.</span>
      <button part="reopen" class="button" type="button" @click=${this.reopen}>Answer</button>
    </div>`;
  }

  private renderBody(): unknown {
    if (this.phase === 'closed') {
      return this.receipt === null || !this.receiptShown
        ? nothing
        : html`<p part="receipt" tabindex="-1" @blur=${this.onReceiptBlur}>${this.receipt}</p>`;
    }
    if (this.phase === 'dismissed') return this.renderReminder();
    const answerable = this.views.some((v) => v.phase === 'open' || v.phase === 'expired');
    return html`<div part="base" @keydown=${this.onKeydown}>
      ${repeat(
        this.views,
        (view) => view.request.resume_token,
        (view) => renderRequest(view, this.cardContext(view)),
      )}
      <div part="actions" ?hidden=${!answerable}>
        <button part="dismiss" class="button" type="button" @click=${this.dismiss}>Later</button>
      </div>
    </div>`;
  }

  protected override render(): unknown {
    return html`${this.renderBody()}
      <div part="announcer" class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
      <div class="visually-hidden" role="alert">${this.alert}</div>`;
  }
}

const EMPTY_ERRORS: ReadonlyMap<string, string> = new Map();
