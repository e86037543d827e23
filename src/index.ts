/** agentwire: live AI runs in any web page. The main entry re-exports every layer (element classes without registering them; import `agentwire/define` for that). */
export * from './protocol/index.ts';
export * from './store/index.ts';
export * from './transports/index.ts';
export * from './run/index.ts';
export * from './components/index.ts';
