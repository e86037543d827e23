/** agentwire run store: the state shape, the pure reducer, the nanostores stores and the one owner of event order. */
export {
  DEFAULT_MESSAGE_ID,
  initialState,
  type TypedError,
  type RunStatus,
  type ConnectionStatus,
  type ConnectionState,
  type LogWorthyEvent,
  type LogEntry,
  type TextRun,
  type TextState,
  type ResyncNeed,
  type RunStoreState,
} from './state.ts';
export type { AppendList, WriteOnceMap } from './append-list.ts';
export {
  classify,
  step,
  reduce,
  reduceAll,
  fromSnapshot,
  toSnapshot,
  type ApplyOutcome,
  type StepResult,
} from './reducer.ts';
export { messageTexts, messageText, fullText, textSince, type TextDelta } from './text.ts';
export { createRunStore, type RunStore, type RunStoreOptions, type StoreStats } from './run-store.ts';
export type { LogTimesView } from './log-times.ts';
export type { ServerClockView } from './server-clock.ts';
export {
  ROW_KINDS,
  ALWAYS_SHOWN,
  LEVEL_RANK,
  MAX_DEPTH,
  END_ROW,
  VisibleRows,
  type LogRowsView,
  type LogRowKind,
} from './log-rows.ts';
export {
  parsePartialJson,
  PartialJsonParser,
  MAX_PARTIAL_JSON_DEPTH,
  PEEK_STRING_LENGTH,
  type PartialJson,
} from './partial-json.ts';
export { turnKey, turnsOf, turnsOfThread, type Turn } from './turns.ts';
export {
  createOrderedSink,
  DEFAULT_GAP_TIMEOUT_MS,
  MAX_HELD_EVENTS,
  type EventSink,
  type RunCursor,
  type GapRecovery,
  type SinkClock,
  type SinkOutcome,
  type SinkTapEvent,
  type SinkObserver,
} from './ordered-sink.ts';
