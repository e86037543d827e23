/**
 * `npm run test:examples`: agentwire as a user gets it. Builds and packs the package, installs the
 * tarball into a temporary project whose npm workspaces are the examples (each with its own
 * package.json, agentwire from the tarball; from the npm cache when it has them), then:
 *
 * - checks what the tarball holds and imports every entry point in Node;
 * - type-checks every entry (bundler and nodenext resolution, React and Preact JSX, and our
 *   declaration files under a full lib check) with TypeScript 7, and each example with its own
 *   `npm run typecheck`: tsc for React, vue-tsc for the Vue single-file components (templates
 *   included) and svelte-check for the Svelte components (warnings fail too), both on
 *   TypeScript 6, whose JS API they need;
 * - builds a page importing the DOM entries and a tree-shaking probe with Vite;
 * - builds examples/react, vue and svelte with Vite, serves them and examples/html (which
 *   loads the self-contained bundle, no build step), and holds a conversation in each, in
 *   Chromium against the real mock server: a message typed into <run-composer> and sent with
 *   Enter starts a run, its question is answered "yes", the answer streams and the run ends, a
 *   follow-up goes to the same thread; the elements hold objects (not strings) as properties,
 *   and the framework received the elements' events.
 *
 * The temporary project is outside the repository, so nothing resolves from the repository's
 * node_modules: a dependency missing from package.json fails here. KEEP_EXAMPLES_DIR=1 keeps it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startMockServer, type MockServer } from '../../mock-server/server.ts';
import {
  BROWSER_ONLY_ENTRIES,
  entriesPage,
  entriesTypes,
  JSON_ENTRIES,
  NODE_ENTRIES,
  nodeImportScript,
  preactTsx,
  reactTsx,
  shakePage,
  TAGS,
  tsconfigs,
} from './fixtures.ts';
import { npm, pack, readPackage, REPO, run, runOk, serveStatic } from './project.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { startRedis } from '../shared/redis-server.ts';

const EXAMPLES = ['react', 'vue', 'svelte', 'html'] as const;
type Example = (typeof EXAMPLES)[number];
/** Backends: examples/server-node runs with Node and is checked with the packed agentwire-check-server. */
const SERVER_EXAMPLES = ['server-node'] as const;
/** The examples with a package.json: the temporary project's workspaces. */
const PACKAGES = EXAMPLES.filter((name) => name !== 'html');
/** Preact is only type-checked (agentwire/jsx/preact); the version the JSX types were written against. */
const PREACT = '11.2.0';
/** What the checks in checks/ import, at the repository's own versions (TypeScript 7 among them). */
const ROOT_PACKAGES = ['typescript', 'vite', 'react', '@types/react', 'vue', 'svelte'] as const;
/**
 * Type checkers that load their peer `typescript` through its JS API, which TypeScript 7 (the
 * root's) lacks: an override pins each to its example's TypeScript, so npm keeps the checker in
 * that example's node_modules instead of hoisting it next to the root's TypeScript 7.
 */
const TS_API_CHECKERS = ['vue-tsc', 'svelte-check'] as const;

