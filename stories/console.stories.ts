import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { RUN_DEFAULTS, runArgTypes, type RunArgs } from './support/controls.ts';
import { renderConversation } from './support/conversation.ts';
import { CONSOLE_MARKUP } from './support/layouts.ts';
import { liveParameters, renderLive } from './support/live.ts';

const meta: Meta<RunArgs> = {
  title: 'Console',
  // The console is a composition, not one element: no API table here (see Elements/*).
  tags: ['!autodocs'],
  args: RUN_DEFAULTS,
  argTypes: runArgTypes,
  render: (args) => renderLive(CONSOLE_MARKUP, args),
  parameters: liveParameters(CONSOLE_MARKUP),
};
export default meta;

type Story = StoryObj<RunArgs>;

/**
 * A coding agent, live from the mock server: it plans, calls tools, explains the change token by
 * token, then asks "Deploy to production?". Answer it. Press "Drop connections" while it streams
 * and watch it reconnect and resume; "Check against server" compares the text shown with the
 * server's snapshot (no token lost or doubled). Switch the transport or turn on a fault switch in
 * the controls: every change starts a fresh run.
 */
export const AgentConsole: Story = { name: 'Agent console' };

/**
 * A conversation from an empty thread: type into `<run-composer>` and press Enter; each message
 * starts a run of the `chat` scenario in the thread (a markdown answer; it asks before it
 * deploys). Follow-ups go to the same thread, earlier turns stay above. Stop an answer
 * mid-stream; reload the page and the thread comes back from the server (`thread-id`).
 */
export const Conversation: Story = {
  name: 'Conversation',
  render: () => renderConversation('chat'),
  parameters: { docs: { source: { code: null } } },
};

/**
 * The same conversation, the user's messages drawn by a `<template data-role="user">` inside
 * `<token-stream>`: a bubble filled in with text only (`data-field="text"`), and "Not sent: …"
 * (`data-if="error"`) when the server refuses a message. Code can do the same with `renderUserTurn`.
 */
export const ConversationCustomTurns: Story = {
  name: 'Conversation: custom user turns',
  render: () => renderConversation('chat', { userTemplate: true }),
  parameters: { docs: { source: { code: null } } },
};

/** The `approvals` scenario asks two questions in a row: the run waits, goes on, and waits again. */
export const TwoApprovals: Story = { name: 'Two approvals', args: { scenario: 'approvals' } };

/** Event types this version does not know are kept and shown raw in the log, never dropped or thrown on. */
export const UnknownEvents: Story = { name: 'Unknown event types', args: { scenario: 'unknown-events' } };
