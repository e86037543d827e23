/** The open streaming connections (SSE, WebSocket, long-poll) of an app, so they can all be cut at once. */

/** Something that can be cut abruptly. */
export interface Killable {
  /** Cut the connection now (no goodbye). */
  kill(): void;
}

/** A set of open connections. */
export class ConnectionSet {
  private readonly open = new Set<Killable>();

  /** Track a connection; returns the function that forgets it. */
  add(connection: Killable): () => void {
    this.open.add(connection);
    return () => {
      this.open.delete(connection);
    };
  }

  /** Number of open connections. */
  get size(): number {
    return this.open.size;
  }

  /** Cut every open connection; returns how many there were. */
  killAll(): number {
    const all = [...this.open];
    this.open.clear();
    for (const connection of all) connection.kill();
    return all.length;
  }
}
