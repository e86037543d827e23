/** Registers `<run-progress>` (side effect: import once). */
import { ensureContextRoot } from '../../context/run-context.ts';
import { defineElement } from '../define-element.ts';
import { RunProgress } from './run-progress.ts';

ensureContextRoot();
defineElement('run-progress', RunProgress);

declare global {
  interface HTMLElementTagNameMap {
    'run-progress': RunProgress;
  }
}
