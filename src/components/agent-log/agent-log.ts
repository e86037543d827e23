import { virtualize, type VirtualizeDirectiveConfig } from '@lit-labs/virtualizer/virtualize.js';
import { html, nothing, type PropertyValues } from 'lit';
import { property, query } from 'lit/decorators.js';
import { AgentwireElement } from '../agentwire-element.ts';
import { FollowController } from '../../controllers/follow-controller.ts';
import { FrameController } from '../../controllers/frame-controller.ts';
import { RunController } from '../../controllers/run-controller.ts';
import type { RunHandle } from '../../run/types.ts';
import { LogRows, type LogRow } from '../../store/log-rows.ts';
import { buttonStyles, jumpStyles, tokens } from '../../styles/tokens.ts';
import { styles } from './agent-log.styles.ts';
import { renderRow, type RowContext } from './render-row.ts';
import { sweepOrphanMarkers } from './sweep-markers.ts';
import type * as MarkdownText from './markdown-text.ts';

let markdown: typeof MarkdownText | null = null;
let markdownLoading: Promise<typeof MarkdownText> | null = null;
/** The markdown renderer, loaded on first use (a page whose log is text never loads it). */
function loadMarkdown(): Promise<typeof MarkdownText> {
  return (markdownLoading ??= import('./markdown-text.ts').then((module) => (markdown = module)));
}

/**
 * The agent's log: steps, tool calls with their arguments (collapsible) and their results
 * paired by call_id, log lines by level, errors (the server's and the client's, such as a
 * malformed frame), requests for input and their acceptance, and events of unknown types shown
 * raw, as text. Only the rows in view are rendered, so 100,000 entries stay fast, and new entries
 * are rendered once per frame, however many arrive in it (a live stream delivers them one per
 * task). The log follows the newest entry unless the user scrolled up ("Jump to latest" brings it
 * back).
 *
 * With `format="markdown"`, log messages and tool result summaries are rendered as markdown by
 * the same safe renderer as `<token-stream format="markdown">` (loaded on first use).
 *
 * The list has role=log: new rows are read politely while it follows the end; scrolled away,
 * it is quiet.
 *
 * Error monitoring: rows are measured with a ResizeObserver (by `@lit-labs/virtualizer`). Entries
 * appended while the log follows the end raise nothing, but a long jump — the first render of
 * many entries at once (e.g. a snapshot of a long run), or "Jump to latest" from far up — takes
 * the virtualizer more than one measuring pass in a frame, which Chromium reports as a window
 * `error` event, "ResizeObserver loop completed with undelivered notifications". It is benign
 * (nothing is lost; the rows are laid out in the next frame): filter that message out of error
 * monitoring if it reports window errors.
 *
 * @tag agent-log
 * @summary The agent's steps, tool calls, logs and errors, virtualised, following the newest entry.
 *
 * @csspart base - The wrapper around everything.
 * @csspart list - The scrolling log (role=log).
 * @csspart empty - The text shown before the first entry.
 * @csspart jump - The "Jump to latest" button, shown while the user is scrolled away from the end.
 * @csspart row - Every row; each also has the part of its kind (step, tool, result, log, error, request, accepted, unknown).
 * @csspart step - A step started or finished.
 * @csspart tool - A tool call, with its result once it arrived.
 * @csspart result - A tool result whose call is not in the log.
 * @csspart log - A log line; also has `level-debug`, `level-info`, `level-warn` or `level-error`.
 * @csspart level-debug - A debug log line.
 * @csspart level-info - An info log line.
 * @csspart level-warn - A warning log line.
 * @csspart level-error - An error log line.
 * @csspart error - An error reported by the run, or by the client (a malformed frame, a refused command).
 * @csspart request - The agent asked for input.
 * @csspart accepted - The answer to a request was accepted.
 * @csspart unknown - An event of a type this version does not know.
 * @csspart label - A row's kind or level ("Step", "Tool", "warn", ...).
 * @csspart text - A row's main text.
 * @csspart detail - A row's secondary text (step state, error code, offered choices).
 * @csspart tool-details - The collapsible body of a tool call.
 * @csspart tool-summary - The always-visible line of a tool call (toggles the arguments).
 * @csspart tool-name - The tool's name.
 * @csspart tool-status - running…, done or failed (also as `data-status`).
 * @csspart tool-preview - A one-line preview of the arguments.
 * @csspart tool-args - The arguments as JSON text (when expanded).
 * @csspart tool-result - The result's summary, under its call.
 * @csspart raw - The data of an unknown event, as JSON text.
 *
 * @cssprop [--aw-log-height=20rem] - Height of the log.
 * @cssprop [--aw-log-row-padding=0.25rem 0.5rem] - Padding of each row.
 * @cssprop [--aw-log-label-width=5.5rem] - Width of the label column.
 * @cssprop [--aw-log-font-family=var(--aw-font-family-mono)] - Font of arguments and raw data.
 * @cssprop [--aw-log-debug-color=var(--aw-color-muted)] - Label colour of debug lines.
 * @cssprop [--aw-log-info-color=var(--aw-color-accent)] - Label colour of info lines.
 * @cssprop [--aw-log-warn-color=var(--aw-color-warning)] - Label colour of warnings.
 * @cssprop [--aw-log-error-color=var(--aw-color-danger)] - Label colour of errors.
 */
