import { virtualize, virtualizerRef, type VirtualizeDirectiveConfig } from '@lit-labs/virtualizer/virtualize.js';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { AgentwireElement } from '../agentwire-element.ts';
import { FollowController } from '../../controllers/follow-controller.ts';
import { FrameController } from '../../controllers/frame-controller.ts';
import { RunController } from '../../controllers/run-controller.ts';
import { SelectionHold } from '../../controllers/selection-hold.ts';
import { LOG_LEVELS, type LogLevel } from '../../protocol/index.ts';
import type { RunHandle, ToolRenderers } from '../../run/types.ts';
import type { ToolStream } from '../../store/state.ts';
import { StreamedArgs } from '../../store/streamed-args.ts';
import { END_ROW, LEVEL_RANK, LogIndex, VisibleRows, type LogRowsView } from '../../store/log-rows.ts';
import { buttonStyles, jumpStyles, tokens } from '../../styles/tokens.ts';
import { copyText } from '../shared/copy-text.ts';
import { BoxFollow } from '../shared/box-follow.ts';
import { ReasoningBlocks, textReasoning } from '../shared/reasoning-blocks.ts';
import { endedStatus, endingText, endReason, resultText } from '../shared/run-ending.ts';
import { reasoningStyles } from '../shared/reasoning.styles.ts';
import { styles } from './agent-log.styles.ts';
import { RevealRequestEvent, ToolRenderErrorEvent } from './events.ts';
import type * as MarkdownText from './markdown-text.ts';
import { renderEnd, renderRow, type RowContext } from './render-row.ts';
import { LogLayout } from './log-layout.ts';
import { rowView, type EndView, type RowSource, type RowView, type ToolView } from './row-view.ts';
import { sweepOrphanMarkers } from './sweep-markers.ts';
import type { ToolRenderer } from './tool-template.ts';
import { loadToolTemplates, toolTemplates, toolTemplatesFailed } from './tool-templates.ts';
import { lazyModule, waitsFor } from '../shared/lazy-module.ts';

/**
 * The markdown renderer, loaded on first use (a page whose log is text never loads it). Until it
 * is loaded, and for good when it cannot be, messages and summaries are shown as text.
 */
const markdownChunk = lazyModule((): Promise<typeof MarkdownText> => import('./markdown-text.ts'));

export type { ToolRenderers };

const EMPTY_STREAMS: ReadonlyMap<string, ToolStream> = new Map();
/** The rows of no run. */
const NO_ROWS: LogRowsView = new LogIndex();

/** What the level filter offers. */
const LEVEL_CHOICES: readonly (readonly [LogLevel, string])[] = [
  ['debug', 'All entries'],
  ['info', 'Info and above'],
  ['warn', 'Warnings and errors'],
  ['error', 'Errors only'],
];

/** Row views kept at most (several screens of rows). */
const MAX_CACHED_VIEWS = 1000;

/** An element that can show a request (`<approval-prompt>`), seen without importing it. */
type RevealingElement = HTMLElement & { reveal?: (resumeToken: string) => boolean };

/** The virtualizer behind a list, seen through `virtualizerRef`. */
type VirtualizedList = HTMLElement & {
  [virtualizerRef]?: { element(index: number): { scrollIntoView(options?: ScrollIntoViewOptions): void } | undefined };
};

/** A custom view rendered for a tool row, and what it was rendered from. */
interface CustomView {
  readonly signature: string;
  readonly renderer: ToolRenderer;
  readonly output: unknown;
}

