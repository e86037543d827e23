/** Templates of `<agent-log>` rows. Every value is bound as text: untrusted content never becomes markup. */
import { html, nothing, type TemplateResult } from 'lit';
import { formatDuration, formatTime } from './format.ts';
import type { EndView, RowView, ToolView } from './row-view.ts';
import { argumentsText, fullJson, jsonPreview, jsonText } from '../shared/json-text.ts';

/** What a row's template needs from its element. */
export interface RowContext {
  /** Keys of tool rows whose details are expanded. */
  readonly expanded: ReadonlySet<number>;
  /** Rows (by number) of collapsed steps. */
  readonly collapsed: ReadonlySet<number>;
  /** A tool row's details were opened or closed. */
  readonly onToggle: (key: number, open: boolean) => void;
  /** A step's group was collapsed or expanded. */
  readonly onGroup: (row: number, collapse: boolean) => void;
  /** A log message or result summary as shown: the text, or its markdown rendering (`format="markdown"`). */
  readonly text: (owner: object, text: string) => unknown;
  /** The custom view of a tool call, when a renderer is registered for it (undefined otherwise). */
  readonly custom: (tool: ToolView, key: number) => unknown;
  /** Copy text (announced by the element). */
  readonly copy: (text: string, what: string) => void;
  /** Show the request `resumeToken` in its `<approval-prompt>`. */
  readonly revealRequest: (resumeToken: string) => void;
  /** Scroll to (and open) the tool row `row`. */
  readonly revealRow: (row: number) => void;
}

/** Every row is exactly one element, with nothing around it (sweep-markers.ts relies on it). */
const row = (view: RowView, kind: string, body: TemplateResult, extra = '', status?: string): TemplateResult =>
  html`<div
    part="row ${kind}${extra}"
    data-kind=${kind}
    data-key=${view.key}
    data-status=${status ?? nothing}
    style="--_depth: ${view.depth}"
  >
    ${time(view.time)}${body}
  </div>`;

function time(at: number | null): TemplateResult {
  return at === null
    ? html`<span part="time" aria-hidden="true"></span>`
    : html`<time part="time" datetime=${new Date(at).toISOString()}>${formatTime(at)}</time>`;
}

const duration = (ms: number | null): TemplateResult | typeof nothing =>
  ms === null ? nothing : html`<span part="duration">${formatDuration(ms)}</span>`;

const TOOL_STATUS_TEXT: Readonly<Record<ToolView['status'], string>> = {
  streaming: 'receiving…',
  running: 'running…',
  done: 'done',
  failed: 'failed',
  ended: 'ended without a result',
  cancelled: 'cancelled',
};

