/** Registers `<agent-inspector>` (side effect: import once). */
import { AgentInspector } from './agent-inspector.ts';

AgentInspector.define('agent-inspector');

declare global {
  interface HTMLElementTagNameMap {
    'agent-inspector': AgentInspector;
  }
}
