import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { FrameController } from '../../controllers/frame-controller.ts';
import type { TimelineEntry } from '../../inspector/entry.ts';
import { createRecorder, type Recorder } from '../../inspector/recorder.ts';
import {
  parseRecording,
  RecordingError,
  stringifyRecording,
  toRecording,
  type Recording,
} from '../../inspector/recording.ts';
import type { RunHandle } from '../../run/types.ts';
import type { WireTap } from '../../transports/index.ts';
import { buttonStyles, tokens } from '../../styles/tokens.ts';
import { AgentwireElement } from '../agentwire-element.ts';
import { styles } from './agent-inspector.styles.ts';
import { RecordingImportEvent } from './events.ts';
import {
  arraySource,
  ENTRY_GROUPS,
  InspectorView,
  visibleWindow,
  type EntryGroup,
  type EntrySource,
} from './inspector-view.ts';
import { renderCounters, renderEntry } from './render-entry.ts';

/** What the inspector uses of an `<agent-run>`. */
interface TappableRun extends HTMLElement {
  tap?: WireTap | undefined;
  readonly handle: RunHandle | undefined;
}

/** Height of a timeline row, px (the styles' `--_row-height`). */
const ROW_HEIGHT = 24;
const PLANES = ['all', 'stream', 'tokens', 'socket', 'control', 'poll', 'snapshot', 'command', 'store'] as const;

/**
 * A dev tool that shows a run's wire as it happens: requests and raw frames per plane with their
 * bytes, heartbeats, commands and their acknowledgement, connection changes with their reason and
 * backoff, and what the run's ordered sink did with every event (applied, held at a gap, released
 * when it closed, dropped as a duplicate, rebuilt from a snapshot), with the latency of
 * server-stamped events to the store and to the screen. Filter by kind and plane, search, pause,
 * clear; export the timeline as a recording and import one back. The timeline is virtualised
 * (fixed-height rows): 100,000 entries stay fast.
 *
 * Attach it to an `<agent-run>` with `for="<id>"` (or place it inside one): it sets that
 * element's `tap`. For a handle made with `connectRun`, pass `tap: inspector.tap` there.
 *
 * @tag agent-inspector
 * @summary A dev tool: a run's wire, frames, sequence gaps, duplicates, reconnects and latency, recordable.
 *
 * @fires {RecordingImportEvent} recording-import - A recording file was imported (and is shown).
 *
 * @csspart base - The wrapper around everything.
 * @csspart toolbar - The filters and buttons.
 * @csspart counters - What crossed the wire and the latency.
 * @csspart counter - One counter.
 * @csspart list - The timeline (role=listbox).
 * @csspart sizer - The element that gives the list its full height.
 * @csspart row - Every entry; each also has `kind-<kind>` (kind-held, kind-duplicate, kind-connection, …).
 * @csspart time - Seconds since recording started.
 * @csspart plane - The plane (stream, tokens, socket, control, poll, snapshot, command, store).
 * @csspart kind - What the entry is.
 * @csspart seq - The event's seq.
 * @csspart bytes - Bytes on the wire.
 * @csspart detail - The frame, event, URL or reason.
 * @csspart details - The selected entry in full.
 * @csspart status - Import outcomes and errors.
 *
 * @cssprop [--aw-inspector-height=20rem] - Height of the timeline.
 */
export class AgentInspector extends AgentwireElement {
  static override styles = [tokens, buttonStyles, styles];

  private readonly frames = new FrameController(this, () => this.onFrame());

  @query('[part="list"]') private list!: HTMLElement | null;

  /** The `<agent-run>` to inspect, by id (without it: the enclosing `<agent-run>`, if any). */
  @property({ attribute: 'for' }) for = '';

  /** A handle whose wire this shows (connect it with `tap: inspector.tap`); names the run in exports. */
  @property({ attribute: false }) run?: RunHandle;

  /** The recorder whose timeline is shown (one of its own by default). */
  @property({ attribute: false }) recorder: Recorder = createRecorder();

  /** Accessible name of the timeline. */
  @property() label = 'Wire timeline';

  @state() private group: EntryGroup = 'all';
  @state() private plane: (typeof PLANES)[number] = 'all';
  @state() private search = '';
  @state() private selected = -1;
  @state() private imported: Recording | null = null;
  @state() private status = '';

