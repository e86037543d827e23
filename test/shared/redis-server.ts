/**
 * A real redis-server for tests and benchmarks: started here on a free loopback port in a temp
 * directory (no persistence unless asked), stopped by its pid. `.ci/run` installs the Debian
 * package when it is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  readonly process: ChildProcess;
  /** Kill it with SIGKILL (nothing flushed) and wait for it to exit. */
  kill(): Promise<void>;
  /** Start it again on the same port and directory (with an append-only file, what was fsynced comes back). */
  restart(): Promise<RedisServer>;
  /** Stop it and remove its directory. */
  stop(): Promise<void>;
}

/** Options of `startRedis`. */
export interface StartRedisOptions {
  /** Keep an append-only file fsynced on every write (what Redis acknowledged survives a kill). */
  readonly persistent?: boolean;
  readonly port?: number;
  readonly dir?: string;
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port (redis-server prints nothing we rely on). */
async function reachable(port: number, child: ChildProcess, output: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}): ${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise<void>((resolve) => {
      // The child's first output (or its exit) is the earliest moment to try again.
      const again = (): void => resolve();
      child.stdout?.once('data', again);
      child.once('exit', again);
      setTimeout(again, 20).unref();
    });
  }
}

/** Start a redis-server on a free port in a temp directory. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'agentwire-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir];
  args.push(...(options.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await reachable(port, child, () => output);
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    process: child,
    kill,
    restart: async () => {
      await kill();
      return startRedis({ ...options, port, dir });
    },
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
