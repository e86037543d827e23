#!/usr/bin/env node
// `npm test`: Node tests for pure logic and the mock server, then the browser suite in Chromium
// (element and transport tests, then the reliability suite, then chunks that cannot be loaded).
// Both always run; the closing line states passed/failed counts for each and in total.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const started = Date.now();

/** Run a command, echo its output live, and return the output and exit code. */
function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (stream) => (chunk) => {
      const text = chunk.toString();
      out += text;
      stream.write(text);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('close', (code) => resolve({ out, code: code ?? 1 }));
  });
}

/** The last integer printed after `label` (e.g. "ℹ pass 12"), or null. */
function lastNumber(text, pattern) {
  const all = [...text.matchAll(pattern)];
  return all.length ? Number(all.at(-1)[1]) : null;
}

/** Every `*.test.ts` under a folder (Node 20 has no fs.globSync). */
const testFiles = (dir) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join(dir, f));

const nodeFiles = testFiles('test/node');
const node = nodeFiles.length
  ? await run(process.execPath, [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-concurrency=2',
      ...nodeFiles,
    ])
  : { out: '', code: 0 };
const nodePassed = lastNumber(node.out, /ℹ pass (\d+)/g) ?? 0;
const nodeFailed = lastNumber(node.out, /ℹ fail (\d+)/g) ?? (node.code === 0 ? 0 : 1);

// The browser suite in groups, one after the other (see web-test-runner.config.mjs): the
// CPU-heavy reliability suite does not run beside the timing-sensitive element tests, and the
// chunks served as 404s (unloadable) are fetched by a browser of their own.
let browserPassed = 0;
let browserFailed = 0;
const browser = { code: 0 };
for (const group of ['main', 'reliability', 'unloadable']) {
  const result = await run(process.execPath, ['--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js'], {
    FORCE_COLOR: '0',
    WTR_GROUP: group,
  });
  browserPassed += lastNumber(result.out, /(\d+) passed/g) ?? 0;
  browserFailed += lastNumber(result.out, /(\d+) failed/g) ?? (result.code === 0 ? 0 : 1);
  if (result.code !== 0) browser.code = result.code;
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
const passed = nodePassed + browserPassed;
const failed =
  nodeFailed +
  browserFailed +
  (node.code !== 0 && nodeFailed === 0 ? 1 : 0) +
  (browser.code !== 0 && browserFailed === 0 ? 1 : 0);
console.log(
  `\nagentwire tests: ${passed} passed, ${failed} failed ` +
    `(node: ${nodePassed} passed, ${nodeFailed} failed; browser: ${browserPassed} passed, ${browserFailed} failed) in ${seconds} s`,
);
process.exit(failed === 0 && node.code === 0 && browser.code === 0 ? 0 : 1);
