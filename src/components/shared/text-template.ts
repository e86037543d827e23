/**
 * Text-only templates, shared by `<agent-log>`'s `<template data-tool>` and `<token-stream>`'s
 * `<template data-role="user">`: a `<template>`'s content is cloned and filled in with text only:
 *
 * - `data-field="args.query"`: the element's text is that value (objects as JSON);
 * - `data-each="result.hits"`: the element's first child is repeated once per item; inside it,
 *   paths start at the item (`.` is the item itself);
 * - `data-if="result"`: the element is hidden unless that value is present and truthy.
 *
 * Values are never markup and never set attributes: untrusted data stays text.
 */

/** The repeated child of each `data-each` element, taken from the template on first fill. */
const prototypes = new WeakMap<Element, Element | null>();

/** A `<div part=…>` holding a clone of the template's content, its `<style>` elements left out (see templateStyles). */
export function cloneTemplate(template: HTMLTemplateElement, part: string): HTMLElement {
  const root = document.createElement('div');
  root.setAttribute('part', part);
  const content = template.content.cloneNode(true) as DocumentFragment;
  for (const style of content.querySelectorAll('style')) style.remove();
  root.append(content);
  return root;
}

/** The CSS text of a template's `<style>` elements. */
export function templateStyles(template: HTMLTemplateElement): string {
  return [...template.content.querySelectorAll('style')].map((style) => style.textContent).join('\n');
}

/** Fill a clone's `data-field`, `data-each` and `data-if` elements from `context` (again on every change). */
export function fillTemplate(element: Element, context: unknown): void {
  for (const child of element.children) {
    const test = child.getAttribute('data-if');
    if (test !== null) (child as HTMLElement).hidden = !truthy(lookup(context, test));
    const each = child.getAttribute('data-each');
    if (each !== null) {
      fillEach(child, lookup(context, each));
      continue;
    }
    const field = child.getAttribute('data-field');
    if (field !== null) {
      const text = asText(lookup(context, field));
      if (child.textContent !== text) child.textContent = text;
      continue;
    }
    fillTemplate(child, context);
  }
}

function fillEach(list: Element, items: unknown): void {
  if (!prototypes.has(list)) {
    const first = list.firstElementChild;
    prototypes.set(list, first);
    first?.remove();
    list.replaceChildren();
  }
  const prototype = prototypes.get(list);
  const array = Array.isArray(items) ? (items as unknown[]) : [];
  if (!prototype) return;
  while (list.children.length > array.length) list.lastElementChild!.remove();
  while (list.children.length < array.length) list.append(prototype.cloneNode(true));
  array.forEach((item, i) => {
    const clone = list.children[i]!;
    // The repeated element itself may name a field of the item.
    const field = clone.getAttribute('data-field');
    if (field !== null) clone.textContent = asText(lookup(item, field));
    else fillTemplate(clone, item);
  });
}

/** The value at a dotted path (own properties only; `.` or '' is the value itself). */
export function lookup(value: unknown, path: string): unknown {
  if (path === '.' || path === '') return value;
  let current = value;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== null && value !== false && value !== '' && value !== 0;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    const json: unknown = JSON.stringify(value);
    return typeof json === 'string' ? json : '';
  } catch {
    return '';
  }
}
