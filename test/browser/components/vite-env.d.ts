/** Vite's `?raw` imports: a file's text (the tests read the elements' JSDoc headers). */
declare module '*?raw' {
  const source: string;
  export default source;
}
