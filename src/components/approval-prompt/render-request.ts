/** Templates of `<approval-prompt>`'s cards: one per open request. Every value is bound as text. */
import { html, nothing, type TemplateResult } from 'lit';
import { MAX_REPLY_TEXT_LENGTH } from '../../protocol/index.ts';
import { argumentsText } from '../shared/json-text.ts';
import type { ToolView } from '../agent-log/row-view.ts';
import { answerShape, formatRemaining, type RequestView } from './approval-model.ts';
import type { SchemaForms } from './schema-forms.ts';

/** What a card's template needs from its element. */
export interface CardContext {
  /** A prefix for the card's ids (unique in the shadow root, stable for the request). */
  readonly prefix: string;
  /** The form path, once loaded (null: a request with a schema is answered as JSON text). */
  readonly forms: SchemaForms | null;
  /** The tool call the request is about, when it is in the log. */
  readonly tool: ToolView | null;
  /** Form errors by control name. */
  readonly errors: ReadonlyMap<string, string>;
  /** Send an answer (text, and a structured value when there is one). */
  readonly send: (view: RequestView, text: string, value?: unknown) => void;
  /** A form (schema, JSON or text) was submitted. */
  readonly submit: (view: RequestView, form: HTMLFormElement) => void;
  /** Approve or deny, reading the optional reason from the card. */
  readonly decide: (view: RequestView, approved: boolean, card: Element) => void;
}

const STATUS: Readonly<Record<RequestView['phase'], string>> = {
  open: '',
  sending: 'Sending…',
  expired: 'The request expired.',
};

function renderTool(tool: ToolView, prefix: string): TemplateResult {
  const args = argumentsText(tool.args, tool.argsText, null);
  return html`<details part="tool">
    <summary part="tool-summary">
      <span part="tool-label">Tool</span> <span part="tool-name">${tool.name}</span>
      <span part="tool-hint">arguments</span>
    </summary>
    <pre part="tool-args" id=${`${prefix}-args`} tabindex="0" aria-label="Arguments of ${tool.name}">${args}</pre>
  </details>`;
}

function renderAnswer(view: RequestView, ctx: CardContext): TemplateResult {
  const busy = view.phase !== 'open';
  const disabled = busy ? 'true' : 'false';
  const shape = answerShape(view.request, ctx.forms?.compileSchema ?? null);
  switch (shape.kind) {
    case 'approval':
      return html`<div part="decision">
        <button
          part="approve"
          class="button primary"
          type="button"
          aria-disabled=${disabled}
          @click=${(e: Event) => ctx.decide(view, true, (e.currentTarget as Element).closest('[part~="request"]')!)}
        >
          Approve
        </button>
        <button
          part="deny"
          class="button"
          type="button"
          aria-disabled=${disabled}
          @click=${(e: Event) => ctx.decide(view, false, (e.currentTarget as Element).closest('[part~="request"]')!)}
        >
          Deny
        </button>
        <label part="reason-label"
          >Reason <span class="optional">(optional)</span>
          <input
            part="reason"
            name="reason"
            autocomplete="off"
            maxlength=${MAX_REPLY_TEXT_LENGTH}
            ?readonly=${busy}
            @keydown=${(e: KeyboardEvent) => {
              // Enter in the reason field does not guess between approve and deny.
              if (e.key === 'Enter') e.preventDefault();
            }}
        /></label>
      </div>`;
    case 'choices':
      return html`<div part="choices">
        ${shape.choices.map(
          (choice, i) =>
            html`<button
              part="choice"
              class="button ${i === 0 ? 'primary' : ''}"
              type="button"
              aria-disabled=${disabled}
              @click=${() => ctx.send(view, choice)}
            >
              ${choice}
            </button>`,
        )}
      </div>`;
    case 'form':
      return html`<form
        part="form schema-form"
        novalidate
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          ctx.submit(view, e.currentTarget as HTMLFormElement);
        }}
      >
        ${
          // A form shape was compiled by the form path, so it is loaded.
          ctx.forms?.renderField(shape.schema, { prefix: ctx.prefix, errors: ctx.errors, busy }, true) ?? nothing
        }
        <div part="form-actions">
          <button part="submit" class="button primary" type="submit" aria-disabled=${disabled}>Send</button>
        </div>
      </form>`;
    case 'json':
    case 'text': {
      const error = ctx.errors.get('answer');
      const errorId = `${ctx.prefix}-answer-error`;
      return html`<form
        part="form"
        novalidate
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          ctx.submit(view, e.currentTarget as HTMLFormElement);
        }}
      >
        ${
          shape.kind === 'json'
            ? html`<textarea
                part="input"
                name="answer"
                rows="4"
                aria-label="Your answer, as JSON"
                aria-invalid=${error ? 'true' : 'false'}
                aria-describedby=${error ? errorId : nothing}
                spellcheck="false"
                required
                maxlength=${MAX_REPLY_TEXT_LENGTH}
                ?readonly=${busy}
              ></textarea>`
            : html`<input
                part="input"
                name="answer"
                aria-label="Your answer"
                aria-invalid=${error ? 'true' : 'false'}
                aria-describedby=${error ? errorId : nothing}
                autocomplete="off"
                required
                maxlength=${MAX_REPLY_TEXT_LENGTH}
                ?readonly=${busy}
              />`
        }
        <button part="submit" class="button primary" type="submit" aria-disabled=${disabled}>Send</button>
        ${error ? html`<span part="field-error" id=${errorId}>${error}</span>` : nothing}
      </form>`;
    }
  }
}

/** The card of one request. */
export function renderRequest(view: RequestView, ctx: CardContext): TemplateResult {
  const { request, phase, error, remainingMs, index, total } = view;
  const p = ctx.prefix;
  const kind = answerShape(request, ctx.forms?.compileSchema ?? null).kind;
  return html`<section
    part="request"
    role="group"
    aria-labelledby=${total > 1 ? `${p}-count ${p}-prompt` : `${p}-prompt`}
    aria-describedby=${`${p}-error`}
    data-phase=${phase}
    data-kind=${kind}
    data-token=${request.resume_token}
  >
    ${total > 1 ? html`<span part="count" id=${`${p}-count`}>Request ${index + 1} of ${total}:</span>` : nothing}
    <p part="prompt" id=${`${p}-prompt`}>${request.prompt}</p>
    ${ctx.tool ? renderTool(ctx.tool, p) : nothing} ${renderAnswer(view, ctx)}
    <div part="footer">
      ${
        remainingMs === null
          ? nothing
          : html`<span part="countdown" data-expired=${remainingMs === 0}
              >${remainingMs === 0 ? 'Expired' : `Expires in ${formatRemaining(remainingMs)}`}</span
            >`
      }
      <span part="status">${STATUS[phase]}</span>
    </div>
    <p part="error" id=${`${p}-error`}>${error ? error.message : ''}</p>
  </section>`;
}
