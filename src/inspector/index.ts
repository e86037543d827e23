/**
 * agentwire/inspector: see the wire. A recorder (a wire tap keeping a bounded timeline and
 * counters), recordings (export, validated import), deterministic replay into a store, the mock
 * server's replay body, and the dev elements `<agent-inspector>` and `<transport-compare>`
 * (classes only: `agentwire/define/agent-inspector` and `agentwire/define/transport-compare`
 * register them). Not part of the core bundle.
 */
export {
  ENTRY_KINDS,
  ENTRY_PLANES,
  INPUT_KINDS,
  MAX_DETAIL_LENGTH,
  describeEvent,
  stampOf,
  toEntry,
  type EntryKind,
  type EntryPlane,
  type EntryData,
  type EntryLatency,
  type TimelineEntry,
} from './entry.ts';
export { Timeline } from './timeline.ts';
export {
  DEFAULT_CAPACITY,
  createRecorder,
  percentile,
  type Recorder,
  type RecorderOptions,
  type RecorderListener,
  type WireCounters,
} from './recorder.ts';
export {
  RECORDING_FORMAT,
  RECORDING_VERSION,
  MAX_RECORDING_CHARS,
  RecordingError,
  parseRecording,
  stringifyRecording,
  toRecording,
  type Recording,
  type RecordingErrorCode,
  type RecordingInfo,
} from './recording.ts';
export { replayInputs, replayRecording, type Replay, type ReplayOptions } from './replay.ts';
export { MAX_REPLAY_PAUSE_MS, replayRequestBody, type ReplayRequestBody, type ReplayStep } from './replay-body.ts';
export { AgentInspector } from '../components/agent-inspector/agent-inspector.ts';
export { RecordingImportEvent } from '../components/agent-inspector/events.ts';
export {
  ENTRY_GROUPS,
  NO_FILTER,
  InspectorView,
  arraySource,
  matches,
  visibleWindow,
  type EntryFilter,
  type EntryGroup,
  type EntrySource,
} from '../components/agent-inspector/inspector-view.ts';
export { laneFigures, startLane, type Lane, type LaneFigures, type LaneOptions } from './compare.ts';
export { TransportCompare } from '../components/transport-compare/transport-compare.ts';
export { CompareCompleteEvent } from '../components/transport-compare/events.ts';
export type { ServerCount } from '../components/transport-compare/render-tables.ts';
