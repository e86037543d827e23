/**
 * The form path of `<approval-prompt>`: compiling a request's `response_schema` to fields, their
 * templates, and reading the answer back. Loaded with `import()` the first time a request carries
 * a `response_schema` (see schema-forms.ts): a page whose agent never asks for a form never loads it.
 */
export { compileSchema, readForm } from './response-schema.ts';
export { renderField } from './schema-form.ts';
