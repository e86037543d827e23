/** Registers `<run-progress>` (side effect: import once). */
import { RunProgress } from './run-progress.ts';

RunProgress.define('run-progress');

declare global {
  interface HTMLElementTagNameMap {
    'run-progress': RunProgress;
  }
}
