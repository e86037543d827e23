import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { RUN_DEFAULTS, runArgTypes, type RunArgs } from '../support/controls.ts';
import { alone, inside } from '../support/elements.ts';
import { PROMPT, PROMPT_WITH_LOG } from '../support/layouts.ts';
import { liveParameters, renderLive } from '../support/live.ts';

const meta: Meta<RunArgs> = {
  title: 'Elements/Approval prompt',
  component: 'approval-prompt',
  args: { ...RUN_DEFAULTS, scenario: 'agent' },
  argTypes: runArgTypes,
  render: (args) => renderLive(PROMPT.inside, args),
  parameters: liveParameters(PROMPT.inside),
};
export default meta;

type Story = StoryObj<RunArgs>;

/** This scenario never asks: nothing shows (the bar above says how the run goes). */
export const Quick: Story = { ...inside('quick'), name: 'Quick (never asks)' };
/**
 * "Deploy to production? (yes/no)" appears, takes focus and is announced. Answer: the buttons
 * stay disabled until the server accepted. Escape or "Later" puts it aside with a reminder.
 */
export const Agent: Story = { ...inside('agent'), name: 'Agent (asks)' };
/** Asks twice in a row; after the first answer the run goes on, then waits again. */
export const Approvals: Story = { ...inside('approvals'), name: 'Approvals (asks twice)' };
/** The prompt beside the log, playing `scenario`. */
const withLog = (scenario: RunArgs['scenario'], name: string): Story => ({
  name,
  args: { scenario },
  render: (args) => renderLive(PROMPT_WITH_LOG, args),
  parameters: liveParameters(PROMPT_WITH_LOG),
});

/**
 * A tool call (`create_ticket`, its arguments collapsible) waits for a form built from the
 * request's JSON Schema: text, a choice, a bounded number, a checkbox, a list. Invalid fields say
 * why before anything is sent; the answer goes back as JSON and comes back as the tool's result.
 */
export const Form: Story = withLog('form', 'Form (a JSON Schema)');
/**
 * Two tool calls at once, each with its own approval card ("1 of 2"): approve one, deny the
 * other with a reason, in any order. The log's rows link to the cards.
 */
export const ParallelApprovals: Story = withLog('parallel-approvals', 'Two approvals at once');
/**
 * Approvals decided by policy are never asked: the log shows "Approved automatically (by policy)"
 * for a read-only tool and "Denied automatically" for a shell command, with the policy's reason;
 * only the third approval (delete a branch) gets a card.
 */
export const AutoApprovals: Story = withLog('auto-approvals', 'Approved automatically (by policy)');
/** An approval with a 30 s countdown (not announced every second); then "expired", its buttons disabled, and the run goes on without it. */
export const Expiring: Story = withLog('expiring', 'Expiring approval');
/** Never asks. */
export const Long: Story = { ...inside('long'), name: 'Long (never asks)', tags: ['long-run'] };
/** Fails before it could ask. */
export const Failing: Story = { ...inside('failing'), name: 'Failing (never asks)' };

/** The same element without `<agent-run>`: handed a `connectRun` handle as `.run`. */
export const QuickAlone: Story = { ...alone(PROMPT, 'quick'), name: 'Alone: quick' };
export const AgentAlone: Story = { ...alone(PROMPT, 'agent'), name: 'Alone: agent' };
export const LongAlone: Story = { ...alone(PROMPT, 'long'), name: 'Alone: long', tags: ['long-run'] };
export const FailingAlone: Story = { ...alone(PROMPT, 'failing'), name: 'Alone: failing' };
