/** Registers `<agent-log>` (side effect: import once). */
import { AgentLog } from './agent-log.ts';

AgentLog.define('agent-log');

declare global {
  interface HTMLElementTagNameMap {
    'agent-log': AgentLog;
  }
}
