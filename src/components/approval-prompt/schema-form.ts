/**
 * Templates of a `response_schema` form (see response-schema.ts): one labelled control per field,
 * its description and its error tied to it (`aria-describedby`, `aria-invalid`), fieldsets for
 * groups, radios or a select for choices, checkboxes for booleans and for lists of choices, a
 * one-item-per-line text area for lists of texts. Everything is text: labels and values from the
 * schema are never markup.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { SchemaField } from './response-schema.ts';

/** Choices up to this many are radios; more make a select. */
const MAX_RADIOS = 5;

/** What the form's templates need. */
export interface FormContext {
  /** Ids in the prompt's shadow root are made unique with this prefix (one per request). */
  readonly prefix: string;
  /** Errors by control name. */
  readonly errors: ReadonlyMap<string, string>;
  /** Controls are read-only while the answer is on its way or after the request expired. */
  readonly busy: boolean;
}

const idOf = (ctx: FormContext, name: string, what = 'field'): string =>
  `${ctx.prefix}-${what}-${name.replace(/[^\w-]/g, '_')}`;

function describedBy(ctx: FormContext, field: SchemaField): string | undefined {
  const ids = [];
  if (field.description) ids.push(idOf(ctx, field.name, 'desc'));
  if (ctx.errors.has(field.name)) ids.push(idOf(ctx, field.name, 'error'));
  return ids.length ? ids.join(' ') : undefined;
}

function help(ctx: FormContext, field: SchemaField): TemplateResult {
  const error = ctx.errors.get(field.name);
  return html`${
    field.description
      ? html`<span part="field-description" id=${idOf(ctx, field.name, 'desc')}>${field.description}</span>`
      : nothing
  }${error ? html`<span part="field-error" id=${idOf(ctx, field.name, 'error')}>${error}</span>` : nothing}`;
}

const requiredMark = (field: SchemaField): TemplateResult | typeof nothing =>
  field.required ? html`<span part="field-required" aria-hidden="true">*</span>` : nothing;

function hint(field: SchemaField): string {
  if (field.kind === 'number') {
    const parts: string[] = [];
    if (field.minimum !== undefined) parts.push(`from ${field.minimum}`);
    if (field.exclusiveMinimum !== undefined) parts.push(`above ${field.exclusiveMinimum}`);
    if (field.maximum !== undefined) parts.push(`to ${field.maximum}`);
    if (field.exclusiveMaximum !== undefined) parts.push(`below ${field.exclusiveMaximum}`);
    return parts.length ? ` (${parts.join(' ')})` : '';
  }
  if (field.kind === 'list' && !field.item.options) return ' (one per line)';
  return '';
}

const INPUT_TYPES: Readonly<Record<string, string>> = {
  email: 'email',
  uri: 'url',
  url: 'url',
  date: 'date',
  time: 'time',
  'date-time': 'datetime-local',
};

