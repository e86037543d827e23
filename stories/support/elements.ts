/** Story builders for the Elements pages: one element inside `<agent-run>`, or alone, per scenario. */
import type { StoryObj } from '@storybook/web-components-vite';
import type { RunArgs, Scenario } from './controls.ts';
import type { ElementLayout } from './layouts.ts';
import { liveParameters, renderLive } from './live.ts';

type Story = StoryObj<RunArgs>;

/** The element inside `<agent-run>` (the meta's render), playing `scenario`. */
export function inside(scenario: Scenario): Story {
  return { args: { scenario } };
}

/** The element alone, handed a `connectRun` handle as `.run`, playing `scenario`. */
export function alone(layout: ElementLayout, scenario: Scenario): Story {
  return {
    args: { scenario },
    render: (args) => renderLive(layout.alone, args, { wiring: 'alone' }),
    parameters: liveParameters(layout.alone, { wiring: 'alone' }),
  };
}
