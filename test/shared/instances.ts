/**
 * Server instances as separate processes: `npm run mock` (mock-server/cli.ts) with `REDIS_URL`,
 * each on a free loopback port, started and killed like a real deployment's instances.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** A running instance. */
export interface Instance {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** SIGKILL: the process dies at once, with whatever it had not written. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/** Options of `startInstance`. */
export interface InstanceOptions {
  readonly name: string;
  readonly redisUrl: string;
  /** The producer lease of the Redis log, ms. */
  readonly leaseMs?: number;
}

/** Start `npm run mock` on Redis in its own process; resolves with its URL once it listens. */
export async function startInstance(options: InstanceOptions): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'mock-server/cli.ts'], {
    cwd: repo,
    env: {
      ...process.env,
      PORT: '0',
      REDIS_URL: options.redisUrl,
      MOCK_DEV_ROUTES: '1',
      ...(options.leaseMs !== undefined && { LEASE_MS: String(options.leaseMs) }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      const found = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`instance ${options.name} exited with ${String(code)}: ${errors}`)));
  });
  return {
    name: options.name,
    url,
    port: Number(new URL(url).port),
    process: child,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
