import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { BACKENDS, backendSource, type BackendProtocol } from './support/backends.ts';
import { backendColumn, CONSOLE_MARKUP } from './support/layouts.ts';
import { BACKEND_SCENARIO, backendParameters, renderBackend, type BackendArgs } from './support/live.ts';

const meta: Meta<BackendArgs> = {
  title: 'Backends',
  // Compositions over the mock's protocol routes, not one element: no API table here (see Elements/*).
  tags: ['!autodocs', 'backend'],
  args: { speed: 1 },
  argTypes: {
    speed: {
      name: 'speed',
      description:
        "Pacing of the backend (the route's `delay_ms`): 1 is realistic, 4 four times faster, 0 as fast as possible. A change starts a fresh run.",
      control: { type: 'number', min: 0, max: 100, step: 0.5 },
    },
  },
};
export default meta;

type Story = StoryObj<BackendArgs>;

const consoleStory = (protocol: BackendProtocol): Pick<Story, 'render' | 'parameters'> => ({
  render: (args) => renderBackend(CONSOLE_MARKUP, protocol, args),
  parameters: backendParameters(CONSOLE_MARKUP, protocol),
});

/**
 * An AG-UI agent (what LangGraph, CrewAI, Mastra, Pydantic AI, LlamaIndex and Agno stream through
 * `@ag-ui/*`), played by the mock with `@ag-ui/core` and `@ag-ui/encoder`: it reasons, streams a
 * tool call's arguments while it talks, keeps shared state, then ends its run with an interrupt.
 * Approve or deny it: the answer starts the next run on the same thread (`resume`), and the
 * console goes on as one conversation. AG-UI cannot pick a cut stream up: "Drop connections"
 * shows "cannot resume".
 */
export const AgUi: Story = { name: 'AG-UI', ...consoleStory('ag-ui') };

/**
 * An AI SDK route (`streamText` with a tool that needs approval, answered as the UI message
 * stream), played by the mock with the `ai` package's own test model. Each model step is one
 * message. The approval is answered as the AI SDK client answers it (the tool part
 * `approval-responded`), and a cut stream resumes from the chat's `GET …/stream`.
 */
export const AiSdk: Story = { name: 'AI SDK UI message stream', ...consoleStory('ai-sdk') };

/**
 * OpenAI Responses streaming events (typed with the `openai` package): a reasoning summary, MCP
 * tool calls with streamed arguments, a cited answer, then an `mcp_approval_request`. The answer
 * is the next response (`previous_response_id` + `mcp_approval_response`); a cut background
 * response resumes after its last `sequence_number`.
 */
export const OpenAiResponses: Story = { name: 'OpenAI Responses', ...consoleStory('openai-responses') };

const PROTOCOLS = Object.keys(BACKENDS) as BackendProtocol[];
const columns = PROTOCOLS.map((protocol) => ({ protocol, markup: backendColumn(BACKENDS[protocol].title) }));

/**
 * The same console on all three protocols at once, each its own run with its own approval: the
 * elements do not know which protocol fed them.
 */
export const SideBySide: Story = {
  name: 'All three side by side',
  parameters: {
    docs: {
      source: {
        language: 'html',
        transform: (_code: string, context: { args: BackendArgs }) =>
          backendSource(columns, BACKEND_SCENARIO, context.args.speed),
      },
    },
  },
  render: (args) =>
    html`<div style="display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1rem">
      ${columns.map(({ protocol, markup }) => renderBackend(markup, protocol, args))}
    </div>`,
};
