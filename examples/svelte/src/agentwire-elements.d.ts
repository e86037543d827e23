// The agentwire elements in Svelte markup, for svelte-check. agentwire ships template types for
// React and Preact JSX (agentwire/jsx/react, agentwire/jsx/preact) but none for Svelte, so this
// example adds the package's framework-free `agentwire/jsx` types to Svelte's
// `SvelteHTMLElements`: each tag's properties and attributes (`{run}`, `label`) and its
// `on<event>` handlers (`onapproval-settle`), over the HTML attributes. Types only.
import type { HTMLAttributes } from 'svelte/elements';
import type { AgentwireElements, AgentwireJsxProps } from 'agentwire/jsx';

type AgentwireSvelteElements = {
  [Tag in keyof AgentwireElements]: Omit<HTMLAttributes<AgentwireElements[Tag]['element']>, keyof AgentwireJsxProps<Tag>> & AgentwireJsxProps<Tag>;
};

declare module 'svelte/elements' {
  interface SvelteHTMLElements extends AgentwireSvelteElements {}
}
