import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { RUN_DEFAULTS, runArgTypes, type RunArgs } from '../support/controls.ts';
import { CONSOLE_MARKUP, SIDE_BY_SIDE_LEFT, SIDE_BY_SIDE_RIGHT } from '../support/layouts.ts';
import { liveParameters, renderLive } from '../support/live.ts';

const meta: Meta<RunArgs> = {
  title: 'Elements/Agent run',
  component: 'agent-run',
  args: RUN_DEFAULTS,
  argTypes: runArgTypes,
  render: (args) => renderLive(CONSOLE_MARKUP, args),
  parameters: liveParameters(CONSOLE_MARKUP),
};
export default meta;

type Story = StoryObj<RunArgs>;

/** One `<agent-run>` connects one run and shares it with every element inside: progress, text, log and the approval prompt. */
export const EveryElement: Story = { name: 'Every element' };

/**
 * Two `<agent-run>`s on one page are fully isolated: each connects its own run (here `quick`
 * and `failing`) and the elements inside each show only theirs.
 */
export const SideBySide: Story = {
  name: 'Two runs side by side',
  args: { scenario: 'quick' },
  render: (args) =>
    html`<div style="display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem">
      ${renderLive(SIDE_BY_SIDE_LEFT, args)} ${renderLive(SIDE_BY_SIDE_RIGHT, { ...args, scenario: 'failing' })}
    </div>`,
  parameters: {
    docs: {
      source: {
        language: 'html',
        code: `${SIDE_BY_SIDE_LEFT}
${SIDE_BY_SIDE_RIGHT}

<script type="module">
  import 'agentwire/define';
  import { createRun } from 'agentwire/run';

  const [first, second] = document.querySelectorAll('agent-run');
  first.runId = await createRun({ baseUrl: location.origin, body: { scenario: 'quick' } });
  second.runId = await createRun({ baseUrl: location.origin, body: { scenario: 'failing' } });
</script>`,
      },
    },
  },
};
