import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import '../src/components/define.ts';
import { RUN_DEFAULTS, runArgTypes, type RunArgs } from './support/controls.ts';
import { CONSOLE_MARKUP, PLAIN_SSE, PLAIN_WEBSOCKET } from './support/layouts.ts';
import { liveParameters, renderLive } from './support/live.ts';
import { defineStoryRun } from './support/story-run.ts';
import { defineStoryScriptedRun } from './support/scripted-run.ts';

const meta: Meta<RunArgs> = {
  title: 'Servers',
  args: RUN_DEFAULTS,
  argTypes: runArgTypes,
};
export default meta;

type Story = StoryObj<RunArgs>;

const PLAIN = { runsPath: '/plain/tasks', noCheck: true } as const;
const plainTransports = { ...runArgTypes.transport, options: ['sse', 'websocket', 'poll'] };

/**
 * A backend that never heard of agentwire (`POST /plain/tasks` → `{task_id}`; SSE where the event
 * name carries the type and the JSON has no `type`, `seq` or `run_id`), used as is through the
 * `snapshot-path` and `stream-path` attributes. Field aliases (progress → pct, status → state)
 * are normalised; without sequence numbers the progress line says "unsequenced" while it streams:
 * exactly-once is not promised.
 */
export const PlainSse: Story = {
  name: 'Plain server: SSE',
  args: { scenario: 'quick', transport: 'sse' },
  argTypes: { transport: plainTransports },
  render: (args) => renderLive(PLAIN_SSE, args, PLAIN),
  parameters: liveParameters(PLAIN_SSE, PLAIN),
};

/**
 * The same plain server's WebSocket (`{"type":"need_input",…}` answered with
 * `{"type":"user_reply",…}`) through `socket-path`. The answer is sent but can never be
 * confirmed by a server without sequence numbers, and the prompt says so.
 */
export const PlainWebSocket: Story = {
  name: 'Plain server: WebSocket',
  args: { scenario: 'agent', transport: 'websocket' },
  argTypes: { transport: plainTransports },
  render: (args) => renderLive(PLAIN_WEBSOCKET, args, PLAIN),
  parameters: liveParameters(PLAIN_WEBSOCKET, PLAIN),
};

const STORE_SOURCE = `${CONSOLE_MARKUP}

<script type="module">
  import 'agentwire/define';
  import { atom } from 'nanostores';
  import { createRunStore } from 'agentwire/store';

  // A run handle over a store the page feeds itself: no server, no transport.
  const store = createRunStore('demo-1');
  const run = {
    runId: 'demo-1', transport: 'auto', store, $state: store.$state, $connected: atom(false),
    async reply(text) { /* send it your way, then apply input_accepted */ },
    async cancel() {}, disconnect() {}, reconnect() {},
  };
  document.querySelector('agent-run').run = run;

  let seq = 0;
  const emit = (event) => store.apply({ ...event, run_id: 'demo-1', seq: ++seq });
  emit({ type: 'status', state: 'running' });
  emit({ type: 'progress', pct: 10, message: 'Reading the draft' });
  emit({ type: 'token', content: 'These events never touched a network', message_id: 'm1' });
  emit({ type: 'need_input', prompt: 'Publish the post? (yes/no)', resume_token: 't1', choices: ['yes', 'no'] });
</script>`;

/**
 * The elements read a run store, whatever fills it: here the page applies scripted events to
 * `createRunStore()` itself and hands `<agent-run>` a handle over it with `.run`. Works in the
 * static build without any server. Answer the question to see the rest.
 */
export const FromAStore: Story = {
  name: 'From a store (no server)',
  parameters: { controls: { disable: true }, docs: { source: { language: 'html', code: STORE_SOURCE } } },
  render: () => {
    defineStoryScriptedRun();
    return html`<story-scripted-run>${unsafeHTML(CONSOLE_MARKUP)}</story-scripted-run>`;
  },
};

const UNREACHABLE = `<agent-run base-url="http://127.0.0.1:2">
  <run-progress></run-progress>
  <token-stream></token-stream>
</agent-run>`;

/**
 * A backend that does not answer (here `http://127.0.0.1:2`): the story says so plainly instead
 * of waiting. Every live story does the same when it is served without the mock server (the
 * static build opened from a plain file server).
 */
export const Unreachable: Story = {
  name: 'Unreachable backend',
  tags: ['network-errors', 'unreachable'],
  parameters: { controls: { disable: true }, docs: { source: { language: 'html', code: UNREACHABLE } } },
  render: (args) => {
    defineStoryRun();
    return html`<story-run base-url="http://127.0.0.1:2" scenario=${args.scenario} transport=${args.transport}
      >${unsafeHTML(UNREACHABLE)}</story-run
    >`;
  },
};
