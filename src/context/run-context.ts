/** The @lit/context key through which `<agent-run>` hands its run handle to the elements inside it. */
import { ContextRoot, createContext } from '@lit/context';
import type { RunHandle } from '../run/types.ts';

/** Context key for the run handle provided by `<agent-run>`. */
export const runContext = createContext<RunHandle | undefined>(Symbol.for('agentwire.run'));

let root: ContextRoot | undefined;

/**
 * Catch context requests no provider answered yet and replay them when one appears, so an
 * element defined (upgraded) before the `<agent-run>` around it still finds its run. Called by
 * the define modules; idempotent.
 */
export function ensureContextRoot(): void {
  if (root !== undefined || typeof document === 'undefined') return;
  root = new ContextRoot();
  root.attach(document.documentElement);
}
