/** Registers `<approval-prompt>` (side effect: import once). */
import { ApprovalPrompt } from './approval-prompt.ts';

ApprovalPrompt.define('approval-prompt');

declare global {
  interface HTMLElementTagNameMap {
    'approval-prompt': ApprovalPrompt;
  }
}