const timings: string[] = [];
async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings.push(`${label} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

let dir = '';
let tarball = '';
let packedFiles: string[] = [];
let mock: MockServer | undefined;
let site: { url: string; close: () => Promise<void> } | undefined;
let browser: Browser | undefined;

/** A package's bin script inside the temporary project. */
const bin = (pkg: string, script: string): string => join(dir, 'node_modules', pkg, script);
const tsc = (project: string, cwd = dir) => run(process.execPath, [bin('typescript', 'bin/tsc'), '-p', project], cwd);
const viteBuild = (cwd: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  runOk(process.execPath, [bin('vite', 'bin/vite.js'), 'build', '--logLevel', 'warn', ...extra], cwd, env);

/** The temporary project's package.json: the examples as workspaces, what checks/ needs at the root, agentwire from the tarball. */
function projectPackage(): object {
  const repo = readPackage(REPO);
  const dependencies: Record<string, string> = { preact: PREACT, agentwire: `file:${tarball}` };
  for (const name of ROOT_PACKAGES)
    dependencies[name] = repo.devDependencies?.[name] ?? assert.fail(`${name} is a devDependency of the repository`);
  const overrides: Record<string, { typescript: string }> = {};
  for (const name of PACKAGES) {
    const devDependencies = readPackage(join(REPO, 'examples', name)).devDependencies ?? {};
    for (const checker of TS_API_CHECKERS) {
      const typescript = devDependencies['typescript'];
      if (!devDependencies[checker] || !typescript) continue;
      assert.ok(
        !overrides[checker] || overrides[checker].typescript === typescript,
        `every example runs ${checker} on one TypeScript`,
      );
      overrides[checker] = { typescript };
    }
  }
  return {
    name: 'agentwire-packed-check',
    private: true,
    type: 'module',
    workspaces: [...PACKAGES, ...SERVER_EXAMPLES].map((name) => `examples/${name}`),
    dependencies,
    overrides,
  };
}

/** Copy an example into the temporary project; its `agentwire` dependency becomes the tarball. */
function copyExample(name: Example | (typeof SERVER_EXAMPLES)[number]): void {
  const to = join(dir, 'examples', name);
  cpSync(join(REPO, 'examples', name), to, { recursive: true, filter: (src) => !/node_modules|[\\/]dist$/.test(src) });
  if (name === 'html') return; // no package.json: nothing to install
  const pkg = readPackage(to);
  assert.ok(pkg.dependencies?.['agentwire'], `examples/${name} depends on agentwire`);
  pkg.dependencies['agentwire'] = `file:${tarball}`;
  writeFileSync(join(to, 'package.json'), JSON.stringify(pkg, null, 2));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentwire-packed-'));
  await timed('build', () => runOk('npm', ['run', 'build', '--silent'], REPO));
  ({ tarball, files: packedFiles } = await timed('pack', () => pack(dir)));
  writeFileSync(join(dir, 'package.json'), JSON.stringify(projectPackage(), null, 2));
  for (const name of [...EXAMPLES, ...SERVER_EXAMPLES]) copyExample(name);
  // --prefer-offline: most versions are the repository's own, already in the npm cache after its install.
  await timed('install', () => npm(['install', '--prefer-offline'], dir));
  const checks = join(dir, 'checks');
  for (const [path, text] of Object.entries({
    'node-import.mjs': nodeImportScript,
    'entries.ts': entriesTypes,
    'react.tsx': reactTsx,
    'preact.tsx': preactTsx,
    ...Object.fromEntries(Object.entries(tsconfigs).map(([name, config]) => [name, JSON.stringify(config, null, 2)])),
    ...Object.fromEntries(Object.entries(entriesPage).map(([name, text]) => [`entries/${name}`, text])),
    ...Object.fromEntries(Object.entries(shakePage).map(([name, text]) => [`shake/${name}`, text])),
  })) {
    mkdirSync(join(checks, path, '..'), { recursive: true });
    writeFileSync(join(checks, path), text);
  }
});

after(async () => {
  await browser?.close();
  await site?.close();
  await mock?.close();
  if (dir && !process.env['KEEP_EXAMPLES_DIR']) rmSync(dir, { recursive: true, force: true });
  else if (dir) process.stdout.write(`kept ${dir}\n`);
  process.stdout.write(`\ntest:examples timings: ${timings.join(', ')}\n`);
});

describe('the packed package', () => {
  it('ships dist, custom-elements.json, README, the protocol and the checker bin, and nothing else', () => {
    const pkg = readPackage(REPO);
    for (const path of [
      'package.json',
      'README.md',
      'custom-elements.json',
      'dist/agentwire.bundle.js',
      'dist/cdn/agentwire.js',
      'dist/types/jsx-react.d.ts',
      'dist/types-only.js',
    ]) {
      assert.ok(packedFiles.includes(path), `${path} is in the tarball`);
    }
    const outside = packedFiles.filter(
      (f) =>
        ![
          'package.json',
          'README.md',
          'LICENSE',
          'custom-elements.json',
          'docs/PROTOCOL.md',
          'bin/agentwire-check-server.js',
        ].includes(f) && !f.startsWith('dist/'),
    );
    assert.deepEqual(outside, [], 'only the files whitelist');
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      for (const file of typeof target === 'string' ? [target] : [target.types, target.default]) {
        assert.ok(packedFiles.includes(file.replace(/^\.\//, '')), `${subpath} → ${file} is in the tarball`);
      }
    }
    const entries = Object.keys(pkg.exports).map((s) => (s === '.' ? 'agentwire' : `agentwire/${s.slice(2)}`));
    const covered = [...Object.keys(NODE_ENTRIES), ...BROWSER_ONLY_ENTRIES, ...JSON_ENTRIES];
    assert.deepEqual(
      entries.filter((e) => !covered.includes(e)),
      [],
      'every entry point is imported by a check below',
    );
  });

  it('lists only the define modules (and the bundle, which registers) as side effects', () => {
    const { sideEffects } = readPackage(REPO);
    const matches = (file: string) =>
      sideEffects.some((glob) =>
        new RegExp(`^${glob.replace(/^\.\//, '').replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`).test(file),
      );
    // A registering module calls something with a tag as its only or first argument: `AgentRun.define("agent-run")`
    // (names may be minified); DOM lookups by tag (`closest("agent-run")`, `createElement(…)`) do not register.
    const registers = new RegExp(
      `(?<!\\.(?:closest|querySelector|querySelectorAll|createElement|getElementsByTagName))\\(\\s*["'\`](${TAGS.join('|')})["'\`]\\s*[,)]`,
    );
    const registering = packedFiles.filter(
      (f) => f.endsWith('.js') && registers.test(readFileSync(join(REPO, f), 'utf8')),
    );
    assert.ok(registering.length >= TAGS.length, `found the registering modules: ${registering.join(', ')}`);
    for (const file of registering)
      assert.ok(matches(file), `${file} registers elements, so it is listed in sideEffects`);
    assert.ok(
      TAGS.every((tag) => matches(`dist/define/${tag}.js`)) &&
        matches('dist/define.js') &&
        matches('dist/agentwire.bundle.js') &&
        matches('dist/cdn/agentwire.js'),
    );
    assert.ok(
      !matches('dist/index.js') &&
        !matches('dist/components.js') &&
        !matches('dist/chunks/agent-run.js') &&
        !matches('dist/cdn/chunks/connect.js'),
    );
  });

  it('imports every entry point in Node (ESM)', async () => {
    const { output } = await runOk(process.execPath, ['checks/node-import.mjs'], dir);
    const report = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Record<string, string>;
    const expected = Object.fromEntries([...Object.keys(NODE_ENTRIES), ...JSON_ENTRIES].map((e) => [e, 'ok']));
    assert.deepEqual(report, expected);
  });

  for (const config of Object.keys(tsconfigs)) {
    it(`type-checks every entry: ${config}`, async () => {
      const result = await tsc(join('checks', config));
      assert.equal(result.code, 0, result.output);
    });
  }

  it('loads the DOM entries in Chromium: each define module registers its own element, one class per tag; agentwire/markdown renders and registers none', async () => {
    await viteBuild(join(dir, 'checks/entries'), ['--base', './']);
    const { page, errors } = await newPage();
    try {
      await page.goto(`${site!.url}/checks/entries/dist/index.html`);
      const report = await page.waitForFunction(
        () => (window as unknown as { entriesReport?: unknown }).entriesReport,
        undefined,
        { timeout: 15_000 },
      );
      assert.deepEqual(await report.jsonValue(), {
        'agentwire/markdown': ['bold', 1, []],
        agentwire: [],
        'agentwire/components': [],
        'agentwire/define/token-stream': ['token-stream'],
        'agentwire/define/approval-prompt': ['token-stream', 'approval-prompt'],
        'every define/<tag>': [...TAGS],
        'agentwire/define': [...TAGS],
        'one class per tag': true,
        upgraded: true,
      });
      assert.deepEqual(errors, [], 'no errors in the page');
    } finally {
      await page.close();
    }
  });

  it('tree-shakes: the store alone from the main entry ships no element and no lit', async () => {
    await viteBuild(join(dir, 'checks/shake'), ['--base', './']);
    const assets = join(dir, 'checks/shake/dist/assets');
    const code = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(assets, f), 'utf8'))
      .join('\n');
    for (const marker of ['approval-prompt', 'token-stream', 'litElementVersions', 'reactiveElementVersions']) {
      assert.ok(!code.includes(marker), `no "${marker}" in the store-only build (${code.length} bytes)`);
    }
  });
});

