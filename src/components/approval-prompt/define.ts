/** Registers `<approval-prompt>` (side effect: import once). */
import { ensureContextRoot } from '../../context/run-context.ts';
import { defineElement } from '../define-element.ts';
import { ApprovalPrompt } from './approval-prompt.ts';

ensureContextRoot();
defineElement('approval-prompt', ApprovalPrompt);

declare global {
  interface HTMLElementTagNameMap {
    'approval-prompt': ApprovalPrompt;
  }
}
