/** Registers `<agent-run>` (side effect: import once). */
import { ensureContextRoot } from '../../context/run-context.ts';
import { defineElement } from '../define-element.ts';
import { AgentRun } from './agent-run.ts';

ensureContextRoot();
defineElement('agent-run', AgentRun);

declare global {
  interface HTMLElementTagNameMap {
    'agent-run': AgentRun;
  }
}
