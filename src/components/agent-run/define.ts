/** Registers `<agent-run>` (side effect: import once). */
import { AgentRun } from './agent-run.ts';

AgentRun.define('agent-run');

declare global {
  interface HTMLElementTagNameMap {
    'agent-run': AgentRun;
  }
}
