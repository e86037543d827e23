import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { RUN_DEFAULTS, runArgTypes, type RunArgs } from '../support/controls.ts';
import { alone, inside } from '../support/elements.ts';
import { LOG, LOG_WITH_TEMPLATE } from '../support/layouts.ts';
import { liveParameters, renderLive } from '../support/live.ts';

const meta: Meta<RunArgs> = {
  title: 'Elements/Agent log',
  component: 'agent-log',
  args: { ...RUN_DEFAULTS, scenario: 'agent' },
  argTypes: runArgTypes,
  render: (args) => renderLive(LOG.inside, args),
  parameters: liveParameters(LOG.inside),
};
export default meta;

type Story = StoryObj<RunArgs>;

/** The quick scenario logs nothing: the log says "No activity yet." */
export const Quick: Story = { ...inside('quick'), name: 'Quick' };
/** Steps, tool calls paired with their results (click one to see its arguments), log levels, and the request for input. */
export const Agent: Story = { ...inside('agent'), name: 'Agent (waits for input)' };
/** Only progress and tokens: the log stays empty however long the run streams. */
export const Long: Story = { ...inside('long'), name: 'Long', tags: ['long-run'] };
/** A failed tool result, an error log line and the run's error event. */
export const Failing: Story = { ...inside('failing'), name: 'Failing' };

/**
 * A custom renderer for `search_docs`, written as a `<template data-tool>` (no code): it shows
 * the query while the arguments stream, then the hits from the structured result.
 */
export const ToolRenderer: Story = {
  name: 'Tool renderer (template)',
  args: { scenario: 'tool-renderer' },
  render: (args) => renderLive(LOG_WITH_TEMPLATE, args),
  parameters: liveParameters(LOG_WITH_TEMPLATE),
};
/** The model's reasoning streams in a block above the log, collapsed once the answer starts. */
export const Reasoning: Story = { ...inside('reasoning'), name: 'Reasoning' };
/** Each approval is a row linked to its tool call; "Answer" reveals the request. */
export const ParallelApprovals: Story = { ...inside('parallel-approvals'), name: 'Two approvals at once' };
/** Two approvals decided by policy (one approved, one denied, each with its reason), then one asked. */
export const AutoApprovals: Story = { ...inside('auto-approvals'), name: 'Approved automatically (by policy)' };

/** The same element without `<agent-run>`: handed a `connectRun` handle as `.run`. */
export const QuickAlone: Story = { ...alone(LOG, 'quick'), name: 'Alone: quick' };
export const AgentAlone: Story = { ...alone(LOG, 'agent'), name: 'Alone: agent' };
export const LongAlone: Story = { ...alone(LOG, 'long'), name: 'Alone: long', tags: ['long-run'] };
export const FailingAlone: Story = { ...alone(LOG, 'failing'), name: 'Alone: failing' };
