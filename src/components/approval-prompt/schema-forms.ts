/**
 * Loads the form path (schema-form-chunk.ts) on first use, once for every prompt on the page. A
 * failed load is not retried: requests with a `response_schema` are then answered as JSON text
 * (the server still validates the answer), never left unshown.
 */
import { lazyModule } from '../shared/lazy-module.ts';
import type * as SchemaFormChunk from './schema-form-chunk.ts';

/** The form path: `compileSchema`, `readForm` and `renderField`. */
export type SchemaForms = typeof SchemaFormChunk;

const chunk = lazyModule((): Promise<SchemaForms> => import('./schema-form-chunk.ts'));

/** The form path when it is loaded, else null. */
export function schemaForms(): SchemaForms | null {
  return chunk.module;
}

/** True when the form path could not be loaded. */
export function schemaFormsFailed(): boolean {
  return chunk.failed;
}

/** Load the form path (once); settles when it is loaded or has failed. */
export function loadSchemaForms(): Promise<void> {
  return chunk.load();
}
