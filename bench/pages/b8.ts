/**
 * B8 page: one lane of the transport comparison (agentwire/inspector's `startLane`) against the
 * mock server, with a frame loop marking what is on screen; returns the lane's figures.
 */
import { laneFigures, startLane, type LaneFigures, type LaneOptions } from '../../src/inspector/compare.ts';

/** What the Node side calls. */
export interface B8PageApi {
  lane(options: LaneOptions): Promise<LaneFigures>;
}

const api: B8PageApi = {
  async lane(options) {
    const lane = await startLane(options);
    let frame = requestAnimationFrame(function mark(): void {
      lane.recorder.markScreen();
      frame = requestAnimationFrame(mark);
    });
    await lane.done;
    // The last events are drawn in the next frame.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    lane.recorder.markScreen();
    cancelAnimationFrame(frame);
    return laneFigures(lane);
  },
};

declare global {
  interface Window {
    b8?: B8PageApi;
  }
}
window.b8 = api;
