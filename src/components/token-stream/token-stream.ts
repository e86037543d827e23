import { ContextConsumer } from '@lit/context';
import { html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { AgentwireElement } from '../agentwire-element.ts';
import type { Highlighter } from '../../markdown/code-block.ts';
import { FollowController } from '../../controllers/follow-controller.ts';
import { FrameController } from '../../controllers/frame-controller.ts';
import { RunController } from '../../controllers/run-controller.ts';
import { SelectionHold } from '../../controllers/selection-hold.ts';
import { StoreController } from '../../controllers/store-controller.ts';
import { conversationContext } from '../../context/conversation-context.ts';
import type { MessageRole } from '../../protocol/index.ts';
import { turnKey, type Turn } from '../../store/index.ts';
import { computed, type ReadableAtom } from 'nanostores';
import type { RunHandle } from '../../run/types.ts';
import type { RunStatus, RunStoreState, TextState } from '../../store/index.ts';
import { buttonStyles, jumpStyles, tokens } from '../../styles/tokens.ts';
import { MessageCompleteEvent } from './events.ts';
import { HistoryView } from './history-view.ts';
import { PendingView } from './pending-view.ts';
import type { PendingTurn } from '../../run/conversation.ts';
import { isRunActive } from '../../run/run-active.ts';
import { MAX_TIMER_MS } from '../../transports/timers.ts';
import type * as MarkdownModule from './markdown-message-view.ts';
import { MessageView } from './message-view.ts';
import { lazyModule, waitsFor } from '../shared/lazy-module.ts';
import { placeholderText, StreamReasoning } from './reasoning-view.ts';
import { reasoningStyles } from '../shared/reasoning.styles.ts';
import { endingText, endReason } from '../shared/run-ending.ts';
import { TextCursor, type Completion, type TextOp } from './text-cursor.ts';
import { CaretRest } from './caret-rest.ts';
import { styles } from './token-stream.styles.ts';
import { createTurn, RETRY_REASON_ID, setRetryAvailability, type RetryAvailability } from './turn-view.ts';
import type * as UserTemplateModule from './user-template.ts';
import { CustomUserView, type UserTurnData, type UserTurnRenderer } from './user-turn-view.ts';

/** Longest text read out for one completed message; the rest stays on screen. */
export const MAX_ANNOUNCEMENT_LENGTH = 4000;
/** Why the retry buttons are disabled (their description while busy). */
const RETRY_BUSY = 'Wait for the current answer to finish before retrying.';

/** Announcements kept in the live region (older ones are removed, which is not announced). */
const KEPT_ANNOUNCEMENTS = 3;

/** How `<token-stream>` shows messages. */
export type StreamFormat = 'text' | 'markdown';

/**
 * The markdown path, loaded on first use (its own chunk: a page that only shows text never loads
 * it). When it cannot be loaded (a chunk gone after a deploy, a blocked request), messages are
 * shown as text: the answer is never held back waiting for it.
 */
const markdownChunk = lazyModule((): Promise<typeof MarkdownModule> => import('./markdown-message-view.ts'));

/**
 * The `<template data-role="user">` code, loaded on first use (a stream without one never loads
 * it). When it cannot be loaded, user messages are shown as text.
 */
const userTemplatesChunk = lazyModule((): Promise<typeof UserTemplateModule> => import('./user-template.ts'));

/** A shown message's view: streamed text, markdown, or a user's message drawn by the host. */
type AnyView = MessageView | MarkdownModule.MarkdownMessageView | CustomUserView;

/** `image-origins="https://a.example https://b.example"` ↔ a list of origins. */
const originList = {
  fromAttribute: (value: string | null): string[] => (value ?? '').split(/\s+/).filter(Boolean),
  toAttribute: (value: readonly string[]): string => value.join(' '),
};

/** `drawInterval` as ms: anything but a finite number ≥ 0 (NaN, negative, Infinity) draws every frame (0). */
function drawIntervalMs(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Streamed text of a run, with each message's reasoning in a collapsible block above it (open while
 * the model thinks, collapsed once the answer starts, but not while the user reads: scrolled away
 * from the end or selecting text) and a placeholder ("Thinking…") before the
 * first token. New text is appended to what is shown, batched once per animation
 * frame, so each frame costs O(new text) however long the stream gets; nothing already shown is
 * re-rendered. A caret shows at the end while the run streams (steady while text arrives,
 * blinking when it pauses). The view follows the newest text unless the user scrolled up, in
 * which case a "Jump to latest" button appears. Content is always text, never HTML.
 *
 * With `format="markdown"` each message is rendered as CommonMark + GFM (headings, lists, task
 * lists, quotes, tables, code blocks with a language label and a copy button, links, strikethrough)
 * by an incremental renderer loaded on first use (if it cannot be loaded, messages show as text):
 * each draw (at most every `draw-interval` ms while
 * the message streams, 50 by default) renders only the open (last) block again; finished blocks,
 * and finished code blocks above all, are never re-created. Unfinished
 * syntax at the end (`**bo`, an open backtick or fence, a half link) shows provisionally closed.
 * Untrusted by default: raw HTML stays text; links only for http(s), mailto and relative
 * addresses, with `rel="noopener noreferrer"`; images load only from `image-origins`, otherwise
 * they are a link-like placeholder with their alt text; `$` is never math. Reasoning blocks are
 * rendered the same way (a summary's `**Title**` shows bold, not as asterisks).
 *
 * Screen readers: the text region is `aria-busy` while streaming and is not live; each message
 * is announced once, politely, when it completes (the next message starts, or the run waits for
 * input or ends).
 *
 * Conversations: a message with the role `user` (a `message` event) is the user's turn, shown
 * apart as `part="user-message"` (always text) and never announced; inside an `<agent-run>` the
 * turns of the thread's earlier runs are shown above the live run (`part="history"`). Every
 * message has a copy button; an answer also has a Retry button (`part="retry-message"`) that sends
 * the user's message before it again as a new run in the thread (`aria-disabled`, saying why,
 * while a run is live). A message the user sends shows at once, before the run's first
 * event, and the server's own user turn replaces it when it arrives (never both); one that could
 * not be sent stays, marked `data-pending="failed"` with why. While the user has text selected
 * inside the stream, following the end pauses, so the selection does not scroll away.
 *
 * Custom user turns: a `<template data-role="user">` child is cloned per user message and filled
 * with text only (`data-field="text"`, also `status`, `error`, `messageId`, `runId`; `data-if`;
 * its `<style>` applies inside), or code sets `renderUserTurn`. Its code loads on first use.
 *
 * @slot - A `<template data-role="user">`: how the user's messages are drawn (filled in with text).
 *
 * @tag token-stream
 * @summary Streamed text of a run, appended per frame, with a caret and follow-the-end scrolling.
 *
 * @csspart base - The wrapper around everything.
 * @csspart viewport - The scrolling text region.
 * @csspart content - The container of the messages.
 * @csspart message - One message's text (carries `data-message-id`).
 * @csspart user-message - A user's message (carries `data-message-id`), in place of `message`.
 * @csspart turn - The frame of one message and its actions (carries `data-role`: user, assistant, tool, system; a user's message shown before its run shows it carries `data-pending`: `sending`, `sent` or `failed`).
 * @csspart user-template - The filled-in clone of a `<template data-role="user">` (carries `data-status`), inside `user-message`.
 * @csspart send-error - Why a user's message was not sent, in its turn (`data-pending="failed"`).
 * @csspart message-actions - The actions under a message.
 * @csspart copy-message - A message's copy button (announces "Copied").
 * @csspart retry-message - An answer's "Retry" button in a conversation: sends the user's message before it again, as a new run in the thread (announces "Retrying."; `aria-disabled`, saying why, while a run is live).
 * @csspart history - The earlier turns of the conversation, above the live run.
 * @csspart caret - The caret after the newest text while the run streams.
 * @csspart ending - After the text of a run that failed or was cancelled: why ("Failed: disk full", "Stopped before it finished").
 * @csspart placeholder - What shows while there is no text yet ("Thinking…", "Waiting for the run to start…", "No response.").
 * @csspart reasoning - A message's reasoning, above its answer (a details element, collapsed once the answer starts).
 * @csspart reasoning-summary - The reasoning block's summary ("Thinking…", "Thought for 4 s").
 * @csspart reasoning-text - The reasoning's text.
 * @csspart jump - The "Jump to latest" button, shown while the user is scrolled away from the end.
 * @csspart code-block - Markdown: a code block (header and code; `data-language` carries its language).
 * @csspart code-header - Markdown: the bar above a code block's code.
 * @csspart code-language - Markdown: a code block's language label.
 * @csspart copy - Markdown: a code block's copy button (announces "Copied").
 * @csspart code - Markdown: inline code.
 * @csspart table - Markdown: a table (it scrolls sideways inside its wrapper when too wide).
 * @csspart link - Markdown: a link.
 * @csspart link-blocked - Markdown: the text of a link whose address is not allowed (nothing navigates).
 * @csspart image - Markdown: an image from an allowed origin.
 * @csspart image-placeholder - Markdown: an image that was not loaded (its alt text, a link to it when its address is http(s)).
 * @csspart blockquote - Markdown: a block quote.
 * @csspart task-checkbox - Markdown: the (read-only) checkbox of a task list item.
 *
 * @cssprop [--aw-stream-max-height=24rem] - Height from which the text scrolls.
 * @cssprop [--aw-stream-padding=var(--aw-space)] - Padding around the text.
 * @cssprop [--aw-stream-message-gap=0.75em] - Space between messages.
 * @cssprop [--aw-stream-font-family=var(--aw-font-family)] - Font of the streamed text.
 * @cssprop [--aw-stream-caret-color=var(--aw-color-accent)] - Colour of the caret.
 * @cssprop [--aw-reasoning-color=var(--aw-color-muted)] - Text colour of reasoning.
 * @cssprop [--aw-reasoning-border-color=var(--aw-color-border)] - The line beside reasoning.
 * @cssprop [--aw-reasoning-max-height=12rem] - Height from which reasoning scrolls.
 * @cssprop [--aw-stream-user-background=var(--aw-color-surface-raised)] - Background of the user's messages.
 * @cssprop [--aw-stream-user-color=var(--aw-color-text)] - Text colour of the user's messages.
 * @cssprop [--aw-md-code-font-family=var(--aw-font-family-mono)] - Markdown: font of code.
 * @cssprop [--aw-md-code-background=var(--aw-color-surface-raised)] - Markdown: background of code and table headers.
 * @cssprop [--aw-md-code-color=var(--aw-color-text)] - Markdown: colour of code.
 * @cssprop [--aw-md-border-color=var(--aw-color-border)] - Markdown: borders of code blocks, tables, quotes and rules.
 * @cssprop [--aw-md-link-color=var(--aw-color-accent)] - Markdown: colour of links.
 * @cssprop [--aw-md-quote-color=var(--aw-color-muted)] - Markdown: text colour of block quotes.
 *
 * @fires {MessageCompleteEvent} message-complete - A message finished streaming; it is announced to screen readers once.
 */
export class TokenStream extends AgentwireElement {
  static override styles = [tokens, buttonStyles, jumpStyles, reasoningStyles, styles];

  private readonly runs = new RunController(this, () => this.restart());
  /** Text arriving one token per task is appended once per frame, however many tokens came in it. */
  private readonly frames = new FrameController(this, () => this.flush());
  private readonly text = this.runs.bind((run) => run.store.$text, {
    render: false,
    onChange: (text) => this.textArrived(text),
  });
  private readonly status = this.runs.bind((run) => run.store.$status, { onChange: () => this.frames.schedule() });
  /** Reasoning ("thinking"): a collapsible block above its message's answer, streamed like the text. */
  private readonly reasoning = this.runs.bind((run) => run.store.$reasoning, {
    render: false,
    onChange: () => this.frames.schedule(),
  });
  /** Why the run failed or was cancelled, shown after its text. */
  private readonly reason = this.runs.bind((run) => computed(run.$state, endReason), {
    render: false,
    onChange: () => this.frames.schedule(),
  });
  private readonly roles = this.runs.bind(rolesOf, { render: false });
  private readonly follow = new FollowController(this, () => this.viewport);
  /** Following the end pauses while text is selected inside the stream. */
  private readonly selection = new SelectionHold(
    this,
    () => this.viewport,
    (held) => {
      this.follow.hold(held);
      // Done selecting: a reasoning block kept open for the reader may collapse now.
      if (!held) this.frames.schedule();
    },
  );
  private readonly conversation = new ContextConsumer(this, {
    context: conversationContext,
    subscribe: true,
    callback: (value) => {
      this.history.store = value?.$history;
      this.pending.store = value?.$pending;
      this.sending.store = value?.$sending;
      this.frames.schedule();
    },
  });
  /** True while the conversation sends a message (retrying waits for it). */
  private readonly sending = new StoreController<boolean>(this, undefined, {
    render: false,
    onChange: () => this.frames.schedule(),
  });
  /** What the retry buttons show now (see `RetryAvailability`); every new button gets it too. */
  private retryAvailability: RetryAvailability = 'none';
  private readonly history = new StoreController<readonly Turn[]>(this, undefined, {
    render: false,
    onChange: () => this.frames.schedule(),
  });
  /** The user's messages shown at once, before (or instead of) the run's own user turn. */
  private readonly pending = new StoreController<readonly PendingTurn[]>(this, undefined, {
    render: false,
    onChange: () => this.frames.schedule(),
  });

  /**
   * Elements of the template, found once each (it is rendered once and updated in place, never
   * replaced). Not `@query(selector, true)`: the controllers read them before the first update, which
   * that decorator warns about in development builds.
   */
  private readonly found = new Map<string, HTMLElement>();
  /** The template's element matching `selector`, or null before the first render (no per-frame query). */
  private find(selector: string): HTMLElement | null {
    let element = this.found.get(selector);
    if (!element) {
      // No render root before the element is first connected.
      const root = this.renderRoot as ParentNode | undefined;
      element = root?.querySelector<HTMLElement>(selector) ?? undefined;
      if (element) this.found.set(selector, element);
    }
    return element ?? null;
  }
  private get viewport(): HTMLElement | null {
    return this.find('[part~="viewport"]');
  }
  private get content(): HTMLElement | null {
    return this.find('[part~="content"]');
  }
  private get historyContainer(): HTMLElement | null {
    return this.find('[part~="history"]');
  }
  private get announcer(): HTMLElement | null {
    return this.find('.announcer');
  }
  private get placeholder(): HTMLElement | null {
    return this.find('[part~="placeholder"]');
  }
  private get endingLine(): HTMLElement | null {
    return this.find('[part~="ending"]');
  }

  /** The run to show; by default the one an enclosing `<agent-run>` provides. */
  @property({ attribute: false }) run?: RunHandle;

  /** Accessible name of the text region. */
  @property() label = 'Response';

  /** How messages are shown: `text` (as is, the default) or `markdown` (CommonMark + GFM, rendered safely). */
  @property({ reflect: true }) format: StreamFormat = 'text';

  /** Markdown: `target` of links (`_blank` by default, so a link never navigates away from a live run; '' for none). */
  @property({ attribute: 'link-target' }) linkTarget = '_blank';

  /** Markdown: origins images may load from (attribute: space-separated); other images show as placeholders. */
  @property({ attribute: 'image-origins', converter: originList }) imageOrigins: string[] = [];

  /** Markdown: a syntax highlighter for code blocks, `(code, language) => HTML string | Node | Promise`; applied once per finished block, HTML sanitised. */
  @property({ attribute: false }) highlight: Highlighter | null = null;

  /**
   * Markdown: while a message streams, the least time in ms between two renders of its open block
   * (50, the default: every third frame at 60 Hz, as chat kits throttle their updates; 0: every
   * frame).
   * A message's first text and its final render are never held back; a value that is not a
   * finite number of ms ≥ 0 (NaN, negative, Infinity) draws every frame.
   */
  @property({ type: Number, attribute: 'draw-interval' }) drawInterval = 50;

  /** Hide the reasoning blocks above the answers. */
  @property({ type: Boolean, attribute: 'no-reasoning' }) noReasoning = false;

  /**
   * Draws the user's messages: `(turn) => Node | null` (null: the default). `turn` has `text`,
   * `messageId`, `runId`, `status` (`sending`, `sent`, `failed`, `shown`) and `error`; put text in
   * with `textContent`, never as markup. Wins over a `<template data-role="user">` child.
   */
  @property({ attribute: false }) renderUserTurn: UserTurnRenderer | null = null;

  /** True while the run streams, reflected for styling. Read-only: it follows the run. */
  @property({ type: Boolean, reflect: true }) streaming = false;

  private cursor = new TextCursor();
  /** Brings the frame of the streaming markdown's next draw, once `drawInterval` allows it (see `drawLater`). */
  private drawTimer: ReturnType<typeof setTimeout> | undefined;
  /** While the streaming markdown waits for its next draw: the text's runs then (the same list while only its last message grows). */
  private held: TextState['runs'] | null = null;
  /** Whether the user was reading (scrolled away, or selecting) when the reasoning blocks were last synced. */
  private readingShown = false;
  /** The cursor has not taken its baseline yet (see `updated`). */
  private unprimed = true;
  private readonly views = new Map<string, AnyView>();
  /** The `<template data-role="user">` child in use, and the sheet of its styles. */
  private userTemplate: HTMLTemplateElement | null = null;
  private userTemplateSheet: CSSStyleSheet | null = null;
  private userTemplateSource: string | null = null;
  private readonly templateObserver = new MutationObserver(() => this.readUserTemplate());
  /** Each shown message's turn (its frame with the actions), by message id. */
  private readonly turns = new Map<string, HTMLElement>();
  private historyView: HistoryView | null = null;
  private readonly pendingView = new PendingView((turn) => this.renderPending(turn));
  private readonly caret = Object.assign(document.createElement('span'), { ariaHidden: 'true' });
  /** The caret is steady while text arrives and blinks when it rests. */
  private readonly caretRest = new CaretRest(this.caret);
  private readonly thoughts = new StreamReasoning(
    () => this.content,
    // Reasoning goes above its message's turn (the frame holding the message and its actions).
    (messageId) => this.turns.get(messageId) ?? this.views.get(messageId)?.element,
    // Thoughts are shown as answers are: markdown with format="markdown".
    (messageId) => this.answerView(messageId),
  );

  private readonly jumpToLatest = (): void => {
    this.follow.jump();
    this.viewport?.focus();
  };

  constructor() {
    super();
    this.caret.setAttribute('part', 'caret');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // The markdown path starts loading as soon as it is asked for (while the user types, not after the first token).
    if (changed.has('format') && this.format === 'markdown') void markdownChunk.load();
    // A new interval applies at once, also to text held back by the old one.
    if (changed.has('drawInterval') && this.hasUpdated) this.frames.schedule();
    // The reader is back at the end: what was left open for them may collapse now (also when no
    // more text comes).
    if (this.follow.reading !== this.readingShown && this.hasUpdated) this.frames.schedule();
    const options: (keyof TokenStream)[] = [
      'format',
      'linkTarget',
      'imageOrigins',
      'highlight',
      'noReasoning',
      'renderUserTurn',
    ];
    // Shown messages are rendered again in the new format (from the store's text; not announced again).
    if (this.hasUpdated && options.some((name) => changed.has(name))) {
      this.historyView?.clear();
      this.pendingView.clear();
      this.restart();
    }
  }

  /** Reads the `<template data-role="user">` child and watches for changes to it. */
  override connectedCallback(): void {
    super.connectedCallback();
    this.readUserTemplate();
    this.templateObserver.observe(this, { childList: true, subtree: true, attributes: true, characterData: true });
  }

  /** Stops watching the template (and the caret's rest timer). */
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.templateObserver.disconnect();
    this.caretRest.stop();
    this.drawLater(null);
  }

  /** Take the `<template data-role="user">` child (its styles adopted); what is shown is drawn again when it changed. */
  private readUserTemplate(): void {
    const template = this.querySelector<HTMLTemplateElement>(':scope > template[data-role="user"]');
    // Other changes of the light DOM leave what is shown alone.
    const source = template?.innerHTML ?? null;
    if (template === this.userTemplate && source === this.userTemplateSource) return;
    this.userTemplateSource = source;
    const root = this.renderRoot instanceof ShadowRoot ? this.renderRoot : null;
    const css = template
      ? [...template.content.querySelectorAll('style')].map((style) => style.textContent).join('\n')
      : '';
    if (root && (css !== '' || this.userTemplateSheet)) {
      this.userTemplateSheet ??= new CSSStyleSheet();
      this.userTemplateSheet.replaceSync(css);
      if (!root.adoptedStyleSheets.includes(this.userTemplateSheet))
        root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.userTemplateSheet];
    }
    // A change inside the template (or a new one) is drawn again.
    this.userTemplate = template;
    this.userRenderer = null;
    if (this.hasUpdated) {
      this.historyView?.clear();
      this.pendingView.clear();
      this.restart();
    }
  }

  /** The template's renderer, made once per template read. */
  private userRenderer: UserTurnRenderer | null = null;

  /** How user messages are drawn now: `renderUserTurn`, else the template, else null (text). */
  private userDrawing(): UserTurnRenderer | null {
    if (this.renderUserTurn) return this.renderUserTurn;
    const templates = userTemplatesChunk.module;
    if (!this.userTemplate || !templates) return null;
    return (this.userRenderer ??= templates.userTemplateRenderer(this.userTemplate));
  }

  /** A user's message: drawn by the host when it asks to, else streamed text. */
  private userView(data: Omit<UserTurnData, 'text'>): MessageView | CustomUserView {
    const drawing = this.userDrawing();
    return drawing ? new CustomUserView(data, drawing) : new MessageView(data.messageId);
  }

  protected override update(changed: PropertyValues<this>): void {
    // After the RunController's hostUpdate, so a new handle's status is already bound.
    this.streaming = this.status.value === 'running';
    super.update(changed);
  }

  /**
   * A new cursor's first sync (its baseline: shown, never announced) happens in the update that
   * follows connecting or a new run, not a frame later: text that arrives after the element
   * started showing the run is announced even when frames come late (a slow or busy page).
   */
  protected override updated(): void {
    if (!this.unprimed || !this.content) return;
    this.unprimed = false;
    this.frames.cancel();
    this.flush();
  }

  /** Forget what is shown (a different run). */
  private restart(): void {
    // A focused action of the shown run (e.g. its Retry) moves with its turn into the history, never to the page.
    const refocus = this.focusedAction();
    if (refocus) this.syncHistory();
    this.cursor = new TextCursor();
    this.unprimed = true;
    this.views.clear();
    this.thoughts.clear();
    this.turns.clear();
    this.content?.replaceChildren();
    // What was said for the new run (e.g. "Retrying.") stays; the rest goes.
    for (const said of [...(this.announcer?.children ?? [])])
      if (said instanceof HTMLElement && 'keep' in said.dataset) delete said.dataset['keep'];
      else said.remove();
    if (refocus) this.historyAction(refocus.key, refocus.part)?.focus({ preventScroll: true });
    this.frames.schedule();
  }

  /** The turn key and part of the focused action button of a turn of the shown run, if one is focused. */
  private focusedAction(): { key: string; part: string } | null {
    const focused = this.shadowRoot?.activeElement;
    if (!(focused instanceof HTMLElement) || !this.content?.contains(focused)) return null;
    const key = focused.closest<HTMLElement>('[part~="turn"]')?.dataset['key'];
    const part = focused.getAttribute('part');
    return key && part ? { key, part } : null;
  }

  /** The action button `part` of the history's turn `key`. */
  private historyAction(key: string, part: string): HTMLElement | null {
    for (const turn of this.historyContainer?.querySelectorAll<HTMLElement>('[part~="turn"]') ?? [])
      if (turn.dataset['key'] === key) return turn.querySelector<HTMLElement>(`[part="${part}"]`);
    return null;
  }

  /** Once per frame: append what is new, announce completed messages, place the caret, follow the end. */
  private flush(): void {
    const content = this.content;
    if (!content) return;
    if (this.format === 'markdown' && waitsFor(markdownChunk)) {
      void markdownChunk.load().then(() => this.frames.schedule());
      return;
    }
    // A user template's code first (a templated message never shows the default view first).
    if (this.userTemplate && !this.renderUserTurn && waitsFor(userTemplatesChunk)) {
      void userTemplatesChunk.load().then(() => this.frames.schedule());
      return;
    }
    this.syncHistory();
    this.syncRetry();
    const text = this.text.value;
    const completed: Completion[] = [];
    if (text) {
      const sync = this.cursor.sync(text);
      for (const op of sync.ops) this.applyOp(content, op);
      if (sync.ops.length > 0) this.caretRest.arrived();
      completed.push(...sync.completed);
    }
    const status = this.status.value ?? 'idle';
    const streaming = status === 'running';
    let nextDraw: number | null = null;
    for (const [id, view] of this.views) {
      if (!('commit' in view)) continue;
      const complete = !streaming || id !== this.cursor.currentMessage;
      const wait = view.commit(complete, this.caret, drawIntervalMs(this.drawInterval));
      if (wait !== null) nextDraw = Math.min(nextDraw ?? wait, wait);
    }
    if (status !== 'idle' && status !== 'queued' && !streaming) completed.push(...this.cursor.finish());
    for (const completion of completed) this.announce(completion);
    if (this.viewport) this.pendingView.sync(this.pending.value ?? [], this.runs.handle?.runId, content, this.viewport);
    this.showThoughts(text, status, streaming);
    this.showEnding(status);
    this.placeCaret(content, streaming);
    this.follow.stick();
    this.drawLater(nextDraw, text);
  }

  /**
   * New text is synced in the next frame, but not between two draws of streaming markdown: more of
   * the same message changes nothing shown before the next draw is due, and the timer set for it
   * brings that frame (at 50 ms and 60 Hz, one frame in three runs this element's code, not
   * every one). A new message (the one before it completes and is announced) and a rebuilt text
   * are synced at once: either makes a new list of runs.
   */
  private textArrived(text: TextState): void {
    if (text.runs !== this.held) this.frames.schedule();
  }

  /**
   * The streaming markdown may be drawn again in the first frame after `wait` ms (null: no draw
   * interval runs); text of the same message arriving meanwhile waits for that frame.
   */
  private drawLater(wait: number | null, text?: TextState): void {
    clearTimeout(this.drawTimer);
    this.held = wait === null ? null : (text?.runs ?? null);
    // A longer wait would fire at once (a frame asked for in every frame); the longest is about 24.8 days.
    this.drawTimer = wait === null ? undefined : setTimeout(() => this.frames.schedule(), Math.min(wait, MAX_TIMER_MS));
  }

  /** The reasoning blocks, and the placeholder while there is nothing to read. */
  private showThoughts(text: TextState | undefined, status: RunStatus, streaming: boolean): void {
    this.readingShown = this.follow.reading;
    if (!this.noReasoning) this.thoughts.sync(this.reasoning.value, text, streaming, this.readingShown);
    const say = placeholderText(status, (text?.length ?? 0) > 0, !this.noReasoning && this.thoughts.size > 0);
    const placeholder = this.placeholder;
    if (!placeholder) return;
    // Written only when it changes: writing an attribute, even the same value, costs a style invalidation per frame.
    if (placeholder.hidden !== (say === null)) placeholder.hidden = say === null;
    if (say !== null && placeholder.textContent !== say) placeholder.textContent = say;
  }

  /** After the text of a run that failed or was cancelled, why. */
  private showEnding(status: RunStatus): void {
    const line = this.endingLine;
    if (!line) return;
    const say = endingText(status, this.reason.value ?? null);
    if (line.hidden !== (say === null)) line.hidden = say === null;
    if (say !== null && line.textContent !== say) line.textContent = say;
  }

  private applyOp(content: HTMLElement, op: TextOp): void {
    if (op.kind === 'append') {
      this.view(content, op.messageId).append(op.content, this.caret);
      return;
    }
    const keep = new Set<string>();
    for (const [id, body] of op.messages) {
      keep.add(id);
      const view = this.view(content, id);
      view.reset(body, this.caret);
      content.append(this.turns.get(id) ?? view.element);
    }
    for (const [id, view] of this.views) {
      if (keep.has(id)) continue;
      (this.turns.get(id) ?? view.element).remove();
      this.views.delete(id);
      this.turns.delete(id);
    }
  }

  private view(content: HTMLElement, messageId: string): AnyView {
    let view = this.views.get(messageId);
    if (!view) {
      const role = this.roles.value?.get(messageId) ?? 'assistant';
      const runId = this.runs.handle?.runId ?? '';
      const created =
        role === 'user' ? this.userView({ messageId, runId, status: 'shown', error: '' }) : this.answerView(messageId);
      const turn = this.turnOf(created, role, turnKey(runId, messageId));
      content.append(turn);
      this.views.set(messageId, created);
      this.turns.set(messageId, turn);
      view = created;
      this.thoughts.placeAbove(messageId);
    }
    return view;
  }

  /** A message's frame: role, the message element, its copy button, and on an answer its retry button. */
  private turnOf(view: AnyView, role: MessageRole, key: string): HTMLElement {
    const turn = createTurn(view.element, role, {
      text: () => view.text,
      announce: (message) => this.speak(message),
      ...(role === 'assistant' && { retry: (button: HTMLButtonElement) => this.retry(key, button) }),
    });
    turn.dataset['key'] = key;
    const button = turn.querySelector<HTMLButtonElement>('[part="retry-message"]');
    if (button) setRetryAvailability(button, this.retryAvailability);
    return turn;
  }

  /** Whether retrying is possible now: a conversation with no live run and no message on its way. */
  private syncRetry(): void {
    const conversation = this.conversation.value;
    const run = conversation?.$run.get();
    const availability: RetryAvailability = !conversation
      ? 'none'
      : (this.sending.value ?? false) || (run !== undefined && isRunActive(run))
        ? 'busy'
        : 'ready';
    if (availability === this.retryAvailability) return;
    this.retryAvailability = availability;
    for (const button of this.renderRoot.querySelectorAll<HTMLButtonElement>('[part="retry-message"]'))
      setRetryAvailability(button, availability);
  }

  /**
   * Retry from the answer `key`: the conversation sends the user's message before it again. Focus
   * goes to the enclosing `<agent-run>`'s composer when there is one, else stays on the button
   * (which follows its turn into the history); "Retrying." is said politely.
   */
  private retry(key: string, button: HTMLButtonElement): void {
    const conversation = this.conversation.value;
    this.syncRetry();
    if (!conversation || this.retryAvailability !== 'ready') {
      if (this.retryAvailability === 'busy') this.speak(RETRY_BUSY);
      return;
    }
    this.speak('Retrying.', true);
    const composer = this.closest('agent-run')?.querySelector<HTMLElement>('run-composer');
    if (composer) composer.focus();
    else button.focus();
    conversation.retry(key).catch((error: unknown) => {
      this.speak(`Could not retry: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** Show the conversation's earlier turns above the live run (each rendered once, whole). */
  private syncHistory(): void {
    const container = this.historyContainer;
    if (!container) return;
    this.historyView ??= new HistoryView(container, (turn) => this.renderTurn(turn));
    this.historyView.sync(this.history.value ?? []);
  }

  /** An answer's view: markdown when asked for and its code is loaded, else text (also when it could not be loaded). */
  private answerView(messageId: string): MessageView | MarkdownModule.MarkdownMessageView {
    const module = this.format === 'markdown' ? markdownChunk.module : null;
    return module ? this.markdownView(module, messageId) : new MessageView(messageId);
  }

  /** One finished turn of the history, rendered whole. */
  private renderTurn(turn: Turn): HTMLElement {
    const view =
      turn.role === 'user'
        ? this.userView({ messageId: turn.messageId, runId: turn.runId, status: 'shown', error: '' })
        : this.answerView(turn.messageId);
    view.reset(turn.text, this.caret);
    if ('commit' in view) view.commit(true, this.caret);
    const element = this.turnOf(view, turn.role, turn.key);
    element.dataset['runId'] = turn.runId;
    return element;
  }

  /** A user's message the run has not shown (yet): a user turn marked `data-pending` (`sending`, `sent`, `failed`); a failed one says why. */
  private renderPending(turn: PendingTurn): HTMLElement {
    const view = this.userView({
      messageId: turn.key,
      runId: turn.runId ?? '',
      status: turn.status,
      error: turn.error?.message ?? '',
    });
    view.reset(turn.text, this.caret);
    const element = this.turnOf(view, 'user', `pending:${turn.key}`);
    element.dataset['pending'] = turn.status;
    if (turn.error) {
      const error = document.createElement('p');
      error.setAttribute('part', 'send-error');
      error.textContent = `Not sent: ${turn.error.message}`;
      element.append(error);
    }
    return element;
  }

  private markdownView(module: typeof MarkdownModule, messageId: string): MarkdownModule.MarkdownMessageView {
    if (this.renderRoot instanceof ShadowRoot) module.adoptMarkdownStyles(this.renderRoot);
    return new module.MarkdownMessageView(messageId, {
      linkTarget: this.linkTarget,
      imageOrigins: this.imageOrigins,
      highlight: this.highlight,
      announce: (message) => this.speak(message),
    });
  }

  private placeCaret(content: HTMLElement, streaming: boolean): void {
    if (!streaming) {
      this.caret.remove();
      return;
    }
    const current = this.cursor.currentMessage;
    const target = (current === null ? undefined : this.views.get(current)?.end) ?? content;
    if (this.caret.parentNode !== target || this.caret.nextSibling !== null) target.append(this.caret);
  }

  private announce({ messageId, from }: Completion): void {
    // The user's own turn is not read back to them (the composer says it was sent).
    if (this.roles.value?.get(messageId) === 'user') return;
    const view = this.views.get(messageId);
    const text = view?.text ?? '';
    // Markdown is announced as its rendered words, never its markup.
    const fresh = (view && 'spokenFrom' in view ? view.spokenFrom(from) : text.slice(from)).trim();
    if (fresh === '') return;
    this.speak(fresh.length > MAX_ANNOUNCEMENT_LENGTH ? `${fresh.slice(0, MAX_ANNOUNCEMENT_LENGTH)}…` : fresh);
    const event = new MessageCompleteEvent(messageId, text);
    this.dispatchEvent(event);
  }

  /** Say `text` once, politely (the live region keeps the last few; `keep`: also past the next run's start). */
  private speak(text: string, keep = false): void {
    const region = this.announcer;
    if (!region) return;
    const said = Object.assign(document.createElement('p'), { textContent: text });
    if (keep) said.dataset['keep'] = '';
    region.append(said);
    while (region.childElementCount > KEPT_ANNOUNCEMENTS) region.firstElementChild?.remove();
  }

  protected override render(): unknown {
    return html`
      <div part="base">
        <div
          part="viewport"
          role="region"
          tabindex="0"
          aria-label=${this.label}
          aria-busy=${this.streaming ? 'true' : 'false'}
        >
          <p part="placeholder" hidden></p>
          <div part="history"></div>
          <div part="content"></div>
          <p part="ending" hidden></p>
        </div>
        <button part="jump" class="button" type="button" ?hidden=${this.follow.following} @click=${this.jumpToLatest}>
          Jump to latest
        </button>
        <div class="announcer visually-hidden" role="status" aria-live="polite"></div>
        <span id=${RETRY_REASON_ID} hidden>${RETRY_BUSY}</span>
      </div>
    `;
  }
}

/** The roles of a run's messages (a new value only when a message declares one). */
function rolesOf(run: RunHandle): ReadableAtom<RunStoreState['roles']> {
  return computed(run.$state, (state) => state.roles);
}
