/**
 * Loads the form path (schema-form-chunk.ts) on first use, once for every prompt on the page. A
 * failed load is not retried: requests with a `response_schema` are then answered as JSON text
 * (the server still validates the answer), never left unshown.
 */
import type * as SchemaFormChunk from './schema-form-chunk.ts';

/** The form path: `compileSchema`, `readForm` and `renderField`. */
export type SchemaForms = typeof SchemaFormChunk;

let loaded: SchemaForms | null = null;
let failed = false;
let loading: Promise<void> | null = null;

/** The form path when it is loaded, else null. */
export function schemaForms(): SchemaForms | null {
  return loaded;
}

/** True when the form path could not be loaded (requests with a schema fall back to a JSON text field). */
export function schemaFormsFailed(): boolean {
  return failed;
}

/** Load the form path (once); settles when it is loaded or has failed. */
export function loadSchemaForms(): Promise<void> {
  return (loading ??= import('./schema-form-chunk.ts').then(
    (module) => {
      loaded = module;
    },
    () => {
      failed = true;
    },
  ));
}
