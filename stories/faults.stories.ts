import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { RUN_DEFAULTS, runArgTypes, type RunArgs } from './support/controls.ts';
import { CONSOLE_MARKUP } from './support/layouts.ts';
import { liveParameters, renderLive } from './support/live.ts';

/**
 * The mock server's fault switches, as controls: every connection URL carries them as query
 * parameters; each applies to the first `faulty connections` connections of the run, so the
 * kit's reconnect is clean and the run recovers. After the run settles, "Check against server"
 * compares the text shown with the server's: nothing lost, nothing doubled.
 */
const meta: Meta<RunArgs> = {
  title: 'Faults',
  // Refused and cut connections are logged by the browser itself (e.g. "Failed to load resource: 503"):
  // expected here, and the smoke test allows exactly those.
  tags: ['network-errors'],
  args: RUN_DEFAULTS,
  argTypes: runArgTypes,
  render: (args) => renderLive(CONSOLE_MARKUP, args),
  parameters: liveParameters(CONSOLE_MARKUP),
};
export default meta;

type Story = StoryObj<RunArgs>;

/**
 * Press "Drop connections" in the bar while the agent streams: the mock server cuts every open
 * connection at once (no goodbye). The progress line shows "Reconnecting…", the transport
 * resumes after the last seq it applied, and the text goes on where it stopped. Half speed, so
 * there is time to press it.
 */
export const DropConnections: Story = { name: 'Drop connections yourself', args: { speed: 0.5 } };

/** The connection is cut after 20 events, three times in a row (mid-stream, no close frame): each time the kit reconnects and resumes after the last seq. */
export const CutAfterN: Story = { name: 'Cut after N events', args: { closeAfter: 20, faultTimes: 3 } };

/** Every 3rd event arrives twice; the store drops each copy by its seq ("Check against server" counts them). */
export const Duplicates: Story = { name: 'Duplicated events', args: { duplicate: 3 } };

/** The quick scenario with the answer and every event 100 ms late: a slow network. Nothing breaks, it is just slower. */
export const Delay: Story = { name: 'Delay', args: { scenario: 'quick', delay: 100 } };

/** After 20 events one frame that is not JSON: it shows as an error row in the log, and the stream goes on. */
export const Malformed: Story = { name: 'Malformed frame', args: { malformed: 20 } };

/**
 * The first connection of each kind is refused with 503 and `Retry-After: 1`. A fixed transport
 * (pick `sse` or `websocket`) shows "Reconnecting…", waits the second it was asked to and
 * connects; `auto` hands a refused candidate over to the next (WebSocket, SSE, then polling).
 */
export const Unavailable: Story = { name: '503 unavailable', args: { unavailable: true } };

/**
 * A misconfigured proxy holds the SSE response: headers arrive, then nothing until the run ended,
 * then everything at once. Nothing streams, but nothing is lost. (A run that never ends — one
 * waiting for an answer — would sit silent until the SSE transport's heartbeat bound, 45 s, runs
 * out and it reconnects; `auto` gives a silent SSE answer only its open bound before it falls
 * back to polling.)
 */
export const Buffered: Story = {
  name: 'Proxy-buffered SSE',
  args: { scenario: 'quick', buffered: true, transport: 'sse' },
};

/**
 * One event is left out after 20: the kit never papers over the gap. It holds what follows, asks
 * the server to resume after the last seq it applied (the copies that come again are dropped),
 * and would rebuild from a snapshot if the missing event did not come.
 */
export const Gap: Story = { name: 'Gap (an event left out)', args: { gap: 20 } };

/** Everything at once: refused first, then cut, duplicated, late and with a malformed frame. */
export const Everything: Story = {
  name: 'Every fault at once',
  args: { unavailable: true, closeAfter: 25, duplicate: 4, delay: 50, malformed: 15, faultTimes: 2 },
};
