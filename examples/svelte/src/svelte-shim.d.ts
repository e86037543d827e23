// Lets tsc type-check the .ts files that import components (svelte-check checks the components themselves).
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<Record<string, unknown>>;
  export default component;
}
