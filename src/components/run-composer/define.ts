/** Registers `<run-composer>` (side effect: import once). */
import { RunComposer } from './run-composer.ts';

RunComposer.define('run-composer');

declare global {
  interface HTMLElementTagNameMap {
    'run-composer': RunComposer;
  }
}
