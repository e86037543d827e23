import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { RUN_DEFAULTS, runArgTypes, type RunArgs } from './support/controls.ts';
import { CONSOLE_MARKUP } from './support/layouts.ts';
import { liveParameters, renderLive } from './support/live.ts';

const meta: Meta<RunArgs> = {
  title: 'Transports',
  args: RUN_DEFAULTS,
  argTypes: runArgTypes,
  render: (args) => renderLive(CONSOLE_MARKUP, args),
  parameters: liveParameters(CONSOLE_MARKUP),
};
export default meta;

type Story = StoryObj<RunArgs>;

/**
 * `auto` tries a WebSocket, then SSE, then polling, and keeps the first that proves live; the bar
 * above names the winner (`auto → websocket`). Each transport resumes after the last seq it
 * applied, so switching or reconnecting never shows a token twice.
 */
export const Auto: Story = { name: 'auto', args: { transport: 'auto' } };

/** Server-Sent Events over fetch: every event on one stream, resumed with `Last-Event-ID`; the answer goes out as a REST POST. */
export const Sse: Story = { name: 'sse', args: { transport: 'sse' } };

/** One WebSocket carries everything both ways: events in, `user_reply`, `cancel` and `ping` out; resumed with `?after=`. */
export const WebSocket: Story = { name: 'websocket', args: { transport: 'websocket' } };

/** The hybrid stack: a WebSocket control plane (status, logs, questions, answers) and an SSE token plane, merged into one store by seq. */
export const Hybrid: Story = { name: 'hybrid', args: { transport: 'hybrid' } };

/** REST long-polling of `GET /api/runs/:id/events?after=N&wait=S`: works through anything that passes plain HTTP. */
export const Poll: Story = { name: 'poll', args: { transport: 'poll' } };