describe('the server example, from the installed package', () => {
  /** Start `node server.js` in examples/server-node; resolves with its URL and a stop function. */
  async function startBackend(env: NodeJS.ProcessEnv): Promise<{ url: string; stop: () => Promise<void> }> {
    const child = spawn(process.execPath, ['server.js'], {
      cwd: join(dir, 'examples', 'server-node'),
      env: { ...process.env, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const found = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
        if (found) resolve(found);
      });
      child.once('exit', (code) => reject(new Error(`server.js exited with ${String(code)}: ${errors}`)));
    });
    return {
      url,
      stop: async () => {
        child.kill('SIGTERM');
        await exited;
      },
    };
  }

  /** The packed bin, as `npx agentwire-check-server` runs it. */
  const check = (url: string) =>
    run(
      process.execPath,
      [
        join(dir, 'node_modules/agentwire/bin/agentwire-check-server.js'),
        url,
        '--body',
        '{"prompt":"Say hello","approval":false}',
        '--ask-body',
        '{"prompt":"Ship it"}',
      ],
      dir,
    );

  it('server-node on the memory log passes agentwire-check-server (the packed bin)', async () => {
    const backend = await startBackend({});
    try {
      const result = await check(backend.url);
      assert.equal(result.code, 0, result.output);
      // Every check but the opt-in trimming one (the example keeps whole run logs: no --max-events).
      assert.match(result.output, /16 passed, 0 failed, 1 skipped/);
      assert.match(result.output, /– trimmed .*\n\s+not enabled: pass --max-events N/);
    } finally {
      await backend.stop();
    }
  });

  it('server-node with REDIS_URL passes it too', async () => {
    const redis = await startRedis();
    const backend = await startBackend({ REDIS_URL: redis.url });
    try {
      const result = await check(backend.url);
      assert.equal(result.code, 0, result.output);
    } finally {
      await backend.stop();
      await redis.stop();
    }
  });
});

