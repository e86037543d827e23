/**
 * Tool renderers without code: `<template data-tool="search_docs">` inside `<agent-log>`. The
 * template's content is cloned once per call and filled in as the call changes, with text only
 * (shared/text-template.ts):
 *
 * - `data-field="args.query"`: the element's text is that value (objects as JSON). Paths start at
 *   the call: `name`, `status`, `args`, `result`, `summary`, `duration` (e.g. "1.2 s"), `callId`.
 * - `data-each="result.hits"`: the element's first child is repeated once per item; inside it,
 *   paths start at the item (`.` is the item itself).
 * - `data-if="result"`: the element is hidden unless that value is present and truthy.
 *
 * The clone's root carries `data-status` (streaming, running, done, failed, ended, cancelled) for CSS. Values are
 * never markup and never set attributes: untrusted data stays text.
 */
import type { ToolView } from './row-view.ts';
import { formatDuration } from './format.ts';
import { cloneTemplate, fillTemplate } from '../shared/text-template.ts';

export { templateStyles } from '../shared/text-template.ts';

/** A per-tool renderer: `(call) => TemplateResult | Node` (see `<agent-log>`'s `renderers`). */
export type ToolRenderer = (call: ToolView) => unknown;

/** A renderer that clones `template` per call and fills it (see the module comment). */
export function templateRenderer(template: HTMLTemplateElement): ToolRenderer {
  const clones = new Map<string, HTMLElement>();
  return (call) => {
    let root = clones.get(call.callId);
    if (!root) {
      // Styles of the template are adopted once by the element (see templateStyles).
      root = cloneTemplate(template, 'tool-template');
      clones.set(call.callId, root);
    }
    root.dataset['status'] = call.status;
    fillTemplate(root, {
      name: call.name,
      status: call.status,
      args: call.args,
      result: call.result,
      summary: call.summary,
      callId: call.callId,
      duration: call.durationMs === null ? '' : formatDuration(call.durationMs),
    });
    return root;
  };
}