export class AgentLog extends AgentwireElement {
  static override styles = [tokens, buttonStyles, jumpStyles, styles];

  private readonly runs = new RunController(this, () => this.restart());
  /**
   * New entries are rendered in the next frame: entries arriving one per task (a live stream)
   * would otherwise cost an update each (the virtualizer laying its range out again and reading
   * layout back); this way a frame costs one update, however many entries came in it.
   */
  private readonly frames = new FrameController(this, () => this.requestUpdate());
  private readonly log = this.runs.bind((run) => run.store.$log, {
    render: false,
    onChange: () => this.frames.schedule(),
  });
  private readonly replies = this.runs.bind((run) => run.$replies);
  private readonly follow = new FollowController(this, () => this.list);

  @query('[part~="list"]') private list!: HTMLElement | null;

  /** The run to show; by default the one an enclosing `<agent-run>` provides. */
  @property({ attribute: false }) run?: RunHandle;

  /** Accessible name of the log. */
  @property() label = 'Agent log';

  /** How log messages and result summaries are shown: `text` (default) or `markdown`. */
  @property({ reflect: true }) format: 'text' | 'markdown' = 'text';

  /** Markdown: `target` of links (`_blank` by default; '' for none). */
  @property({ attribute: 'link-target' }) linkTarget = '_blank';

  private renderedMarkdown = new WeakMap<object, HTMLElement>();

  private model = new LogRows();
  private readonly expanded = new Set<number>();
  private readonly rowContext: RowContext = {
    expanded: this.expanded,
    onToggle: (key, open) => {
      if (open === this.expanded.has(key)) return;
      if (open) this.expanded.add(key);
      else this.expanded.delete(key);
      this.requestUpdate();
    },
    text: (owner, text) => {
      if (this.format !== 'markdown' || !markdown) return text;
      let node = this.renderedMarkdown.get(owner);
      if (!node) {
        node = markdown.markdownText(text, { linkTarget: this.linkTarget });
        this.renderedMarkdown.set(owner, node);
      }
      return node;
    },
    answer: (resumeToken) => {
      const reply = this.replies.value?.get(resumeToken);
      return reply?.status === 'accepted' ? reply.text : null;
    },
  };

  private readonly renderItem = (row: LogRow) => renderRow(row, this.rowContext);
  private readonly keyOf = (row: LogRow) => row.key;
  private readonly jumpToLatest = (): void => {
    this.follow.jump();
    this.list?.focus();
  };
  /** The virtualizer measured or moved rows: keep following the end while it settles. */
  private readonly onLayout = (): void => this.follow.settle(this.drawn);
  /** The virtualizer rendered another range of rows: clear out what the removed ones left behind. */
  private readonly onRangeRendered = (event: Event): void => sweepOrphanMarkers(event.currentTarget as Element);
  /** Rows are on screen (the virtualizer keeps one extra sizer child), or there are none. */
  private readonly drawn = (): boolean => (this.list?.childElementCount ?? 0) > 1 || this.model.rows.length === 0;