/** What the end row calls each ending. */
const END_LABEL: Readonly<Record<EndView['status'], string>> = {
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** A button copying `text()` (written when pressed: the whole arguments or result may be long). */
function copyButton(ctx: RowContext, text: () => string, what: string): TemplateResult {
  return html`<button part="copy" class="button" type="button" @click=${() => ctx.copy(text(), what)}>
    Copy ${what}
  </button>`;
}

function renderTool(view: Extract<RowView, { kind: 'tool' }>, ctx: RowContext): TemplateResult {
  const { tool, call } = view;
  const open = ctx.expanded.has(view.key);
  const custom = ctx.custom(tool, view.key);
  const approval = tool.approval;
  const hasResult = tool.result !== undefined;
  const summary =
    tool.summary === null || (tool.summary === '' && hasResult)
      ? hasResult
        ? jsonPreview(tool.result)
        : null
      : tool.summary;
  return row(
    view,
    'tool',
    html`<details
        part="tool-details"
        ?open=${open}
        @toggle=${(e: Event) => ctx.onToggle(view.key, (e.currentTarget as HTMLDetailsElement).open)}
      >
        <summary part="tool-summary">
          <span part="label">Tool</span><span part="tool-name">${tool.name}</span
          ><span part="tool-status" data-status=${tool.status}>${TOOL_STATUS_TEXT[tool.status]}</span
          >${duration(tool.durationMs)}<span part="tool-preview">${tool.preview}</span>
        </summary>
        ${
          open
            ? html`<div part="tool-body">
                <div part="tool-section">
                  <span part="tool-heading">Arguments</span
                  >${copyButton(ctx, () => tool.argsText ?? fullJson(tool.args), 'arguments')}
                </div>
                <pre part="tool-args">${argumentsText(tool.args, tool.argsText, view.pieces)}</pre>
                ${
                  hasResult
                    ? html`<div part="tool-section">
                          <span part="tool-heading">Result</span
                          >${copyButton(ctx, () => fullJson(tool.result), 'result')}
                        </div>
                        <pre part="tool-result-data">${jsonText(tool.result)}</pre>`
                    : nothing
                }
              </div>`
            : nothing
        }
      </details>
      ${
        approval
          ? html`<div part="tool-approval" data-status=${approval.status}>
              ${
                approval.status === 'waiting'
                  ? html`<span>Waiting for approval</span>
                      <button
                        part="approval-link"
                        class="button"
                        type="button"
                        @click=${() => ctx.revealRequest(approval.resumeToken)}
                      >
                        Answer
                      </button>`
                  : approval.status === 'automatic'
                    ? html`<span>${approval.answer}</span>`
                    : approval.status === 'expired'
                      ? html`<span>The approval request expired</span>`
                      : html`<span>${approval.answer ?? 'Answered'}</span>`
              }
            </div>`
          : nothing
      }
      ${
        custom !== undefined
          ? html`<div part="tool-view">${custom}</div>`
          : summary !== null
            ? html`<div part="tool-result">${tool.summary ? ctx.text(call, tool.summary) : summary}</div>`
            : nothing
      }`,
    '',
    tool.status,
  );
}

function renderStep(view: Extract<RowView, { kind: 'step' }>, ctx: RowContext): TemplateResult {
  const collapsed = ctx.collapsed.has(view.row);
  const toggle =
    view.size > 0
      ? html`<button
          part="group-toggle"
          class="toggle"
          type="button"
          aria-expanded=${collapsed ? 'false' : 'true'}
          aria-label="${collapsed ? 'Show' : 'Hide'} the ${view.size} entries of step ${view.event.name}"
          @click=${() => ctx.onGroup(view.row, !collapsed)}
        ></button>`
      : nothing;
  return row(
    view,
    'step',
    html`${toggle}<span part="label">Step</span><span part="text">${view.event.name}</span>${
        view.status ? html`<span part="step-status detail" data-status=${view.status}>${view.status}</span>` : nothing
      }${duration(view.durationMs)}${
        collapsed
          ? html`<span part="hidden-count detail">${view.size} ${view.size === 1 ? 'entry' : 'entries'} hidden</span>`
          : nothing
      }`,
    '',
    view.status ?? undefined,
  );
}

function renderRequest(view: Extract<RowView, { kind: 'request' }>, ctx: RowContext): TemplateResult {
  const { event, status, answer, tool } = view;
  const automatic = status === 'automatic';
  const choices = event.choices;
  const label = automatic ? 'Auto' : event.kind === 'approval' ? 'Approval' : 'Asked';
  return row(
    view,
    'request',
    html`<span part="label">${label}</span><span part="text">${event.prompt}</span>${
        tool
          ? tool.row >= 0
            ? html`<button part="tool-link" class="button" type="button" @click=${() => ctx.revealRow(tool.row)}>
                ${tool.name}
              </button>`
            : html`<span part="detail">${tool.name}</span>`
          : nothing
      }${status === 'waiting' && choices?.length ? html`<span part="detail">${choices.join(' / ')}</span>` : nothing}${
        automatic
          ? html`<span part="answer">${answer}</span>`
          : status === 'answered'
            ? html`<span part="answer">${answer === null ? 'Answered' : `“${answer}”`}</span>`
            : status === 'expired'
              ? html`<span part="answer">Expired unanswered</span>`
              : status === 'closed'
                ? html`<span part="answer">Not answered: the run ended</span>`
                : html`<button
                    part="approval-link"
                    class="button"
                    type="button"
                    @click=${() => ctx.revealRequest(event.resume_token)}
                  >
                    Answer
                  </button>`
      }`,
    '',
    status,
  );
}

/** The row after every other once the run ended: how it ended, with its result or the reason. */
export function renderEnd(view: EndView): TemplateResult {
  const text = view.status === 'done' ? (view.result ?? 'Finished') : (view.ending ?? END_LABEL[view.status]);
  return html`<div part="row end" data-kind="end" data-key="end" data-status=${view.status}>
    ${time(view.time)}<span part="label">${END_LABEL[view.status]}</span><span part="text">${text}</span>${
      view.status !== 'done' && view.result !== null ? html`<span part="detail">${view.result}</span>` : nothing
    }
  </div>`;
}

/** The template of one row. */
export function renderRow(view: RowView, ctx: RowContext): TemplateResult {
  switch (view.kind) {
    case 'step':
      return renderStep(view, ctx);
    case 'tool':
      return renderTool(view, ctx);
    case 'result':
      return row(
        view,
        'result',
        html`<span part="label">Result</span><span part="text">${ctx.text(view.event, view.event.summary)}</span>${
            view.event.ok === false ? html`<span part="detail">failed</span>` : nothing
          }`,
      );
    case 'log':
      return row(
        view,
        'log',
        html`<span part="label">${view.level}</span
          ><span part="text">${ctx.text(view.event, view.event.message)}</span>`,
        ` level-${view.level}`,
      );
    case 'error':
      return row(
        view,
        'error',
        html`<span part="label">Error</span><span part="text">${view.event.message}</span>${
            view.event.code ? html`<span part="detail">${view.event.code}</span>` : nothing
          }`,
      );
    case 'client_error':
      return row(
        view,
        'error',
        html`<span part="label">Stream error</span><span part="text">${view.error.message}</span
          ><span part="detail">${view.error.code}</span>`,
      );
    case 'request':
      return renderRequest(view, ctx);
    case 'accepted':
      return row(
        view,
        'accepted',
        html`<span part="label">Answered</span
          ><span part="text">${view.answer === null ? 'Answer accepted' : `“${view.answer}” accepted`}</span>`,
      );
    case 'unknown':
      return row(
        view,
        'unknown',
        html`<span part="label">${view.event.event_type}</span>
          <pre part="raw">${jsonText(view.event.data, view.event)}</pre>`,
      );
  }
}
