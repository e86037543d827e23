/** Registers `<agent-log>` (side effect: import once). */
import { ensureContextRoot } from '../../context/run-context.ts';
import { defineElement } from '../define-element.ts';
import { AgentLog } from './agent-log.ts';

ensureContextRoot();
defineElement('agent-log', AgentLog);

declare global {
  interface HTMLElementTagNameMap {
    'agent-log': AgentLog;
  }
}
