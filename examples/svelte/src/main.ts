// Register the elements once, before Svelte mounts: Svelte then sets `body` as a property.
import 'agentwire/define';
import { mount } from 'svelte';
import App from './App.svelte';

mount(App, {
  target: document.getElementById('app')!,
  props: { backend: new URLSearchParams(location.search).get('backend') ?? 'http://127.0.0.1:8787' },
});
