import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { RUN_DEFAULTS, runArgTypes, type RunArgs } from '../support/controls.ts';
import { alone, inside } from '../support/elements.ts';
import { STREAM } from '../support/layouts.ts';
import { liveParameters, renderLive } from '../support/live.ts';

const meta: Meta<RunArgs> = {
  title: 'Elements/Token stream',
  component: 'token-stream',
  args: { ...RUN_DEFAULTS, scenario: 'quick' },
  argTypes: runArgTypes,
  render: (args) => renderLive(STREAM.inside, args),
  parameters: liveParameters(STREAM.inside),
};
export default meta;

type Story = StoryObj<RunArgs>;

/** ~40 tokens appended once per frame, a caret at the end while it streams. */
export const Quick: Story = { ...inside('quick'), name: 'Quick' };
/** The agent explains its change, stops to ask (no caret while it waits), and writes a second message after "yes". */
export const Agent: Story = { ...inside('agent'), name: 'Agent (waits for input)' };
/** 100,000 tokens in one message: each frame costs only the new text; scroll up and "Jump to latest" appears. */
export const Long: Story = { ...inside('long'), name: 'Long', tags: ['long-run'] };
/** Text streams until the tool crashes; what was said stays. */
export const Failing: Story = { ...inside('failing'), name: 'Failing' };

/** Reasoning streams first in a collapsible block above the answer ("Thinking…"), and collapses when the answer starts. */
export const Reasoning: Story = { ...inside('reasoning'), name: 'Reasoning, then the answer' };

/** The same element without `<agent-run>`: handed a `connectRun` handle as `.run`. */
export const QuickAlone: Story = { ...alone(STREAM, 'quick'), name: 'Alone: quick' };
export const AgentAlone: Story = { ...alone(STREAM, 'agent'), name: 'Alone: agent' };
export const LongAlone: Story = { ...alone(STREAM, 'long'), name: 'Alone: long', tags: ['long-run'] };
export const FailingAlone: Story = { ...alone(STREAM, 'failing'), name: 'Alone: failing' };
