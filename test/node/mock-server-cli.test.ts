import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startRedis } from '../shared/redis-server.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** `npm run mock` (mock-server/cli.ts) with `env` on a free port. */
function startCli(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'mock-server/cli.ts'], {
    cwd: repo,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Resolve with the first line the process prints (reject when it exits first). */
function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('\n')) resolve(output.trim());
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${String(code)}`)));
  });
}

/** SIGTERM and the exit code. */
async function stopCli(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

/** A quick run (~45 events, speed 0) played to its end; its id and last seq. */
async function finishedRun(url: string): Promise<{ id: string; lastSeq: number }> {
  const created = await fetch(`${url}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ scenario: 'quick', speed: 0 }),
  });
  assert.equal(created.status, 201);
  const id = ((await created.json()) as { run_id: string }).run_id;
  for (;;) {
    const snapshot = (await (await fetch(`${url}/api/runs/${id}`)).json()) as { state: string; last_seq: number };
    if (snapshot.state === 'done') return { id, lastSeq: snapshot.last_seq };
    assert.equal(snapshot.state === 'failed' || snapshot.state === 'cancelled', false, snapshot.state);
    // The run ends within a few turns; wait for its next event rather than polling blindly.
    await (await fetch(`${url}/api/runs/${id}/events?after=${snapshot.last_seq}&wait=5`)).arrayBuffer();
  }
}

/** MAX_EVENTS=10: the run's log is trimmed, the snapshot is whole, events behind the trim are 410. */
async function checkTrimmed(url: string): Promise<void> {
  const { id, lastSeq } = await finishedRun(url);
  assert.ok(lastSeq > 20, `a run long enough to trim (${lastSeq} events)`);
  // A log may trim after it acknowledged the last append (Redis checkpoints in a script of its
  // own): ask again, request after request, until the 410 comes (bounded).
  let behind = await fetch(`${url}/api/runs/${id}/events?after=0`);
  for (let asked = 1; behind.status === 200 && asked < 200; asked++) {
    await behind.arrayBuffer();
    behind = await fetch(`${url}/api/runs/${id}/events?after=0`);
  }
  assert.equal(behind.status, 410);
  assert.equal(((await behind.json()) as { error: { code: string } }).error.code, 'events_trimmed');
  const tail = await fetch(`${url}/api/runs/${id}/events?after=${lastSeq - 5}`);
  assert.equal(tail.status, 200);
  const page = (await tail.json()) as { events: { seq: number }[] };
  assert.deepEqual(
    page.events.map((event) => event.seq),
    [1, 2, 3, 4, 5].map((n) => lastSeq - 5 + n),
  );
}

describe('mock server: CLI', () => {
  it('prints its URL on loopback, serves, and exits 0 on SIGTERM', async () => {
    const child = startCli({});
    try {
      const line = await firstLine(child);
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      assert.ok(url, line);
      const answer = await fetch(`${url}/api/scenarios`);
      assert.equal(answer.status, 200);
      await answer.arrayBuffer();
      assert.equal(await stopCli(child), 0);
      assert.equal(line.split('\n').length, 1, 'one line of output');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('MAX_EVENTS trims each run log in memory (410 events_trimmed behind the trim)', async () => {
    const child = startCli({ MAX_EVENTS: '10' });
    try {
      const line = await firstLine(child);
      assert.match(line, /logs trimmed to 10 events/);
      await checkTrimmed(/(http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!);
      assert.equal(await stopCli(child), 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('MAX_EVENTS trims each run log in Redis too (REDIS_URL)', async () => {
    const redis = await startRedis();
    const child = startCli({ MAX_EVENTS: '10', REDIS_URL: redis.url });
    try {
      const line = await firstLine(child);
      assert.match(line, /runs in Redis at .*logs trimmed to 10 events/);
      await checkTrimmed(/(http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!);
      assert.equal(await stopCli(child), 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await redis.stop();
    }
  });

  it('refuses a bad MAX_EVENTS with a clear message and exit code 1', async () => {
    for (const value of ['0', '-3', '2.5', 'many']) {
      const child = startCli({ MAX_EVENTS: value });
      let errors = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => (errors += chunk));
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 1, value);
      assert.match(errors, new RegExp(`invalid MAX_EVENTS "${value.replace('.', '\\.')}" \\(a positive integer\\)`));
    }
  });
});
