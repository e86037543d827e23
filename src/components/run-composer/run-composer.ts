import { ContextConsumer } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { AgentwireElement } from '../agentwire-element.ts';
import { conversationContext } from '../../context/conversation-context.ts';
import { RunController } from '../../controllers/run-controller.ts';
import { StoreController } from '../../controllers/store-controller.ts';
import type { Conversation } from '../../run/conversation.ts';
import type { RunHandle } from '../../run/types.ts';
import type { TypedError } from '../../store/index.ts';
import { buttonStyles, tokens } from '../../styles/tokens.ts';
import { composerView, type ComposerPhase, type ComposerView } from './composer-model.ts';
import { BeforeSendEvent, SendSettleEvent } from './events.ts';
import { styles } from './run-composer.styles.ts';

/**
 * Where the user writes to the agent. Enter sends, Shift+Enter starts a new line (Enter that
 * confirms an input method's composition never sends). Inside `<agent-run>`, sending starts a
 * run in the conversation through the run API, and the provider switches to it; a follow-up goes
 * to the same thread. A cancelable `before-send` lets the host edit or veto the message and its
 * create body.
 *
 * While the run streams, a stop button cancels it on the server (`cancel()`, never a disconnect);
 * Escape asks first ("Stop the answer?"). While the run waits for an answer the composer is
 * disabled, saying why: answering is `<approval-prompt>`'s job. The text field stays focusable
 * (read-only, `aria-disabled`), so focus never jumps away after sending; sending, stopping and
 * failures are announced politely. The message leaves the text field when it is sent (the stream
 * shows it at once); if it could not be sent, it is put back, so nothing typed is lost.
 *
 * @tag run-composer
 * @summary A message box for a conversation: Enter sends, stop while streaming, disabled while the run waits for an answer.
 *
 * @csspart base - The composer's box.
 * @csspart row - The line holding the text field and the buttons.
 * @csspart input - The text field (a textarea).
 * @csspart send - The send button.
 * @csspart stop - The stop button, shown while the run can be stopped.
 * @csspart reason - Why sending is not possible now ("The agent is answering…").
 * @csspart error - Why the last message was not sent, or the run not stopped.
 * @csspart confirm - The "Stop the answer?" question Escape opens, with its buttons.
 * @csspart confirm-stop - The confirmation's stop button.
 * @csspart confirm-cancel - The confirmation's "Keep going" button.
 *
 * @cssprop [--aw-composer-padding=var(--aw-space)] - Padding of the box.
 * @cssprop [--aw-composer-background=var(--aw-color-surface-raised)] - Background of the box.
 * @cssprop [--aw-composer-accent=var(--aw-color-accent)] - Colour of the send button.
 * @cssprop [--aw-composer-max-height=12rem] - Height from which the text field scrolls.
 * @cssprop [--aw-composer-error-color=var(--aw-color-danger)] - Colour of errors.
 *
 * @fires {BeforeSendEvent} before-send - Cancelable, before a message is sent: change `event.text` or `event.body`, or `preventDefault()` to send nothing.
 * @fires {SendSettleEvent} send-settle - A message sent from here started its run (`event.run`) or was not sent (`event.error`).
 */
export class RunComposer extends AgentwireElement {
  static override styles = [tokens, buttonStyles, styles];

  private readonly runs = new RunController(this, () => {
    this.confirming = false;
  });
  private readonly status = this.runs.bind((run) => run.store.$status);
  private readonly pending = this.runs.bind((run) => run.store.$pendingInput);
  private readonly connection = this.runs.bind((run) => run.store.$connection);
  private readonly provided = new ContextConsumer(this, {
    context: conversationContext,
    subscribe: true,
    callback: () => this.requestUpdate(),
  });
  private readonly sending = new StoreController<boolean>(this);

  @query('[part~="input"]') private input!: HTMLTextAreaElement | null;

  /** The run whose stop button this is; by default the one an enclosing `<agent-run>` provides. */
  @property({ attribute: false }) run?: RunHandle;

  /** The conversation to send to; by default the one an enclosing `<agent-run>` provides. */
  @property({ attribute: false }) conversation?: Conversation;

  /** Accessible name of the text field. */
  @property() label = 'Message';

  /** Hint shown in the empty text field. */
  @property() placeholder = 'Ask the agent…';

  /** Where the composer stands, reflected for styling. Read-only: it follows the run and the conversation. */
  @property({ reflect: true }) phase: ComposerPhase = 'unavailable';

  @state() private confirming = false;
  @state() private announcement = '';
  @state() private error: TypedError<string> | null = null;
  private view: ComposerView = composerView({
    conversation: false,
    sending: false,
    status: null,
    connection: null,
    pendingInputs: 0,
  });
  private focusAfterUpdate: 'input' | 'confirm' | null = null;

  private readonly onKeydown = (event: KeyboardEvent): void => {
    // Safari sends the Enter that ends an IME composition after compositionend, with isComposing
    // false: only its keyCode (229, "being processed by an IME") tells it apart.
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- no other field carries it
    const imeEnter = event.isComposing || event.keyCode === 229;
    if (event.key === 'Enter' && !event.shiftKey && !imeEnter) {
      event.preventDefault();
      void this.submit();
    } else if (event.key === 'Escape' && this.view.canStop && !this.confirming) {
      event.preventDefault();
      this.confirming = true;
      this.focusAfterUpdate = 'confirm';
    }
  };