/**
 * The agent's log: one row per step (started → finished or failed, with its duration, and the
 * rows inside it as a collapsible group), per tool call (its arguments as they stream, its status,
 * result and duration; a copy button for each), per request for input (with the answer given, or
 * a link to answer it), log lines by level (with a level filter), errors (the server's and the
 * client's, such as a malformed frame) and events of unknown types shown raw, as text. Every row
 * has its time: the server's `at`, else when this page received it.
 *
 * Tool calls can be shown by renderers of your own: `renderers = { search_docs: (call) => … }`
 * (a Lit template or a DOM node; `call` is a ToolView with `args`, `status`, `result`, `durationMs`),
 * or without code, `<template data-tool="search_docs">` children filled in with text (see
 * tool-template.ts; its code is loaded on first use, and the log renders once it is). Other tools
 * keep the default rendering. The reasoning of the latest message
 * shows above the log as a collapsible block, collapsed once the answer starts (not while text in
 * it is selected).
 *
 * Only the rows in view are rendered, so 100,000 entries stay fast, and new entries are rendered
 * once per frame, however many arrive in it. The log follows the newest entry unless the user
 * scrolled up ("Jump to latest" brings it back). Printed (or with `print` media emulated for a
 * full-page screenshot), every row is rendered.
 *
 * With `format="markdown"`, log messages, tool result summaries and the reasoning block are
 * rendered as markdown by the same safe renderer as `<token-stream format="markdown">` (loaded on
 * first use; the reasoning streams through it as an answer does).
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
 * @summary The agent's steps, tool calls, requests, logs and errors, virtualised, following the newest entry.
 *
 * @slot - `<template data-tool="name">` elements: renderers for those tools, filled in with text.
 *
 * @csspart base - The wrapper around everything.
 * @csspart toolbar - The bar above the log (the level filter).
 * @csspart level-filter - The level filter (a select).
 * @csspart reasoning-area - Where the latest reasoning block shows.
 * @csspart reasoning - A reasoning block (a details element).
 * @csspart reasoning-summary - The reasoning block's summary ("Thinking…", "Thought for 4 s").
 * @csspart reasoning-text - The reasoning's text.
 * @csspart list - The scrolling log (role=log).
 * @csspart print-list - Every row, rendered only while printing.
 * @csspart empty - The text shown while there is nothing to list (it says why).
 * @csspart jump - The "Jump to latest" button, shown while the user is scrolled away from the end.
 * @csspart announcer - The polite live region ("Copied").
 * @csspart row - Every row; each also has the part of its kind (step, tool, result, log, error, request, accepted, unknown), and `data-status` where it has one.
 * @csspart time - A row's time (a time element; empty when unknown).
 * @csspart step - A step, started → finished or failed; the group of the rows inside it.
 * @csspart hidden-count - How many rows a collapsed step hides.
 * @csspart group-toggle - The button that hides or shows a step's rows (aria-expanded).
 * @csspart step-status - running, finished, failed; cancelled or ended when the run ended first (also a `detail`).
 * @csspart duration - How long a step or tool call took.
 * @csspart tool - A tool call, with its result once it arrived.
 * @csspart result - A tool result whose call is not in the log.
 * @csspart log - A log line; also has `level-debug`, `level-info`, `level-warn` or `level-error`.
 * @csspart level-debug - A debug log line.
 * @csspart level-info - An info log line.
 * @csspart level-warn - A warning log line.
 * @csspart level-error - An error log line.
 * @csspart error - An error reported by the run, or by the client (a malformed frame, a refused command).
 * @csspart request - The agent asked for input (or an approval was decided automatically): with the answer once given.
 * @csspart answer - The answer given to a request (or "… automatically (by policy)").
 * @csspart approval-link - "Answer": shows the request in its `<approval-prompt>`.
 * @csspart tool-link - A request's tool name: scrolls to that tool call.
 * @csspart accepted - An answer accepted for a request not in the log.
 * @csspart end - The last row once the run ended (`data-status` done, failed or cancelled): its result, or why it failed or stopped.
 * @csspart unknown - An event of a type this version does not know.
 * @csspart label - A row's kind or level ("Step", "Tool", "warn", ...).
 * @csspart text - A row's main text.
 * @csspart detail - A row's secondary text (a step's status, error code, offered choices, hidden entries).
 * @csspart tool-details - The collapsible body of a tool call.
 * @csspart tool-summary - The always-visible line of a tool call (toggles the details).
 * @csspart tool-name - The tool's name.
 * @csspart tool-status - receiving…, running…, done or failed (also as `data-status`).
 * @csspart tool-preview - A one-line preview of the arguments.
 * @csspart tool-body - The expanded details: arguments and result.
 * @csspart tool-section - The heading line of the arguments or the result, with its copy button.
 * @csspart tool-heading - "Arguments", "Result".
 * @csspart copy - A copy button (arguments, result); announces "Copied".
 * @csspart tool-args - The arguments as JSON text (while streaming: the text so far).
 * @csspart tool-result-data - The structured result as JSON text.
 * @csspart tool-result - The result's summary, under its call.
 * @csspart tool-approval - The state of the approval a tool call waits for (with "Answer" while it waits).
 * @csspart tool-view - The output of a custom renderer.
 * @csspart tool-template - The filled-in clone of a `<template data-tool>` (carries `data-status`).
 * @csspart render-error - Shown when a custom renderer threw (the default rendering is used).
 * @csspart raw - The data of an unknown event, as JSON text.
 *
 * @cssprop [--aw-log-height=20rem] - Height of the log.
 * @cssprop [--aw-log-row-padding=0.25rem 0.5rem] - Padding of each row.
 * @cssprop [--aw-log-label-width=5.5rem] - Width of the label column.
 * @cssprop [--aw-log-time-width=5.5rem] - Least width of the time column (one line; a longer local time widens it).
 * @cssprop [--aw-log-indent=1rem] - Indentation per step a row is nested in.
 * @cssprop [--aw-log-max-indent=30%] - Indentation stops growing here (of the log's width), however deep steps nest.
 * @cssprop [--aw-log-font-family=var(--aw-font-family-mono)] - Font of arguments and raw data.
 * @cssprop [--aw-log-debug-color=var(--aw-color-muted)] - Label colour of debug lines.
 * @cssprop [--aw-log-info-color=var(--aw-color-accent)] - Label colour of info lines.
 * @cssprop [--aw-log-warn-color=var(--aw-color-warning)] - Label colour of warnings.
 * @cssprop [--aw-log-error-color=var(--aw-color-danger)] - Label colour of errors.
 *
 * @fires {RevealRequestEvent} reveal-request - Cancelable: "Answer" was pressed on a waiting request; by default the `<approval-prompt>` showing it is asked to reveal it.
 * @fires {ToolRenderErrorEvent} tool-render-error - A custom renderer threw; the row falls back to the default rendering.
 */
