// Register the elements once, before Vue mounts: Vue then sets `run` as a property.
import 'agentwire/define';
import { createApp } from 'vue';
import App from './App.vue';

createApp(App).mount('#app');
