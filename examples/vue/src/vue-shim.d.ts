// Lets tsc type-check the .ts files that import single-file components (vue-tsc checks the SFCs themselves).
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