export class AgentLog extends AgentwireElement {
  static override styles = [tokens, buttonStyles, jumpStyles, reasoningStyles, styles];

  private readonly runs = new RunController(this, () => this.restart());
  /** Store changes are rendered in the next frame, however many arrive in it (a live stream delivers one per task). */
  private readonly frames = new FrameController(this, () => this.requestUpdate());
  private readonly schedule = { render: false, onChange: () => this.frames.schedule() } as const;
  private readonly log = this.runs.bind((run) => run.store.$log, this.schedule);
  private readonly streams = this.runs.bind((run) => run.store.$toolStreams, this.schedule);
  private readonly streamedArgs = new StreamedArgs();
  private readonly reasoning = this.runs.bind((run) => run.store.$reasoning, this.schedule);
  private readonly text = this.runs.bind((run) => run.store.$text, this.schedule);
  private readonly status = this.runs.bind((run) => run.store.$status, this.schedule);
  private readonly replies = this.runs.bind((run) => run.$replies, this.schedule);
  private readonly result = this.runs.bind((run) => run.store.$result, this.schedule);
  private readonly runRenderers = this.runs.bind((run) => run.$renderers, this.schedule);
  // The virtualizer's pin keeps the newest row at the end; `settle` (after each update) follows what it measures.
  private readonly follow = new FollowController(this, () => this.list, { stickOnUpdate: false });

  @query('[part~="list"]') private list!: HTMLElement | null;
  @query('[part~="reasoning-area"]') private reasoningArea!: HTMLElement | null;
  @query('[part~="announcer"]') private announcer!: HTMLElement | null;

  /** The run to show; by default the one an enclosing `<agent-run>` provides. */
  @property({ attribute: false }) run?: RunHandle;

  /** Accessible name of the log. */
  @property() label = 'Agent log';

  /** How log messages and result summaries are shown: `text` (default) or `markdown`. */
  @property({ reflect: true }) format: 'text' | 'markdown' = 'text';

  /** Markdown: `target` of links (`_blank` by default; '' for none). */
  @property({ attribute: 'link-target' }) linkTarget = '_blank';

  /** The least level of log lines shown (steps, tool calls, requests and errors always are); the toolbar's filter sets it. */
  @property({ reflect: true }) level: LogLevel = 'debug';