/** The template of one field (a group renders its fields in a fieldset, the root group without one). */
export function renderField(field: SchemaField, ctx: FormContext, root = false): TemplateResult {
  const id = idOf(ctx, field.name);
  const invalid = ctx.errors.has(field.name) ? 'true' : 'false';
  switch (field.kind) {
    case 'group': {
      const body = field.fields.map((sub) => renderField(sub, ctx));
      return root
        ? html`<div part="fields">${body}</div>`
        : html`<fieldset part="field-group">
            <legend part="field-label">${field.label}${requiredMark(field)}</legend>
            ${field.description ? html`<span part="field-description">${field.description}</span>` : nothing} ${body}
          </fieldset>`;
    }
    case 'boolean':
      return html`<div part="field" data-kind="boolean">
        <label part="field-label field-check">
          <input
            part="field-input"
            type="checkbox"
            name=${field.name}
            value="true"
            id=${id}
            ?checked=${field.default === true}
            aria-describedby=${ifDefined(describedBy(ctx, field))}
            aria-invalid=${invalid}
            aria-disabled=${ctx.busy ? 'true' : 'false'}
            @click=${(e: Event) => ctx.busy && e.preventDefault()}
          />
          ${field.label}${requiredMark(field)}
        </label>
        ${help(ctx, field)}
      </div>`;
    case 'choice': {
      if (field.options.length <= MAX_RADIOS)
        return html`<fieldset
          part="field field-group"
          data-kind="choice"
          aria-describedby=${ifDefined(describedBy(ctx, field))}
          aria-invalid=${invalid}
        >
          <legend part="field-label">${field.label}${requiredMark(field)}</legend>
          ${field.options.map(
            (option, i) =>
              html`<label part="field-option">
                <input
                  part="field-input"
                  type="radio"
                  name=${field.name}
                  value=${i}
                  id=${i === 0 ? id : nothing}
                  ?checked=${field.default !== undefined && option.value === field.default}
                  ?required=${field.required}
                  aria-disabled=${ctx.busy ? 'true' : 'false'}
                  @click=${(e: Event) => ctx.busy && e.preventDefault()}
                />
                ${option.label}
              </label>`,
          )}
          ${help(ctx, field)}
        </fieldset>`;
      return html`<div part="field" data-kind="choice">
        <label part="field-label" for=${id}>${field.label}${requiredMark(field)}</label>
        <select
          part="field-input"
          name=${field.name}
          id=${id}
          ?required=${field.required}
          aria-describedby=${ifDefined(describedBy(ctx, field))}
          aria-invalid=${invalid}
          ?disabled=${ctx.busy}
        >
          <option value="">Choose…</option>
          ${field.options.map(
            (option, i) =>
              html`<option value=${i} ?selected=${field.default !== undefined && option.value === field.default}>
                ${option.label}
              </option>`,
          )}
        </select>
        ${help(ctx, field)}
      </div>`;
    }
    case 'list':
      if (field.item.options)
        return html`<fieldset
          part="field field-group"
          data-kind="list"
          aria-describedby=${ifDefined(describedBy(ctx, field))}
          aria-invalid=${invalid}
        >
          <legend part="field-label">${field.label}${requiredMark(field)}</legend>
          ${field.item.options.map(
            (option, i) =>
              html`<label part="field-option">
                <input
                  part="field-input"
                  type="checkbox"
                  name=${field.name}
                  value=${String(option.value)}
                  id=${i === 0 ? id : nothing}
                  ?checked=${field.default?.includes(String(option.value)) === true}
                  aria-disabled=${ctx.busy ? 'true' : 'false'}
                  @click=${(e: Event) => ctx.busy && e.preventDefault()}
                />
                ${option.label}
              </label>`,
          )}
          ${help(ctx, field)}
        </fieldset>`;
      return html`<div part="field" data-kind="list">
        <label part="field-label" for=${id}>${field.label}${requiredMark(field)}${hint(field)}</label>
        <textarea
          part="field-input"
          name=${field.name}
          id=${id}
          rows="3"
          ?required=${field.required}
          ?readonly=${ctx.busy}
          aria-describedby=${ifDefined(describedBy(ctx, field))}
          aria-invalid=${invalid}
          .defaultValue=${field.default?.join('\n') ?? ''}
        ></textarea>
        ${help(ctx, field)}
      </div>`;
    case 'number':
      return html`<div part="field" data-kind="number">
        <label part="field-label" for=${id}>${field.label}${requiredMark(field)}${hint(field)}</label>
        <input
          part="field-input"
          type="number"
          inputmode=${field.integer ? 'numeric' : 'decimal'}
          name=${field.name}
          id=${id}
          min=${ifDefined(field.minimum)}
          max=${ifDefined(field.maximum)}
          step=${field.integer ? '1' : 'any'}
          ?required=${field.required}
          ?readonly=${ctx.busy}
          aria-describedby=${ifDefined(describedBy(ctx, field))}
          aria-invalid=${invalid}
          .defaultValue=${field.default === undefined ? '' : String(field.default)}
        />
        ${help(ctx, field)}
      </div>`;
    case 'text': {
      const common = {
        name: field.name,
        id,
        describedBy: describedBy(ctx, field),
      };
      const control = field.multiline
        ? html`<textarea
            part="field-input"
            name=${common.name}
            id=${common.id}
            rows="3"
            maxlength=${ifDefined(field.maxLength)}
            ?required=${field.required}
            ?readonly=${ctx.busy}
            aria-describedby=${ifDefined(common.describedBy)}
            aria-invalid=${invalid}
            .defaultValue=${field.default ?? ''}
          ></textarea>`
        : html`<input
            part="field-input"
            type=${(field.format && INPUT_TYPES[field.format]) ?? 'text'}
            name=${common.name}
            id=${common.id}
            autocomplete="off"
            maxlength=${ifDefined(field.maxLength)}
            ?required=${field.required}
            ?readonly=${ctx.busy}
            aria-describedby=${ifDefined(common.describedBy)}
            aria-invalid=${invalid}
            .defaultValue=${field.default ?? ''}
          />`;
      return html`<div part="field" data-kind="text">
        <label part="field-label" for=${id}>${field.label}${requiredMark(field)}</label>
        ${control} ${help(ctx, field)}
      </div>`;
    }
  }
}