  private readonly view = new InspectorView();
  private attached: TappableRun | null = null;
  private unsubscribe: (() => void) | null = null;
  private following = true;
  private listTop = 0;

  /** The wire tap feeding this inspector's recorder. */
  get tap(): WireTap {
    return this.recorder.tap;
  }

  /** The timeline entries shown (after filters), oldest first. */
  get rows(): readonly TimelineEntry[] {
    return this.view.rows;
  }

  private get source(): EntrySource {
    return this.imported ? arraySource(this.imported.entries) : this.recorder.timeline;
  }

  private onFrame(): void {
    // The entries applied since the last frame are on screen in this one (the elements draw per frame).
    this.recorder.markScreen();
    this.requestUpdate();
  }

  private readonly onScroll = (): void => {
    const list = this.list;
    if (!list) return;
    this.listTop = list.scrollTop;
    this.following = list.scrollTop + list.clientHeight >= list.scrollHeight - ROW_HEIGHT;
    this.frames.schedule();
  };

  private readonly onKey = (event: KeyboardEvent): void => {
    const count = this.view.rows.length;
    if (count === 0) return;
    const page = Math.max(1, Math.floor((this.list?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    const from = this.selected < 0 ? count - 1 : this.selected;
    let next: number;
    if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = count - 1;
    else if (event.key in moves) next = Math.min(count - 1, Math.max(0, from + moves[event.key]!));
    else return;
    event.preventDefault();
    this.select(next);
  };

  private select(index: number): void {
    this.selected = index;
    this.following = index === this.view.rows.length - 1;
    const list = this.list;
    if (!list) return;
    const top = index * ROW_HEIGHT;
    if (top < list.scrollTop) list.scrollTop = top;
    else if (top + ROW_HEIGHT > list.scrollTop + list.clientHeight)
      list.scrollTop = top + ROW_HEIGHT - list.clientHeight;
    this.listTop = list.scrollTop;
  }

  private readonly onPick = (event: Event): void => {
    const row = (event.target as Element).closest('[data-id]');
    const id = Number(row?.getAttribute('data-id'));
    const index = this.view.rows.findIndex((entry) => entry.id === id);
    if (index >= 0) this.select(index);
  };

  private readonly onFile = async (event: Event): Promise<void> => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) await this.importRecording(await file.text());
  };

  override connectedCallback(): void {
    super.connectedCallback();
    queueMicrotask(() => this.attach());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.detach();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('recorder') || !this.unsubscribe) {
      this.unsubscribe?.();
      this.unsubscribe = this.recorder.subscribe(() => this.frames.schedule());
      if (changed.has('recorder') && this.attached) this.attached.tap = this.recorder.tap;
    }
    if (changed.has('for')) queueMicrotask(() => this.attach());
    if (changed.has('group') || changed.has('plane') || changed.has('search'))
      this.view.setFilter({ group: this.group, plane: this.plane, search: this.search });
    this.view.sync(this.source);
    if (this.selected >= this.view.rows.length) this.selected = this.view.rows.length - 1;
  }