  /**
   * Renderers of your own per tool name: `(call: ToolView) => TemplateResult | Node`; other tools
   * keep the default rendering. They win over the run's (`run.$renderers`) for the tools they name.
   */
  @property({ attribute: false }) renderers: ToolRenderers = {};

  /** Hide the reasoning block above the log (e.g. when a `<token-stream>` shows it). */
  @property({ type: Boolean, attribute: 'no-reasoning' }) noReasoning = false;

  @state() private printing = false;

  private renderedMarkdown = new WeakMap<object, HTMLElement>();
  /** The run's rows (kept by its store as events arrive), or an empty index without a run. */
  private get index(): LogRowsView {
    return this.runs.handle?.store.rows ?? NO_ROWS;
  }
  /** The generation of the rows the cached views were read from. */
  private generation = -1;
  private readonly visible = new VisibleRows();
  private readonly expanded = new Set<number>();
  private readonly collapsed = new Set<number>();
  private customViews = new Map<number, CustomView>();
  private templates = new Map<string, ToolRenderer>();
  private templateSheet: CSSStyleSheet | null = null;
  /** The template renderer code being loaded for `<template data-tool>` children (nothing renders until it is). */
  private templatesLoading: Promise<void> | null = null;
  /** Property changes not rendered while it loads, with their old values. */
  private readonly heldChanges = new Map<PropertyKey, unknown>();
  private readonly templateObserver = new MutationObserver(() => this.readTemplates());
  private readonly printQuery = typeof matchMedia === 'function' ? matchMedia('print') : null;
  private readonly reasoningBlocks = new ReasoningBlocks(
    (element) => this.reasoningArea?.replaceChildren(element),
    true,
    // Thoughts are shown as messages are: markdown with format="markdown".
    (messageId) => {
      const markdown = this.format === 'markdown' ? markdownChunk.module : null;
      return markdown
        ? markdown.markdownReasoning(messageId, { linkTarget: this.linkTarget })
        : textReasoning(messageId);
    },
  );
  /** The open arguments of a call still receiving them show their newest text (by row key). */
  private readonly argsFollow = new BoxFollow(
    '[part~="tool-args"]',
    (box) => box.closest<HTMLElement>('[data-key]')?.dataset['key'],
  );
  /** Text selected in the reasoning block: it is not collapsed under the selection (it is once cleared). */
  private readonly reasoningSelection = new SelectionHold(
    this,
    () => this.reasoningArea,
    (held) => {
      if (!held) this.requestUpdate();
    },
  );
  private source: RowSource | null = null;
  /** The end row, once the run ended. */
  private endView: EndView | null = null;
  /** Views of rows rendered lately, by row: a row is read from the log again only when it changed. */
  private views = new Map<number, { latest: number; end: number; size: number; view: RowView }>();

  private readonly rowContext: RowContext = {
    expanded: this.expanded,
    collapsed: this.collapsed,
    onToggle: (key, open) => {
      if (open === this.expanded.has(key)) return;
      if (open) this.expanded.add(key);
      else this.expanded.delete(key);
      this.requestUpdate();
    },
    onGroup: (row, collapse) => {
      if (collapse) this.collapsed.add(row);
      else this.collapsed.delete(row);
      this.requestUpdate();
    },
    text: (owner, text) => {
      const markdown = markdownChunk.module;
      if (this.format !== 'markdown' || !markdown) return text;
      let node = this.renderedMarkdown.get(owner);
      if (!node) {
        node = markdown.markdownText(text, { linkTarget: this.linkTarget });
        this.renderedMarkdown.set(owner, node);
      }
      return node;
    },
    custom: (tool, key) => this.customView(tool, key),
    copy: (text, what) => {
      void copyText(text, this).then((ok) => this.say(ok ? `Copied the ${what}` : `Could not copy the ${what}`));
    },
    revealRequest: (token) => this.revealRequest(token),
    revealRow: (row) => void this.revealRow(row),
  };

