/** The open streaming connections (SSE, WebSocket, long-poll, delayed answers) of a server, so they can be cut at once. */

/** Something that can be cut abruptly. */
export interface Killable {
  /** Cut the connection now (no goodbye). */
  kill(): void;
}

/** A set of open connections, grouped by run id so one run's connections can be cut together. */
export class ConnectionSet {
  private readonly open = new Set<Killable>();
  private readonly groups = new Map<string, Set<Killable>>();

  /** Track a connection, in `group` when given; returns the function that forgets it. */
  add(connection: Killable, group?: string): () => void {
    this.open.add(connection);
    let members: Set<Killable> | undefined;
    if (group !== undefined) {
      members = this.groups.get(group);
      if (!members) this.groups.set(group, (members = new Set()));
      members.add(connection);
    }
    return () => {
      this.open.delete(connection);
      if (members && group !== undefined) {
        members.delete(connection);
        if (members.size === 0 && this.groups.get(group) === members) this.groups.delete(group);
      }
    };
  }

  /** Number of open connections. */
  get size(): number {
    return this.open.size;
  }

  /** Number of open connections in `group`. */
  sizeOf(group: string): number {
    return this.groups.get(group)?.size ?? 0;
  }

  /** Cut every open connection; returns how many there were. */
  killAll(): number {
    const all = [...this.open];
    this.open.clear();
    this.groups.clear();
    for (const connection of all) connection.kill();
    return all.length;
  }

  /** Cut every open connection of `group` at once; returns how many there were. */
  killGroup(group: string): number {
    const members = this.groups.get(group);
    if (!members) return 0;
    this.groups.delete(group);
    const all = [...members];
    for (const connection of all) this.open.delete(connection);
    for (const connection of all) connection.kill();
    return all.length;
  }
}