describe('the examples, built from the installed package', () => {
  for (const name of EXAMPLES) {
    it(`${name}: type-checks${name === 'html' ? ' (nothing to check: no build step)' : ''} and builds`, async () => {
      const cwd = join(dir, 'examples', name);
      if (name === 'html') {
        // No build step: the page loads the bundle, copied from the installed package.
        cpSync(join(dir, 'node_modules/agentwire/dist/agentwire.bundle.js'), join(cwd, 'agentwire.bundle.js'));
        return;
      }
      // The example's own script, as a user runs it: tsc, vue-tsc or svelte-check from its node_modules.
      const checked = await run('npm', ['run', '--silent', 'typecheck'], cwd);
      assert.equal(
        checked.code,
        0,
        `npm run typecheck (${readPackage(cwd).scripts?.['typecheck']}) in examples/${name}:\n${checked.output}`,
      );
      const built = await viteBuild(cwd);
      assert.equal(built.output.trim(), '', 'Vite and the framework plugin warn about nothing');
      // React's development build runs StrictMode's second mount: useRun must survive it.
      if (name === 'react')
        await viteBuild(cwd, ['--mode', 'development', '--outDir', 'dist-dev'], { NODE_ENV: 'development' });
    });
  }

  for (const name of EXAMPLES) {
    it(`${name}: a conversation: typed and sent from the composer, streams, the approval round trip completes, a follow-up in the same thread, rich properties and events reach the framework`, async () => {
      await playConsole(name, name === 'html' ? 'examples/html/index.html' : `examples/${name}/dist/index.html`);
    });
  }
  it('html from an npm CDN path (dist/cdn: the split build, its markdown, protocol and form chunks fetched on first use): the same conversation', async () => {
    // The page as served from a CDN: the entry at the package's own path, its chunks next to it.
    const page = readFileSync(join(REPO, 'examples/html/index.html'), 'utf8');
    const cdn = page.replace(
      "import './agentwire.bundle.js';",
      "import '/node_modules/agentwire/dist/cdn/agentwire.js';",
    );
    assert.notEqual(cdn, page, 'the page imports the bundle');
    writeFileSync(join(dir, 'examples/html/cdn.html'), cdn);
    await playConsole('html', 'examples/html/cdn.html');
  });
  it('react, development build (StrictMode mounts twice): the same conversation', async () => {
    await playConsole('react', 'examples/react/dist-dev/index.html');
  });
});

/** A fresh page (one at a time: a hidden page draws no frames) and the errors it reports. */
async function newPage(): Promise<{ page: Page; errors: string[] }> {
  mock ??= await startMockServer({ port: 0 });
  site ??= await serveStatic(dir);
  browser ??= await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
  const page = await browser.newPage();
  await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  return { page, errors };
}

/** Text of an element's shadow part, in the page. */
const shadowText = (page: Page, selector: string, part: string, index = 0): Promise<string> =>
  page.evaluate(
    ([s, p, i]) =>
      document.querySelector(s)?.shadowRoot?.querySelectorAll(`[part~="${p}"]`)[Number(i)]?.textContent ?? '',
    [selector, part, String(index)] as const,
  );

/** What the examples' user types: the chat scenario asks before it deploys, then answers. */
const PROMPT = 'Please deploy the fix for the flaky upload';
/** The follow-up, in the same thread. */
const FOLLOW_UP = 'Thanks. How do I add a retry with backoff?';

/** Type a message into the composer and send it with Enter, as a keyboard user does. */
async function sendMessage(page: Page, text: string): Promise<void> {
  const input = page.locator('run-composer textarea');
  await input.focus();
  await input.fill(text);
  await page.keyboard.press('Enter');
}