  // The virtualizer may ask for items past the end of a list that just got shorter (a filter): nothing.
  private readonly renderItem = (row: number | undefined): TemplateResult => {
    if (row === END_ROW) return this.endView ? renderEnd(this.endView) : html``;
    const source = this.source;
    if (!source || row === undefined || row >= this.index.count) return html``;
    // The virtualizer renders ranges on its own schedule: read the log as it is now (the rows are kept by the store as events arrive).
    const log = this.log.value;
    if (log && log !== source.log) this.source = { ...source, log };
    return renderRow(this.viewOf(this.source!, row), this.rowContext);
  };
  private readonly keyOf = (row: number | undefined, at: number): number | string =>
    row === END_ROW ? 'end' : row === undefined || row >= this.index.count ? `gone-${at}` : this.index.entry(row);
  private readonly jumpToLatest = (): void => {
    this.follow.jump();
    this.list?.focus();
  };
  private readonly onLevel = (event: Event): void => {
    const value = (event.currentTarget as HTMLSelectElement).value as LogLevel;
    if (LOG_LEVELS.includes(value)) this.level = value;
  };
  /** The virtualizer measured or moved rows: keep following the end while it settles. */
  private readonly onLayout = (): void => this.follow.settle(this.drawn);
  /** The virtualizer rendered another range of rows: clear out what the removed ones left behind. */
  private readonly onRangeRendered = (event: Event): void => sweepOrphanMarkers(event.currentTarget as Element);
  /** Rows are on screen (the virtualizer keeps one extra sizer child), or there are none. */
  private readonly drawn = (): boolean => (this.list?.childElementCount ?? 0) > 1 || this.visible.items.length === 0;
  private readonly onPrint = (): void => {
    const printing = this.printQuery?.matches === true;
    if (printing !== this.printing) this.printing = printing;
  };
  private readonly beforePrint = (): void => {
    this.printing = true;
  };
  private readonly afterPrint = (): void => this.onPrint();

  /** The virtualised list has been rendered (see `render`). */
  private virtualized = false;
  /** `onRangeRendered` listens on the list (see `updated`). */
  private sweeping = false;
  /** Index of the item the layout is pinned to (the newest, while following), or -1 (see `layoutConfig`). */
  private pinned = -1;
  /**
   * The virtualizer dropped the pin (a scroll it did not make itself): while still following, pin
   * again in this frame. The browser scrolls by itself when the rows' measured sizes shrink the
   * scroller (its position may not pass the end); unpinned, the layout kept the old position past
   * the new end and drew a frame with no rows. Decided in the frame's callbacks, which run after
   * every listener of the scroll event: microtasks run between listeners, so deciding here would
   * come before the follow controller tells the user's scroll from the layout's.
   */
  private readonly onUnpinned = (): void => {
    this.pinned = -1;
    requestAnimationFrame(() => {
      if (this.follow.following && this.pinned === -1 && this.isConnected) this.requestUpdate();
    });
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.readTemplates();
    this.templateObserver.observe(this, { childList: true, subtree: true, attributes: true, characterData: true });
    this.printQuery?.addEventListener('change', this.onPrint);
    window.addEventListener('beforeprint', this.beforePrint);
    window.addEventListener('afterprint', this.afterPrint);
    this.onPrint();
    // Rendered while detached, the list was left out, or the pin is stale: render now that the element is in a document.
    if (!this.virtualized || this.pinned !== this.visible.items.length - 1) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.templateObserver.disconnect();
    this.printQuery?.removeEventListener('change', this.onPrint);
    window.removeEventListener('beforeprint', this.beforePrint);
    window.removeEventListener('afterprint', this.afterPrint);
  }

  /** Forget the rows of a previous run. */
  private restart(): void {
    this.generation = -1;
    this.expanded.clear();
    this.collapsed.clear();
    this.customViews = new Map();
    this.views = new Map();
    this.endView = null;
    this.reasoningBlocks.clear();
    this.argsFollow.forget();
    this.pinned = -1;
    this.readTemplates();
  }

