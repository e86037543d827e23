/**
 * A run fed from a store in the page, with no server: a `RunHandle` over `createRunStore` whose
 * events come from a script played on timers. `<story-scripted-run>` plays it for the
 * `<agent-run>` inside it while it is on the page, and stops when the story unmounts.
 */
import { LitElement, css, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AgentRun } from '../../src/components/agent-run/agent-run.ts';
import type { RunEvent } from '../../src/protocol/index.ts';
import { createLocalRun, type RunHandle } from '../../src/run/index.ts';
import { createRunStore } from '../../src/store/index.ts';
import { buttonStyles, tokens } from '../../src/styles/tokens.ts';
import { barStyles } from './bar-styles.ts';

/** A script step: an event to apply (seq and run_id are added), or a pause. */
export type ScriptStep = RunEvent | { pause: number };

/** A scripted run: its handle, and the player. */
export interface ScriptedRun {
  readonly handle: RunHandle;
  /** Play (or go on after an answer). */
  play(): void;
  /** Stop every timer. */
  stop(): void;
}

/**
 * Play `before` (which should end with a need_input); an answer of `yes` plays `after`, anything
 * else cancels. `pace` multiplies every pause (0: no pauses).
 */
export function scriptedRun(
  runId: string,
  before: readonly ScriptStep[],
  after: readonly ScriptStep[],
  pace = 1,
): ScriptedRun {
  const store = createRunStore(runId);
  let seq = 0;
  let queue: ScriptStep[] = [...before];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const emit = (event: RunEvent): void => {
    store.apply({ ...event, run_id: runId, seq: ++seq });
  };
  const play = (): void => {
    if (stopped) return;
    for (let step = queue.shift(); step; step = queue.shift()) {
      if ('pause' in step) {
        timer = setTimeout(play, step.pause * pace);
        return;
      }
      emit(step);
    }
  };
  const handle: RunHandle = createLocalRun({
    runId,
    store,
    reply: async ({ text, request }) => {
      await new Promise((resolve) => setTimeout(resolve, 300 * pace));
      emit({ type: 'input_accepted', resume_token: request.resume_token, text });
      queue =
        text.trim().toLowerCase() === 'yes'
          ? [{ type: 'status', state: 'running' }, ...after]
          : [
              { type: 'status', state: 'cancelled' },
              { type: 'done', state: 'cancelled' },
            ];
      play();
      return 'accepted';
    },
    cancel: () => {
      queue = [
        { type: 'status', state: 'cancelled' },
        { type: 'done', state: 'cancelled' },
      ];
      play();
      return Promise.resolve();
    },
  });
  return {
    handle,
    play,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** Words streamed as tokens, a pause between each. */
function words(text: string, messageId: string, pause: number): ScriptStep[] {
  return text
    .split(/(?<= )/)
    .flatMap((content): ScriptStep[] => [{ pause }, { type: 'token', content, message_id: messageId }]);
}

/** The script of the store story: a small agent run that asks before publishing. */
export const STORE_SCRIPT_BEFORE: readonly ScriptStep[] = [
  { type: 'status', state: 'running' },
  { type: 'progress', pct: 10, message: 'Reading the draft' },
  { type: 'step', name: 'review', state: 'started' },
  { type: 'tool_call', call_id: 'c1', name: 'spellcheck', args: { file: 'post.md' } },
  { pause: 400 },
  { type: 'tool_result', call_id: 'c1', summary: '2 typos fixed', ok: true },
  { type: 'progress', pct: 50, message: 'Summarising' },
  ...words(
    'These events never touched a network: the page applied them to a run store, and the elements followed the store. ',
    'm1',
    60,
  ),
  { type: 'step', name: 'review', state: 'finished' },
  { type: 'progress', pct: 80, message: 'Waiting for approval' },
  { type: 'status', state: 'waiting' },
  { type: 'need_input', prompt: 'Publish the post? (yes/no)', resume_token: 'store-demo-1', choices: ['yes', 'no'] },
];

/** What follows a "yes". */
export const STORE_SCRIPT_AFTER: readonly ScriptStep[] = [
  { type: 'log', level: 'info', message: 'Publishing' },
  ...words('Published. ', 'm2', 80),
  { type: 'progress', pct: 100, message: 'Done' },
  { type: 'status', state: 'done' },
  { type: 'done', state: 'completed', result: { published: true } },
];

export class StoryScriptedRun extends LitElement {
  static override styles = [
    tokens,
    buttonStyles,
    barStyles,
    css`
      p {
        flex: 1 1 16rem;
        margin: 0;
      }
    `,
  ];

  /** Pause multiplier: 1 as scripted, 0 no pauses. */
  @property({ type: Number }) pace = 1;

  @state() private plays = 0;
  private current: ScriptedRun | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.replay();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.current?.stop();
    this.current = null;
  }

  /** Start the script again on a fresh store. */
  replay(): void {
    this.current?.stop();
    this.plays++;
    this.current = scriptedRun(`store-demo-${this.plays}`, STORE_SCRIPT_BEFORE, STORE_SCRIPT_AFTER, this.pace);
    for (const provider of this.querySelectorAll<AgentRun>('agent-run')) provider.run = this.current.handle;
    this.current.play();
  }

  protected override render(): unknown {
    return html`<div part="bar" role="group" aria-label="Run fed from a store">
        <p>Fed from a store in this page (run <code>store-demo-${this.plays}</code>): no server, no transport.</p>
        <button class="button" type="button" @click=${() => this.replay()}>Replay</button>
      </div>
      <slot></slot>`;
  }
}

/** Register `<story-scripted-run>` (called by the render function; see `defineStoryRun`). */
export function defineStoryScriptedRun(): void {
  if (!customElements.get('story-scripted-run')) customElements.define('story-scripted-run', StoryScriptedRun);
}

declare global {
  interface HTMLElementTagNameMap {
    'story-scripted-run': StoryScriptedRun;
  }
}