async function playConsole(name: Example, path: string): Promise<void> {
  const { page, errors } = await newPage();
  try {
    await page.goto(`${site!.url}/${path}?backend=${encodeURIComponent(mock!.url)}`);
    // Renders: the page is drawn, every element upgraded, the conversation empty.
    await page.locator('#status', { hasText: 'no run' }).waitFor({ timeout: 10_000 });
    await page.waitForFunction(
      (tags) => tags.every((t) => customElements.get(t) && document.querySelector(t)?.shadowRoot),
      [...TAGS],
      { timeout: 10_000 },
    );

    // Sends: typed into the composer, Enter; the user's turn shows.
    await sendMessage(page, PROMPT);
    await page.locator('token-stream [part~="user-message"]', { hasText: PROMPT }).waitFor({ timeout: 10_000 });

    // Asks: the question with its choices; the framework's own state says "waiting"; the composer waits too.
    const yes = page.locator('approval-prompt [part~="choice"]', { hasText: /^\s*yes\s*$/ });
    await yes.waitFor({ timeout: 20_000 });
    assert.equal(await shadowText(page, 'approval-prompt', 'prompt'), 'Deploy this change to production?');
    await page.locator('#status', { hasText: 'waiting' }).waitFor({ timeout: 5_000 });
    assert.equal(await page.locator('run-composer textarea').getAttribute('aria-disabled'), 'true');

    // Rich properties: objects set as properties, never stringified into attributes.
    const props = await page.evaluate(() => {
      const el = document.querySelector('agent-run') as
        (HTMLElement & { run?: unknown; body?: { scenario?: unknown }; handle?: { runId?: unknown } }) | null;
      return {
        run: typeof el?.run,
        body: el?.body?.scenario,
        bodyAttribute: el?.getAttribute('body') ?? null,
        handleRunId: typeof el?.handle?.runId,
        threadId: /^\S+$/.test(el?.getAttribute('thread-id') ?? ''),
      };
    });
    assert.deepEqual(props, {
      run: 'undefined',
      body: 'chat',
      bodyAttribute: null,
      handleRunId: 'string',
      threadId: true,
    });

    // The approval round trip: "yes" is accepted, then the answer streams while <token-stream> reflects `streaming`.
    await yes.click();
    const answer = (page: Page) => shadowText(page, 'token-stream', 'message');
    await page.waitForFunction(
      () => {
        const stream = document.querySelector('token-stream');
        return (
          stream?.hasAttribute('streaming') &&
          (stream.shadowRoot?.querySelector('[part~="message"]')?.textContent ?? '').length > 0
        );
      },
      undefined,
      { timeout: 15_000 },
    );
    const early = (await answer(page)).length;
    await page.waitForFunction(
      (n) =>
        (document.querySelector('token-stream')?.shadowRoot?.querySelector('[part~="message"]')?.textContent ?? '')
          .length > n,
      early,
      { timeout: 10_000 },
    );
    await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 30_000 });
    assert.match(await answer(page), /^Deployed 1\.\d+\.\d+ to production\./);
    await page.locator('#events li', { hasText: 'message-complete m1' }).waitFor({ timeout: 5_000 });

    // A follow-up goes to the same thread; the first exchange stays above it.
    await sendMessage(page, FOLLOW_UP);
    await page.locator('token-stream [part~="user-message"]', { hasText: FOLLOW_UP }).waitFor({ timeout: 10_000 });
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('#events li')].filter((li) => li.textContent.startsWith('message-complete'))
          .length >= 2,
      undefined,
      { timeout: 30_000 },
    );
    await page.locator('#status', { hasText: 'done' }).waitFor({ timeout: 5_000 });
    const events = await page.locator('#events li').allTextContents();
    assert.deepEqual(
      events.map((e) => e.split(':')[0]),
      ['run-start', 'approval-settle', 'message-complete m1', 'run-start', 'message-complete m1'],
      `the framework received the elements' events in order: ${events.join(' | ')}`,
    );
    const threads = events.filter((e) => e.startsWith('run-start')).map((e) => e.split('thread ')[1]);
    assert.equal(threads[0], threads[1], 'both runs are in one thread');
    assert.equal(await page.locator('token-stream [part~="history"] [part~="user-message"]').count(), 1);
    assert.equal(await page.getAttribute('run-progress', 'state'), 'done');
    assert.equal(await page.getAttribute('approval-prompt', 'phase'), 'closed');
    assert.deepEqual(errors, [], 'no errors in the page');
  } catch (err) {
    await page.screenshot({ path: join(dir, `${path.replaceAll('/', '_')}-failure.png`) }).catch(() => undefined);
    throw err;
  } finally {
    await page.close();
  }
}
