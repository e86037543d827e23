import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../src/components/agent-inspector/define.ts';
import '../src/components/transport-compare/define.ts';
import type { ServerCount } from '../src/inspector/index.ts';
import { faultQuery, RUN_DEFAULTS, runArgTypes, type RunArgs } from './support/controls.ts';
import { liveParameters, renderLive } from './support/live.ts';

/**
 * See the wire (agentwire/inspector). `<agent-inspector>` inside (or `for=` next to) an
 * `<agent-run>` shows every request and raw frame per plane with its bytes, heartbeats, commands
 * and acks, connection changes with their reason and backoff, and what the run's ordered sink did
 * with every event: applied, held at a gap and released when it closed, dropped as a duplicate,
 * rebuilt from a snapshot. Turn on a fault switch and watch it. Export the timeline as a
 * recording; import one back; `replayRecording(recording)` plays it into a store at 1×, faster
 * or step by step, and the mock server's `replay` scenario plays it as a run
 * (`replayRequestBody(recording)`), so a bug report can carry its reproduction.
 */
const meta: Meta<RunArgs> = {
  title: 'Dev tools',
  tags: ['network-errors'],
  args: { ...RUN_DEFAULTS, transport: 'hybrid' },
  argTypes: runArgTypes,
};
export default meta;

type Story = StoryObj<RunArgs>;

const INSPECTED = `<agent-run style="display: grid; gap: 0.75rem">
  <token-stream style="--aw-stream-max-height: 10rem"></token-stream>
  <approval-prompt></approval-prompt>
  <agent-inspector></agent-inspector>
</agent-run>`;

/** The inspector inside an `<agent-run>`: answer the question and watch the command and its ack. */
export const Inspector: Story = {
  name: 'Agent inspector',
  render: (args) => renderLive(INSPECTED, args),
  parameters: liveParameters(INSPECTED),
};

/** One event left out after 20, every 5th sent twice: the `order` filter shows the gap held, closed, and the copies dropped. */
export const InspectorGapAndDuplicates: Story = {
  name: 'Agent inspector: gap and duplicates',
  args: { gap: 20, duplicate: 5, transport: 'sse' },
  render: (args) => renderLive(INSPECTED, args),
  parameters: liveParameters(INSPECTED),
};

/** The connection is cut after 15 events twice: the `connection` filter shows each reconnect with its reason and backoff. */
export const InspectorReconnect: Story = {
  name: 'Agent inspector: reconnects',
  args: { closeAfter: 15, faultTimes: 2, transport: 'websocket' },
  render: (args) => renderLive(INSPECTED, args),
  parameters: liveParameters(INSPECTED),
};

/** What the mock server counted for a run (its dev-only `GET /api/_dev/traffic/{id}`), shown beside the page's own figures. */
async function serverCount(runId: string): Promise<ServerCount | undefined> {
  const response = await fetch(`/api/_dev/traffic/${encodeURIComponent(runId)}`);
  return response.ok ? ((await response.json()) as ServerCount) : undefined;
}

/**
 * "Which transport?", measured on this backend: the same scenario over poll, SSE, WebSocket and
 * hybrid side by side. Every figure comes from that lane's wire tap; the server's own counts of
 * requests and bytes sit beside them. Below, the tutorials' table with this run's values. The
 * fault switches apply to every lane (cut, proxy buffering, 503, delay): compare what each does.
 */
export const TransportCompare: Story = {
  name: 'Which transport? (live comparison)',
  render: (args) =>
    html`<transport-compare
      scenario=${args.scenario}
      speed=${args.speed}
      answer="yes"
      .query=${faultQuery(args)}
      .serverCount=${serverCount}
    ></transport-compare>`,
  parameters: {
    docs: {
      source: {
        language: 'html',
        code: `<transport-compare base-url="http://127.0.0.1:8787" scenario="agent" answer="yes"></transport-compare>
<script type="module">
  import 'agentwire/define/transport-compare';
  document.querySelector('transport-compare').start();
</script>`,
      },
    },
  },
};

/** The comparison with every connection cut after 20 events once: reconnects, and what each transport replays. */
export const TransportCompareCut: Story = {
  ...TransportCompare,
  name: 'Which transport? Under a cut',
  args: { closeAfter: 20 },
};