  /** `<template data-tool>` children → renderers (each clones its template per call), and their styles adopted once. */
  private readTemplates(): void {
    const found = this.querySelectorAll<HTMLTemplateElement>(':scope > template[data-tool]');
    const code = toolTemplates();
    if (found.length > 0 && !code && !toolTemplatesFailed()) {
      // Read again once the code is loaded; until then nothing renders (a templated tool never shows the default view first).
      this.templatesLoading ??= loadToolTemplates().then(() => {
        this.templatesLoading = null;
        this.readTemplates();
      });
      return;
    }
    const templates = new Map<string, ToolRenderer>();
    const css: string[] = [];
    if (code) {
      for (const template of found) {
        const name = template.dataset['tool'] ?? '';
        if (name === '' || templates.has(name)) continue;
        templates.set(name, code.templateRenderer(template));
        css.push(code.templateStyles(template));
      }
    }
    this.templates = templates;
    this.customViews = new Map();
    const root = this.renderRoot instanceof ShadowRoot ? this.renderRoot : null;
    const text = css.join('\n');
    if (root && (text !== '' || this.templateSheet)) {
      this.templateSheet ??= new CSSStyleSheet();
      this.templateSheet.replaceSync(text);
      if (!root.adoptedStyleSheets.includes(this.templateSheet))
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.templateSheet];
    }
    this.requestUpdate();
  }

  private rendererFor(name: string): ToolRenderer | undefined {
    if (Object.hasOwn(this.renderers, name)) return this.renderers[name];
    const template = this.templates.get(name);
    if (template) return template;
    const shared = this.runRenderers.value;
    return shared && Object.hasOwn(shared, name) ? shared[name] : undefined;
  }

  /**
   * The view of `row`, cached until the row changes (a result, an answer, a completed call, a row
   * added to an open step, which a collapsed step counts): a frame reads only what is new from the
   * log, however many rows are in view. Requests are read every time (their expiry depends on the
   * clock).
   */
  private viewOf(source: RowSource, row: number): RowView {
    const latest = this.index.latest(row);
    const end = this.index.end(row);
    const size = this.index.size(row);
    const cached = this.views.get(row);
    if (cached?.latest === latest && cached.end === end && cached.size === size) return cached.view;
    const view = rowView(source, row);
    if (view.kind === 'request') return view;
    if (this.views.size >= MAX_CACHED_VIEWS) this.views.clear();
    this.views.set(row, { latest, end, size, view });
    return view;
  }

  /** A tool's custom view (rendered again only when the call changed), or undefined when it has no renderer. */
  private customView(tool: ToolView, key: number): unknown {
    const renderer = this.rendererFor(tool.name);
    if (!renderer) return undefined;
    const signature = [
      tool.status,
      tool.argsText?.length ?? -1,
      tool.summary,
      tool.durationMs,
      tool.approval?.status,
      tool.approval?.answer,
      this.source?.index.latest(this.index.rowOfCall(tool.callId)),
    ].join('|');
    const cached = this.customViews.get(key);
    if (cached?.signature === signature && cached.renderer === renderer) return cached.output;
    let output: unknown;
    try {
      output = renderer(tool);
    } catch (error) {
      this.dispatchEvent(new ToolRenderErrorEvent(tool, error));
      output = html`<span part="render-error">This tool’s view failed; showing the default.</span>`;
      return output;
    }
    this.customViews.set(key, { signature, renderer, output });
    return output;
  }

  /** Say `text` politely. */
  private say(text: string): void {
    const region = this.announcer;
    if (!region) return;
    region.replaceChildren(Object.assign(document.createElement('p'), { textContent: text }));
  }

  /** Ask the `<approval-prompt>` showing request `token` to reveal it (unless the host handles `reveal-request`). */
  private revealRequest(token: string): void {
    const event = new RevealRequestEvent(token);
    if (!this.dispatchEvent(event)) return;
    const roots = new Set<Document | ShadowRoot>([document]);
    const root = this.getRootNode();
    if (root instanceof ShadowRoot) roots.add(root);
    for (const scope of roots)
      for (const prompt of scope.querySelectorAll<RevealingElement>('approval-prompt'))
        if (typeof prompt.reveal === 'function' && prompt.reveal(token)) return;
  }

  /** Show row `row` (expanding the steps around it), open its details and focus it. */
  private async revealRow(row: number): Promise<void> {
    for (let p = this.index.parent(row); p >= 0; p = this.index.parent(p)) this.collapsed.delete(p);
    const key = this.index.entry(row);
    this.expanded.add(key);
    this.follow.release();
    this.requestUpdate();
    await this.updateComplete;
    const position = this.visible.positionOf(row);
    const list: VirtualizedList | null = this.list;
    if (position < 0 || !list) return;
    list[virtualizerRef]?.element(position)?.scrollIntoView({ block: 'center' });
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await this.updateComplete;
    const target = this.renderRoot.querySelector<HTMLElement>(`[data-key="${key}"] [part~="tool-summary"]`);
    target?.focus({ preventScroll: true });
  }

  /**
   * While following, the layout itself keeps the newest row at the end (`pin`): it places the rows
   * and the scroll position in one pass. Scrolled there from outside, it would measure the new row,
   * then move the range and render rows inside its ResizeObserver callback, which Chromium reports
   * as a "ResizeObserver loop" window error, on every appended entry. The pin is passed only when it
   * changes, and only while connected: setting it makes the layout reflow, even when detached.
   */
  private layoutConfig(items: readonly number[]): VirtualizeDirectiveConfig<number>['layout'] {
    const newest = items.length - 1;
    if (!this.follow.following) this.pinned = -1;
    if (!this.follow.following || newest < 0 || newest === this.pinned || !this.isConnected) return { type: LogLayout };
    this.pinned = newest;
    return { type: LogLayout, pin: { index: newest, block: 'end' } };
  }

  /** Nothing renders while the code of the log's `<template data-tool>` renderers is loading; the changes wait (see `willUpdate`). */
  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    if (this.templatesLoading === null) return super.shouldUpdate(changed);
    for (const [key, old] of changed as Map<PropertyKey, unknown>)
      if (!this.heldChanges.has(key)) this.heldChanges.set(key, old);
    return false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Changes made while nothing rendered (see `shouldUpdate`) are this update's too.
    const all = changed as Map<PropertyKey, unknown>;
    for (const [key, old] of this.heldChanges) if (!all.has(key)) all.set(key, old);
    this.heldChanges.clear();
    super.willUpdate(changed);
    if (changed.has('format') || changed.has('linkTarget')) {
      this.renderedMarkdown = new WeakMap();
      this.reasoningBlocks.clear();
    }
    if (changed.has('renderers')) this.customViews = new Map();
    const markdown = markdownChunk.module;
    if (this.format === 'markdown' && waitsFor(markdownChunk))
      void markdownChunk.load().then(() => this.requestUpdate());
    if (this.format === 'markdown' && markdown && this.renderRoot instanceof ShadowRoot)
      markdown.adoptMarkdownStyles(this.renderRoot);
  }

  protected override update(changed: PropertyValues<this>): void {
    // This update renders the log as it is now: a frame scheduled for it has nothing left to do.
    this.frames.cancel();
    // After the RunController's hostUpdate, so a new handle's log is already bound.
    const log = this.log.value;
    const handle = this.runs.handle;
    const index = this.index;
    const streams = this.streams.value ?? EMPTY_STREAMS;
    const replies = this.replies.value;
    const ended = endedStatus(this.status.value);
    // Tool rows read the streaming arguments, every row's answer reads the replies, and what was
    // left open reads how the run ended: when those change, or the rows were indexed again, cached
    // views are stale.
    if (
      index.generation !== this.generation ||
      streams !== this.source?.streams ||
      replies !== this.source.replies ||
      ended !== this.source.ended
    )
      this.views.clear();
    this.generation = index.generation;
    this.endView = handle && ended ? this.ending(handle, ended) : null;
    this.visible.configure(
      (LEVEL_RANK as Partial<Record<string, number>>)[this.level] ?? 0,
      this.collapsed,
      this.endView !== null,
    );
    this.visible.sync(index);
    this.source =
      log && handle
        ? {
            index,
            log,
            times: handle.store.times,
            streams,
            args: this.streamedArgs,
            replies,
            // Requests' deadlines are on the server's clock.
            now: handle.store.clock.now(),
            ended,
          }
        : null;
    super.update(changed);
  }

  protected override updated(): void {
    // The virtualize directive renders a new range in its own `rangeChanged` listener, added when
    // it first rendered: a listener added after that one runs once the new range is in the DOM.
    if (this.virtualized && !this.sweeping && this.list) {
      this.list.addEventListener('rangeChanged', this.onRangeRendered);
      this.sweeping = true;
    }
    // In markdown, the reasoning waits for the renderer (it is shown at once when it has loaded).
    if (!this.noReasoning && !(this.format === 'markdown' && waitsFor(markdownChunk)))
      this.reasoningBlocks.sync(this.reasoning.value, {
        text: this.text.value,
        streaming: this.status.value === 'running',
        now: Date.now(),
        reading: this.reasoningSelection.held,
      });
    if (this.reasoningArea) this.reasoningArea.hidden = this.noReasoning || this.reasoningBlocks.size === 0;
    for (const box of this.list?.querySelectorAll<HTMLElement>('[part~="tool-args"]') ?? [])
      if (box.closest('[part~="tool-details"]')?.querySelector('[data-status="streaming"]')) this.argsFollow.show(box);
    this.follow.settle(this.drawn);
  }

  /**
   * Resolves once rendered (including entries the store reported, which are rendered in the next
   * frame, unless the page is hidden) and, while following, once the virtualised rows have settled
   * at the end.
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    while (this.templatesLoading || (this.frames.pending && document.visibilityState !== 'hidden')) {
      await (this.templatesLoading ?? this.frames.flushed);
      result = await super.getUpdateComplete();
    }
    await this.follow.settled;
    return result;
  }

  /** The end row of a run that ended `ended` (kept while nothing about the ending changed). */
  private ending(handle: RunHandle, ended: EndView['status']): EndView {
    const done = this.result.value ?? null;
    const previous = this.endView;
    const result = resultText(done);
    const ending = endingText(ended, endReason(handle.store.$state.get()));
    if (previous?.status === ended && previous.result === result && previous.ending === ending) return previous;
    const at = done?.at === undefined ? Number.NaN : Date.parse(done.at);
    // The server's time of its `done`, else when this element first saw the run ended.
    return { status: ended, result, ending, time: Number.isNaN(at) ? (previous?.time ?? Date.now()) : at };
  }

  /** What the log says while it lists nothing: it tells a run with only text from one that has not started. */
  private emptyText(): string {
    if (this.index.count > 0) return 'No entries at this level.';
    const status = this.status.value ?? 'idle';
    const hasText = (this.text.value?.length ?? 0) > 0 || (this.reasoning.value?.length ?? 0) > 0;
    if (status === 'idle' || status === 'queued') return hasText ? 'No steps or tool calls yet.' : 'No activity yet.';
    if (status === 'running' || status === 'waiting')
      return hasText ? 'No steps or tool calls yet: the agent is answering.' : 'Thinking…';
    return hasText ? 'This run logged no steps or tool calls: its answer is its text.' : 'This run logged nothing.';
  }

  protected override render(): unknown {
    const items = this.visible.items;
    // @lit-labs/virtualizer 2.1.1 sets itself up (a window scroll listener, observers) even when it
    // first renders into a detached element, and nothing tears that down: an element removed before
    // its first update would stay in memory. So the virtualizer is first rendered in an update
    // while connected; from then on it is kept, and follows disconnection and reconnection itself.
    this.virtualized ||= this.isConnected;
    const list = this.virtualized
      ? virtualize({
          items: items as number[],
          renderItem: this.renderItem,
          keyFunction: this.keyOf,
          scroller: true,
          layout: this.layoutConfig(items),
        })
      : nothing;
    return html`
      <div part="base">
        <div part="toolbar">
          <label
            >Show
            <select part="level-filter" .value=${this.level} @change=${this.onLevel}>
              ${LEVEL_CHOICES.map(
                ([value, text]) => html`<option value=${value} ?selected=${value === this.level}>${text}</option>`,
              )}
            </select></label
          >
        </div>
        <div part="reasoning-area" hidden></div>
        <div class="frame">
          ${items.length === 0 ? html`<p part="empty">${this.emptyText()}</p>` : nothing}
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
          ${
            this.printing
              ? html`<div part="print-list" role="log" aria-label=${this.label}>${items.map(this.renderItem)}</div>`
              : nothing
          }
          <button part="jump" class="button" type="button" ?hidden=${this.follow.following} @click=${this.jumpToLatest}>
            Jump to latest
          </button>
        </div>
        <div part="announcer" class="visually-hidden" role="status" aria-live="polite"></div>
      </div>
    `;
  }
}
