/**
 * Loads the code of `<template data-tool>` renderers (tool-template.ts) on first use, once for
 * every log on the page: a log without such templates never loads it. A failed load is not
 * retried: those tools then keep the default rendering.
 */
import type * as ToolTemplate from './tool-template.ts';

/** The template renderer code: `templateRenderer` and `templateStyles`. */
export type ToolTemplates = typeof ToolTemplate;

let loaded: ToolTemplates | null = null;
let failed = false;
let loading: Promise<void> | null = null;

/** The template renderer code when it is loaded, else null. */
export function toolTemplates(): ToolTemplates | null {
  return loaded;
}

/** True when the template renderer code could not be loaded. */
export function toolTemplatesFailed(): boolean {
  return failed;
}

/** Load the template renderer code (once); settles when it is loaded or has failed. */
export function loadToolTemplates(): Promise<void> {
  return (loading ??= import('./tool-template.ts').then(
    (module) => {
      loaded = module;
    },
    () => {
      failed = true;
    },
  ));
}
