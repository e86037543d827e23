/** Guarded custom element registration shared by every define module. */

/** Define `tag` as `ctor` unless the tag is taken; warn (never throw) when another class holds it. */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  const registry = globalThis.customElements;
  const existing = registry.get(tag);
  if (existing === undefined) registry.define(tag, ctor);
  else if (existing !== ctor)
    console.warn(`agentwire: <${tag}> is already defined by another class; keeping that one.`);
}
