/** Whether a run still holds its conversation (pure: elements import it without the run API). */
import type { RunHandle } from './types.ts';

/** True while a run has not ended and its connection has not given up: the next message waits for it. */
export function isRunActive(run: RunHandle): boolean {
  const { status, connection } = run.$state.get();
  if (status === 'done' || status === 'failed' || status === 'cancelled') return false;
  return connection.status !== 'failed';
}
