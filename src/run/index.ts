/** agentwire run API: framework-agnostic handles (nanostores stores + actions) over any transport. */
export * from './types.ts';
export { connectRun } from './connect.ts';
export { createRun, startRun, DEFAULT_RUN_PATHS } from './create.ts';
