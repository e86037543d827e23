/**
 * Loads the code of `<template data-tool>` renderers (tool-template.ts) on first use, once for
 * every log on the page: a log without such templates never loads it. A failed load is not
 * retried: those tools then keep the default rendering.
 */
import { lazyModule } from '../shared/lazy-module.ts';
import type * as ToolTemplate from './tool-template.ts';

/** The template renderer code: `templateRenderer` and `templateStyles`. */
export type ToolTemplates = typeof ToolTemplate;

const chunk = lazyModule((): Promise<ToolTemplates> => import('./tool-template.ts'));

/** The template renderer code when it is loaded, else null. */
export function toolTemplates(): ToolTemplates | null {
  return chunk.module;
}

/** True when the template renderer code could not be loaded. */
export function toolTemplatesFailed(): boolean {
  return chunk.failed;
}

/** Load the template renderer code (once); settles when it is loaded or has failed. */
export function loadToolTemplates(): Promise<void> {
  return chunk.load();
}
