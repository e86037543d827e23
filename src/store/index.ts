/** agentwire run store: state shape, pure reducer and nanostores stores. */
export * from './state.ts';
export * from './append-list.ts';
export * from './reducer.ts';
export * from './text.ts';
export * from './run-store.ts';
export * from './log-rows.ts';
