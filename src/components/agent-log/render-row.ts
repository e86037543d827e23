/** Templates of `<agent-log>` rows. Every value is bound as text: untrusted content never becomes markup. */
import { html, nothing, type TemplateResult } from 'lit';
import type { LogRow } from '../../store/log-rows.ts';

/** Longest JSON text shown for tool arguments or an unknown event's data. */
export const MAX_JSON_TEXT = 4000;
/** Longest one-line preview of tool arguments in a collapsed call. */
const PREVIEW_LENGTH = 80;

const jsonCache = new WeakMap<object, string>();

/** Pretty JSON of untrusted data, bounded; cached per event object. */
export function jsonText(owner: object, data: unknown): string {
  let text = jsonCache.get(owner);
  if (text === undefined) {
    try {
      // JSON.stringify returns undefined for undefined, functions and symbols (its lib type says string).
      const json: unknown = JSON.stringify(data, null, 2);
      text = typeof json === 'string' ? json : String(data);
    } catch {
      text = String(data);
    }
    if (text.length > MAX_JSON_TEXT)
      text = `${text.slice(0, MAX_JSON_TEXT)}\n… (${text.length - MAX_JSON_TEXT} more characters)`;
    jsonCache.set(owner, text);
  }
  return text;
}

function preview(owner: object, data: unknown): string {
  const flat = jsonText(owner, data).replace(/\s+/g, ' ');
  return flat.length > PREVIEW_LENGTH ? `${flat.slice(0, PREVIEW_LENGTH)}…` : flat;
}

/** What a row's template needs from its element. */
export interface RowContext {
  /** Keys of tool rows whose arguments are expanded. */
  readonly expanded: ReadonlySet<number>;
  /** A tool row's details were opened or closed. */
  readonly onToggle: (key: number, open: boolean) => void;
  /** A log message or result summary as shown: the text, or its markdown rendering (`format="markdown"`). */
  readonly text: (owner: object, text: string) => unknown;
  /** The text of the answer accepted for a request, when this client sent it. */
  readonly answer: (resumeToken: string) => string | null;
}

/** Every row is exactly one element, with nothing around it (sweep-markers.ts relies on it). */
const row = (kind: string, body: TemplateResult, extra = ''): TemplateResult =>
  html`<div part="row ${kind}${extra}" data-kind=${kind}>${body}</div>`;

/** The template of one row. */
export function renderRow(entry: LogRow, ctx: RowContext): TemplateResult {
  switch (entry.kind) {
    case 'step': {
      const state = entry.event.state;
      return row(
        'step',
        html`<span part="label">Step</span><span part="text">${entry.event.name}</span>${
            state ? html`<span part="detail">${state}</span>` : nothing
          }`,
      );
    }
    case 'tool': {
      const { call, result } = entry;
      const status = result === null ? 'running' : result.ok === false ? 'failed' : 'done';
      const open = ctx.expanded.has(entry.key);
      return row(
        'tool',
        html`<details
            part="tool-details"
            ?open=${open}
            @toggle=${(e: Event) => ctx.onToggle(entry.key, (e.currentTarget as HTMLDetailsElement).open)}
          >
            <summary part="tool-summary">
              <span part="label">Tool</span><span part="tool-name">${call.name}</span
              ><span part="tool-status" data-status=${status}>${status === 'running' ? 'running…' : status}</span
              ><span part="tool-preview">${preview(call, call.args)}</span>
            </summary>
            ${open ? html`<pre part="tool-args">${jsonText(call, call.args)}</pre>` : nothing}
          </details>
          ${result ? html`<div part="tool-result">${ctx.text(result, result.summary)}</div>` : nothing}`,
      );
    }
    case 'result':
      return row(
        'result',
        html`<span part="label">Result</span><span part="text">${ctx.text(entry.event, entry.event.summary)}</span>${
            entry.event.ok === false ? html`<span part="detail">failed</span>` : nothing
          }`,
      );
    case 'log':
      return row(
        'log',
        html`<span part="label">${entry.event.level}</span
          ><span part="text">${ctx.text(entry.event, entry.event.message)}</span>`,
        ` level-${entry.event.level}`,
      );
    case 'error':
      return row(
        'error',
        html`<span part="label">Error</span><span part="text">${entry.event.message}</span>${
            entry.event.code ? html`<span part="detail">${entry.event.code}</span>` : nothing
          }`,
      );
    case 'client_error':
      return row(
        'error',
        html`<span part="label">Stream error</span><span part="text">${entry.error.message}</span
          ><span part="detail">${entry.error.code}</span>`,
      );
    case 'request': {
      const choices = entry.event.choices;
      return row(
        'request',
        html`<span part="label">Asked</span><span part="text">${entry.event.prompt}</span>${
            choices?.length ? html`<span part="detail">${choices.join(' / ')}</span>` : nothing
          }`,
      );
    }
    case 'accepted': {
      const answer = ctx.answer(entry.event.resume_token);
      return row(
        'accepted',
        html`<span part="label">Answered</span
          ><span part="text">${answer === null ? 'Answer accepted' : `“${answer}” accepted`}</span>`,
      );
    }
    case 'unknown':
      return row(
        'unknown',
        html`<span part="label">${entry.event.event_type}</span>
          <pre part="raw">${jsonText(entry.event, entry.event.data)}</pre>`,
      );
  }
}
