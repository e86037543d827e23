// Register the elements once, before Vue mounts: Vue then sets object props as properties.
import 'agentwire/define';
import { createApp } from 'vue';
import App from './App.vue';

createApp(App).mount('#app');
