/**
 * A TCP load balancer on loopback, in front of several server instances: each incoming
 * connection goes to one backend (round robin, or the first one alive), bytes piped both ways.
 * A backend that refuses the connection (it died) is skipped. What a client behind a real load
 * balancer sees when an instance dies: its connection drops, the next one lands elsewhere.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** How connections are spread. */
export type BalancerPolicy = 'round-robin' | 'failover';

/** A running balancer. */
export interface Balancer {
  readonly url: string;
  readonly port: number;
  /** Connections piped so far, per backend port. */
  readonly counts: Map<number, number>;
  /** Replace the backends (ports on 127.0.0.1). */
  setBackends(ports: readonly number[]): void;
  /** Cut every piped connection (both sides). */
  dropAll(): number;
  close(): Promise<void>;
}

function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1', noDelay: true });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Start a balancer on a free loopback port. */
export async function startBalancer(
  ports: readonly number[],
  policy: BalancerPolicy = 'round-robin',
): Promise<Balancer> {
  let backends = [...ports];
  let next = 0;
  const counts = new Map<number, number>();
  const open = new Set<Socket>();
  const server: Server = createServer({ noDelay: true }, (client) => {
    client.pause();
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    const order =
      policy === 'failover' ? [...backends] : backends.map((_, i) => backends[(next + i) % backends.length]!);
    if (policy === 'round-robin') next = (next + 1) % Math.max(1, backends.length);
    void (async () => {
      for (const port of order) {
        let upstream: Socket;
        try {
          upstream = await connect(port);
        } catch {
          continue;
        }
        if (client.destroyed) {
          upstream.destroy();
          return;
        }
        counts.set(port, (counts.get(port) ?? 0) + 1);
        open.add(upstream);
        upstream.once('close', () => {
          open.delete(upstream);
          client.destroy();
        });
        upstream.on('error', () => upstream.destroy());
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
        return;
      }
      client.destroy();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    counts,
    setBackends(list) {
      backends = [...list];
      next = 0;
    },
    dropAll() {
      const all = [...open];
      for (const socket of all) socket.destroy();
      return all.length;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
