// The agentwire elements in Vue templates, for vue-tsc. agentwire ships template types for React
// and Preact JSX (agentwire/jsx/react, agentwire/jsx/preact) but none for Vue, so this example
// maps the package's framework-free `agentwire/jsx` types into Vue's `GlobalComponents`, the way
// Vue's guide types custom elements: each tag's properties and attributes (`:run.prop`, `label`)
// over the HTML attributes, and its events (`@approval-settle`) with their event classes.
// Types only: Vue still renders the tags as custom elements (`isCustomElement` in vite.config.ts).
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { AgentwireElements } from 'agentwire/jsx';

type Props<Tag extends keyof AgentwireElements> = Omit<HTMLAttributes, keyof AgentwireElements[Tag]['props']> & AgentwireElements[Tag]['props'] & PublicProps;
type Emits<Events> = EmitFn<{ [Name in keyof Events]: (event: Events[Name]) => void }>;

/** A custom element as vue-tsc reads a component: the element, `$props` and `$emit` (template types only). */
type AgentwireComponent<Tag extends keyof AgentwireElements> = new () => AgentwireElements[Tag]['element'] & {
  /** @deprecated Template type checking only: the element has no `$props`. */
  $props: Props<Tag>;
  /** @deprecated Template type checking only: the element has no `$emit`. */
  $emit: Emits<AgentwireElements[Tag]['events']>;
};
type AgentwireComponents = { [Tag in keyof AgentwireElements]: AgentwireComponent<Tag> };

declare module 'vue' {
  interface GlobalComponents extends AgentwireComponents {}
}