  /** The virtualised list has been rendered (see `render`). */
  private virtualized = false;
  /** `onRangeRendered` listens on the list (see `updated`). */
  private sweeping = false;
  /** Index of the row the layout is pinned to (the newest, while following), or -1 (see `layoutConfig`). */
  private pinned = -1;
  /** The virtualizer dropped the pin (a scroll it did not make itself): pin again at the next render. */
  private readonly onUnpinned = (): void => {
    this.pinned = -1;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    // Rendered while detached, the list was left out, or the pin is stale: render now that the element is in a document.
    if (!this.virtualized || this.pinned !== this.model.rows.length - 1) this.requestUpdate();
  }

  /** Forget the rows of a previous run. */
  private restart(): void {
    this.model = new LogRows();
    this.expanded.clear();
    this.pinned = -1;
  }

  /**
   * While following, the layout itself keeps the newest row at the end (`pin`): it places the rows
   * and the scroll position in one pass. Scrolled there from outside, it would measure the new row,
   * then move the range and render rows inside its ResizeObserver callback, which Chromium reports
   * as a "ResizeObserver loop" window error, on every appended entry. The pin is passed only when it
   * changes, and only while connected: setting it makes the layout reflow, even when detached.
   */
  private layoutConfig(rows: readonly LogRow[]): VirtualizeDirectiveConfig<LogRow>['layout'] {
    const newest = rows.length - 1;
    if (!this.follow.following) this.pinned = -1;
    if (!this.follow.following || newest < 0 || newest === this.pinned || !this.isConnected) return {};
    this.pinned = newest;
    return { pin: { index: newest, block: 'end' } };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('format') || changed.has('linkTarget')) this.renderedMarkdown = new WeakMap();
    if (this.format === 'markdown' && !markdown) void loadMarkdown().then(() => this.requestUpdate());
    if (this.format === 'markdown' && markdown && this.renderRoot instanceof ShadowRoot)
      markdown.adoptMarkdownStyles(this.renderRoot);
  }

  protected override update(changed: PropertyValues<this>): void {
    // This update renders the log as it is now: a frame scheduled for it has nothing left to do.
    this.frames.cancel();
    // After the RunController's hostUpdate, so a new handle's log is already bound.
    const log = this.log.value;
    const handle = this.runs.handle;
    if (log && handle) this.model.sync(log, handle.$state.get().toolResults);
    super.update(changed);
  }

  protected override updated(): void {
    // The virtualize directive renders a new range in its own `rangeChanged` listener, added when
    // it first rendered: a listener added after that one runs once the new range is in the DOM.
    if (this.virtualized && !this.sweeping && this.list) {
      this.list.addEventListener('rangeChanged', this.onRangeRendered);
      this.sweeping = true;
    }
    this.follow.settle(this.drawn);
  }

  /**
   * Resolves once rendered (including entries the store reported, which are rendered in the next
   * frame, unless the page is hidden) and, while following, once the virtualised rows have settled
   * at the end.
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    while (this.frames.pending && document.visibilityState !== 'hidden') {
      await this.frames.flushed;
      result = await super.getUpdateComplete();
    }
    await this.follow.settled;
    return result;
  }

  protected override render(): unknown {
    const rows = this.model.rows;
    // @lit-labs/virtualizer 2.1.1 sets itself up (a window scroll listener, observers) even when it
    // first renders into a detached element, and nothing tears that down: an element removed before
    // its first update would stay in memory. So the virtualizer is first rendered in an update
    // while connected; from then on it is kept, and follows disconnection and reconnection itself.
    this.virtualized ||= this.isConnected;
    const list = this.virtualized
      ? virtualize({
          items: rows as LogRow[],
          renderItem: this.renderItem,
          keyFunction: this.keyOf,
          scroller: true,
          layout: this.layoutConfig(rows),
        })
      : nothing;
    return html`
      <div part="base">
        ${rows.length === 0 ? html`<p part="empty">No activity yet.</p>` : nothing}
        <div
          part="list"
          role="log"
          tabindex="0"
          aria-label=${this.label}
          aria-live=${this.follow.following ? 'polite' : 'off'}
          @rangeChanged=${this.onLayout}
          @visibilityChanged=${this.onLayout}
          @unpinned=${this.onUnpinned}
        >
          ${list}
        </div>
        <button part="jump" class="button" type="button" ?hidden=${this.follow.following} @click=${this.jumpToLatest}>
          Jump to latest
        </button>
      </div>
    `;
  }
}
