import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { RUN_DEFAULTS, runArgTypes, type RunArgs } from '../support/controls.ts';
import { alone, inside } from '../support/elements.ts';
import { PROGRESS } from '../support/layouts.ts';
import { liveParameters, renderLive } from '../support/live.ts';

const meta: Meta<RunArgs> = {
  title: 'Elements/Run progress',
  component: 'run-progress',
  args: { ...RUN_DEFAULTS, scenario: 'quick' },
  argTypes: runArgTypes,
  render: (args) => renderLive(PROGRESS.inside, args),
  parameters: liveParameters(PROGRESS.inside),
};
export default meta;

type Story = StoryObj<RunArgs>;

/** Queued, then 25 % steps while ~40 tokens stream, then done: the bar turns to the done colour. */
export const Quick: Story = { ...inside('quick'), name: 'Quick' };
/** Indeterminate until the first percentage, each step's message under the bar, stopping at 60 % while the agent waits for an answer. */
export const Agent: Story = { ...inside('agent'), name: 'Agent (waits for input)' };
/** 100,000 tokens with a progress event every 1 %: the bar creeps along. */
export const Long: Story = { ...inside('long'), name: 'Long', tags: ['long-run'] };
/** A tool crashes at 35 %: status Failed, the bar in the failure colour. */
export const Failing: Story = { ...inside('failing'), name: 'Failing' };

/** The same element without `<agent-run>`: handed a `connectRun` handle as `.run`. */
export const QuickAlone: Story = { ...alone(PROGRESS, 'quick'), name: 'Alone: quick' };
export const AgentAlone: Story = { ...alone(PROGRESS, 'agent'), name: 'Alone: agent' };
export const LongAlone: Story = { ...alone(PROGRESS, 'long'), name: 'Alone: long', tags: ['long-run'] };
export const FailingAlone: Story = { ...alone(PROGRESS, 'failing'), name: 'Alone: failing' };
