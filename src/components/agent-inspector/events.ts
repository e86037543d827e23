/** Events of `<agent-inspector>`. */
import type { Recording } from '../../inspector/recording.ts';

/** A recording file was imported (and is shown); replay it with `replayRecording(event.recording)`. */
export class RecordingImportEvent extends Event {
  /** The event's name. */
  static readonly eventName = 'recording-import';
  /** The recording, validated. */
  readonly recording: Recording;

  constructor(recording: Recording) {
    super(RecordingImportEvent.eventName, { bubbles: true, composed: true });
    this.recording = recording;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'recording-import': RecordingImportEvent;
  }
}