  private readonly onConfirmKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    this.keepGoing();
  };

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    void this.submit();
  };

  private readonly keepGoing = (): void => {
    this.confirming = false;
    this.focusAfterUpdate = 'input';
  };

  private readonly onStop = (): void => {
    const fromConfirm = this.confirming;
    this.confirming = false;
    if (fromConfirm) this.focusAfterUpdate = 'input';
    void this.stop();
  };

  /** The conversation in use: `.conversation`, else the provided one. */
  private get target(): Conversation | undefined {
    return this.conversation ?? this.provided.value;
  }

  protected override update(changed: PropertyValues<this>): void {
    // After the controllers' hostUpdate, so a new run's and conversation's stores are bound.
    const target = this.target;
    if (this.sending.store !== target?.$sending) this.sending.store = target?.$sending;
    this.view = composerView({
      conversation: target !== undefined,
      sending: this.sending.value ?? false,
      status: this.runs.handle ? (this.status.value ?? 'idle') : null,
      connection: this.connection.value?.status ?? null,
      pendingInputs: this.pending.value ? 1 : 0,
    });
    this.phase = this.view.phase;
    if (!this.view.canStop) this.confirming = false;
    super.update(changed);
  }

  protected override updated(): void {
    const focus = this.focusAfterUpdate;
    this.focusAfterUpdate = null;
    if (focus === 'confirm') this.renderRoot.querySelector<HTMLElement>('[part~="confirm-cancel"]')?.focus();
    else if (focus === 'input') this.input?.focus();
  }

  /** Focus the text field (e.g. after a message action elsewhere started a run). */
  override focus(options?: FocusOptions): void {
    if (this.input) this.input.focus(options);
    else super.focus(options);
  }

  /** Send what the text field holds (as Enter does); resolves once it was sent or refused. */
  async submit(): Promise<void> {
    const input = this.input;
    const target = this.target;
    if (!input || !target || !this.view.canSend || input.value.trim() === '') return;
    const typed = input.value;
    const request = new BeforeSendEvent(typed, {});
    if (!this.dispatchEvent(request)) return;
    const text = request.text;
    this.error = null;
    this.announcement = '';
    // The message leaves the field at once (the stream shows it); a failed send puts it back.
    input.value = '';
    try {
      const run = await target.send(text, request.body);
      this.announcement = 'Message sent.';
      this.dispatchEvent(new SendSettleEvent(text, run, null));
    } catch (thrown) {
      // Nothing is lost: the text comes back, before anything typed meanwhile.
      input.value = input.value === '' ? typed : `${typed}\n${input.value}`;
      this.error = typedError(thrown);
      this.announcement = `Message not sent: ${this.error.message}`;
      this.dispatchEvent(new SendSettleEvent(text, null, this.error));
    }
  }

  /** Stop the current run on the server (`cancel()`; the connection stays to show how it ends). */
  async stop(): Promise<void> {
    const run = this.runs.handle;
    if (!run || !this.view.canStop) return;
    this.error = null;
    try {
      await run.cancel();
      this.announcement = 'Stopped.';
    } catch (thrown) {
      this.error = typedError(thrown);
      this.announcement = `Not stopped: ${this.error.message}`;
    }
  }

  private renderConfirm(): unknown {
    if (!this.confirming) return nothing;
    return html`<div part="confirm" role="group" aria-labelledby="confirm-question" @keydown=${this.onConfirmKeydown}>
      <p id="confirm-question">Stop the answer?</p>
      <button part="confirm-stop" class="button" type="button" @click=${this.onStop}>Stop</button>
      <button part="confirm-cancel" class="button" type="button" @click=${this.keepGoing}>Keep going</button>
    </div>`;
  }

  protected override render(): unknown {
    const { canSend, canStop, reason, phase } = this.view;
    const blocked = phase === 'waiting' || phase === 'unavailable';
    return html`<form part="base" @submit=${this.onSubmit}>
        <div part="row">
          <textarea
            part="input"
            name="message"
            rows="1"
            aria-label=${this.label}
            aria-describedby="reason error"
            aria-disabled=${blocked ? 'true' : 'false'}
            placeholder=${this.placeholder}
            ?readonly=${blocked}
            @keydown=${this.onKeydown}
          ></textarea>
          ${
            canStop
              ? html`<button part="stop" class="button" type="button" @click=${this.onStop}>Stop</button>`
              : nothing
          }
          <button part="send" class="button primary" type="submit" aria-disabled=${canSend ? 'false' : 'true'}>
            Send
          </button>
        </div>
        <p part="reason" id="reason">${reason}</p>
        <p part="error" id="error">${this.error ? this.error.message : ''}</p>
        ${this.renderConfirm()}
      </form>
      <div class="visually-hidden" role="status">${this.announcement}</div>`;
  }
}

/** A thrown value as a typed error (a ConversationError or TransportError keeps its code). */
function typedError(thrown: unknown): TypedError<string> {
  if (typeof thrown === 'object' && thrown !== null) {
    const { code, message } = thrown as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && typeof message === 'string') return { code, message };
  }
  return { code: 'unknown', message: thrown instanceof Error ? thrown.message : String(thrown) };
}
