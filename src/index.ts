/** agentwire: live AI runs in any web page. The main entry re-exports every layer. */
export * from './protocol/index.ts';
export * from './store/index.ts';
