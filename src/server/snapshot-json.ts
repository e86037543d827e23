/** A snapshot's JSON text, as `GET /api/runs/{id}` answers it and as a checkpoint is stored. */
import { toWireEvent, type RunSnapshot } from '../protocol/index.ts';

/** The snapshot as JSON; `unknown` log events go out in their wire form (`toWireEvent`), as on every other channel. */
export function snapshotJson(snapshot: RunSnapshot): string {
  return JSON.stringify({ ...snapshot, log: snapshot.log.map(toWireEvent) });
}