  /** Resolves once rendered, including entries recorded before the call (drawn in the next frame). */
  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    while (this.frames.pending && document.visibilityState !== 'hidden') {
      await this.frames.flushed;
      result = await super.getUpdateComplete();
    }
    return result;
  }

  protected override updated(): void {
    const list = this.list;
    if (list && this.following && list.scrollTop + list.clientHeight < list.scrollHeight) {
      list.scrollTop = list.scrollHeight;
      this.listTop = list.scrollTop;
      this.frames.schedule();
    }
  }

  /** Attach to the `<agent-run>` named by `for` (or the enclosing one): its run is tapped from now on. */
  private attach(): void {
    if (!this.isConnected) return;
    const root = this.getRootNode() as Document | ShadowRoot;
    const found = this.for ? root.getElementById(this.for) : this.closest('agent-run');
    const target = found?.localName === 'agent-run' ? (found as TappableRun) : null;
    if (target === this.attached) return;
    this.detach();
    this.attached = target;
    if (target) target.tap = this.recorder.tap;
  }

  private detach(): void {
    if (this.attached?.tap === this.recorder.tap) this.attached.tap = undefined;
    this.attached = null;
  }

  /** The timeline shown as a recording (the imported one, or the live one). */
  exportRecording(): Recording {
    if (this.imported) return this.imported;
    const handle = this.run ?? this.attached?.handle;
    return toRecording(this.recorder, {
      ...(handle && { runId: handle.runId, transport: handle.store.$connection.get().transport ?? handle.transport }),
    });
  }

  /** Show a recording from its JSON text; the error is shown (and thrown) when it is not one. */
  async importRecording(text: string): Promise<Recording> {
    try {
      const recording = parseRecording(text);
      this.imported = recording;
      this.selected = -1;
      this.following = true;
      this.status = `Imported ${recording.entries.length} entries of run ${recording.runId || '(unknown)'}.`;
      await this.updateComplete;
      this.dispatchEvent(new RecordingImportEvent(recording));
      return recording;
    } catch (error) {
      this.status =
        error instanceof RecordingError ? `Not imported: ${error.message}` : 'Not imported: unreadable file.';
      throw error;
    }
  }

  private download(): void {
    const recording = this.exportRecording();
    const url = URL.createObjectURL(new Blob([stringifyRecording(recording)], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `agentwire-${recording.runId || 'run'}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  private clear(): void {
    this.imported = null;
    this.recorder.clear();
    this.selected = -1;
    this.status = '';
  }

  protected override render(): unknown {
    const rows = this.view.rows;
    const height = this.list?.clientHeight ?? 320;
    // Read live: a filter change shrinks the list, and the browser moves its scroll position.
    const top = Math.min(this.list?.scrollTop ?? this.listTop, Math.max(0, rows.length * ROW_HEIGHT - height));
    const { first, end } = visibleWindow(top, height, ROW_HEIGHT, rows.length);
    const start = this.imported?.startedAt ?? this.recorder.startedAt;
    const chosen = rows[this.selected];
    const paused = this.recorder.paused;
    return html`<div part="base">
      <div part="toolbar">
        <label
          >Show
          <select @change=${(e: Event) => (this.group = (e.target as HTMLSelectElement).value as EntryGroup)}>
            ${Object.keys(ENTRY_GROUPS).map((g) => html`<option value=${g} ?selected=${g === this.group}>${g}</option>`)}
          </select></label
        >
        <label
          >Plane
          <select @change=${(e: Event) => (this.plane = (e.target as HTMLSelectElement).value as typeof this.plane)}>
            ${PLANES.map((p) => html`<option value=${p} ?selected=${p === this.plane}>${p}</option>`)}
          </select></label
        >
        <label
          >Search
          <input
            type="search"
            .value=${this.search}
            @input=${(e: Event) => (this.search = (e.target as HTMLInputElement).value)}
        /></label>
        <button
          class="button"
          type="button"
          aria-pressed=${paused ? 'true' : 'false'}
          ?disabled=${this.imported !== null}
          @click=${() => {
            this.recorder.paused = !paused;
            this.requestUpdate();
          }}
        >
          Pause
        </button>
        <button class="button" type="button" @click=${() => this.clear()}>Clear</button>
        <button class="button" type="button" @click=${() => this.download()}>Export</button>
        <label class="button"
          >Import<input class="visually-hidden" type="file" accept=".json,application/json" @change=${this.onFile}
        /></label>
        ${
          this.imported
            ? html`<button
                class="button"
                type="button"
                @click=${() => {
                  this.imported = null;
                  this.status = '';
                }}
              >
                Back to live
              </button>`
            : nothing
        }
      </div>
      <div part="counters">
        ${this.imported ? html`<span part="counter">Recording of run ${this.imported.runId || '(unknown)'}, ${this.imported.entries.length} entries</span>` : renderCounters(this.recorder)}
      </div>
      <div
        part="list"
        role="listbox"
        tabindex="0"
        aria-label=${this.label}
        aria-activedescendant=${chosen && this.selected >= first && this.selected < end ? `entry-${chosen.id}` : nothing}
        @scroll=${this.onScroll}
        @keydown=${this.onKey}
        @click=${this.onPick}
      >
        <div part="sizer" style="block-size: ${rows.length * ROW_HEIGHT}px"></div>
        ${rows.slice(first, end).map((entry, i) => renderEntry(entry, first + i, rows.length, start, ROW_HEIGHT, first + i === this.selected))}
      </div>
      ${chosen ? html`<pre part="details" tabindex="0" aria-label="Selected entry">${JSON.stringify(chosen, null, 2)}</pre>` : nothing}
      <p part="status" role="status">${this.status}</p>
    </div>`;
  }
}
