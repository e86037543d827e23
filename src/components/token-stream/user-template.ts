/**
 * `<template data-role="user">` inside `<token-stream>`: a user's message without code. The
 * template is cloned per message and filled in with text only (shared/text-template.ts):
 * `data-field="text"` (also `messageId`, `runId`, `status`, `error`), `data-if="error"`. The
 * clone's root (`part="user-template"`) carries `data-status`. Loaded on first use: a stream
 * without such a template never loads it.
 */
import { cloneTemplate, fillTemplate } from '../shared/text-template.ts';
import type { UserTurnRenderer } from './user-turn-view.ts';

export { templateStyles } from '../shared/text-template.ts';

/** A renderer that clones `template` per message and fills it. */
export function userTemplateRenderer(template: HTMLTemplateElement): UserTurnRenderer {
  return (turn) => {
    const root = cloneTemplate(template, 'user-template');
    root.dataset['status'] = turn.status;
    fillTemplate(root, turn);
    return root;
  };
}
