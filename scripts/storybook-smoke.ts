/**
 * `npm run test:storybook`: every story of the static Storybook build (`npm run build-storybook`)
 * in headless Chromium, served with the mock server as `npm run preview` does.
 *
 * 1. The walkthrough of issue 5's "done when": the agent console asks for approval, every
 *    connection is cut while it streams, the answer is given, and the text shown equals the
 *    server's (no token lost or doubled).
 * 2. Each story (live ones at `speed: 0`, through Storybook's `args` URL parameter): it waits
 *    until every live run settled (ended, or waiting for an answer; see LONG_RUN_EVENTS for the
 *    100,000-token runs), compares the text shown with the server's snapshot, runs axe, and fails
 *    on page errors and console errors. Stories tagged
 *    `network-errors` (deliberate faults) may show the browser's own network messages
 *    ("Failed to load resource: … 503"), nothing else.
 *    Stories on a backend that speaks another protocol (`<story-run protocol="ag-ui|ai-sdk|
 *    openai-responses">`, the Backends page) are compared with what the mock's protocol route
 *    says for the scenario (its transcript) instead of a snapshot; their `agent` run must wait for
 *    approval, axe runs on the open prompt, "Approve" is clicked, the run must end `done`, and the
 *    text shown is compared again (the answer's message included).
 * 3. Each docs page renders without page or console errors and starts its live runs.
 * 4. Without a backend (the build on a plain static server), a live story says so plainly, and
 *    the store-fed story still works.
 *
 * `SMOKE_ONLY=faults` checks only the entries whose id contains "faults"; `SMOKE_VERBOSE=1`
 * prints what each check against the server found.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview } from 'vite';
import { startPreview } from './preview.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

interface IndexEntry {
  id: string;
  title: string;
  name: string;
  type: 'story' | 'docs';
  tags?: string[];
}

interface Result {
  id: string;
  problems: string[];
  /** Browser network messages allowed by the `network-errors` tag. */
  expected: number;
  ms: number;
  note?: string;
}

/** Longest a story may take to render and settle its live runs (a `long` run streams 100,000 tokens). */
const SETTLE_TIMEOUT_MS = 120_000;
/** Stories checked at once (the machine has two cores, shared with the mock server). */
const CONCURRENCY = 3;
/** Console errors the browser itself logs for refused or cut connections. */
const NETWORK_MESSAGE = /^Failed to load resource|^WebSocket connection to .* failed|net::ERR_/;
/** The story of the walkthrough. */
const WALKTHROUGH_STORY = 'console--agent-console';
/**
 * Stories tagged `long-run` stream 100,000 tokens (~20 s each at speed 0 on two busy cores): they
 * are checked once this many events arrived (the text shown must be the start of the server's),
 * except this one, which is followed to the end.
 */
const LONG_RUN_EVENTS = 1_000;
const LONG_RUN_TO_THE_END = 'elements-token-stream--long';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** What the page exposes of `<story-run>` (stories/support/story-run.ts) to this script. */
interface Harness extends HTMLElement {
  protocol: string;
  handle: {
    runId: string;
    store: {
      $state: { get(): { status: string; connection: { status: string }; lastSeq: number; text: { length: number } } };
    };
  } | null;
  check(): Promise<{ ok: boolean; text: string }>;
}

/** Opens a page that records page errors and console errors. */
async function open(
  browser: Browser,
  allowNetwork: boolean,
): Promise<{ page: Page; problems: string[]; expected: () => number }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  let expected = 0;
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (allowNetwork && NETWORK_MESSAGE.test(message.text())) expected++;
    else problems.push(`console error: ${message.text()}`);
  });
  return { page, problems, expected: () => expected };
}

/**
 * Runs in the page: the story rendered, every harness settled (or streamed `partial` events),
 * every run fed otherwise too. No named inner functions: tsx would wrap them in a `__name`
 * helper that does not exist in the page.
 */
function settled(partial: number): boolean {
  const root = document.querySelector('#storybook-root');
  if (!root || root.childElementCount === 0) return false;
  const harnesses = [...document.querySelectorAll<Harness>('story-run')];
  const ready = harnesses.every(
    (h) =>
      ['settled', 'error'].includes(h.getAttribute('phase') ?? '') ||
      (partial > 0 && h.getAttribute('phase') === 'live' && (h.handle?.store.$state.get().lastSeq ?? 0) >= partial),
  );
  if (!ready) return false;
  const others = [
    ...document.querySelectorAll<Element & { handle?: { $state: { get(): { status: string } } } }>('agent-run'),
  ].filter((run) => run.closest('story-run') === null);
  // An <agent-run> with no run yet (an empty conversation waiting for its first message) is settled.
  return others.every(
    (run) =>
      run.handle === undefined || ['done', 'failed', 'cancelled', 'waiting'].includes(run.handle.$state.get().status),
  );
}

/**
 * axe on the story root, once entrance animations (a prompt fading in) have finished; the a11y
 * addon runs axe after each render too, and only one run at a time is possible.
 */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    // document.getAnimations() leaves out shadow trees: collect theirs too.
    const animations = document.getAnimations();
    const roots: ParentNode[] = [document];
    for (let root = roots.pop(); root; root = roots.pop()) {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) {
          animations.push(...el.shadowRoot.getAnimations());
          roots.push(el.shadowRoot);
        }
      }
    }
    const finite = animations.filter((a) => a.effect?.getTiming().iterations !== Infinity);
    await Promise.all(finite.map((a) => a.finished.catch(() => undefined)));
    const axe = (
      window as unknown as {
        axe: { run(ctx: string): Promise<{ violations: { id: string; help: string; nodes: unknown[] }[] }> };
      }
    ).axe;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await axe.run('#storybook-root');
        return result.violations.map(
          (v) => `${v.id}: ${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'})`,
        );
      } catch (error) {
        if (attempt > 40 || !String(error).includes('already running')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  });
}

/**
 * Backend stories: answer each run's approval with "Approve" (through the protocol's own
 * mechanism), wait for the run to end `done`, and compare the text shown with the route's
 * transcript again.
 */
async function approveBackends(page: Page, protocols: string[]): Promise<{ problems: string[]; notes: string[] }> {
  const problems: string[] = [];
  const notes: string[] = [];
  for (const protocol of protocols) {
    const harness = `story-run[protocol="${protocol}"]`;
    await page.locator(`${harness} approval-prompt`).getByRole('button', { name: 'Approve', exact: true }).click();
    try {
      await page.waitForFunction(
        (selector) =>
          ['done', 'failed', 'cancelled'].includes(
            document.querySelector<Harness>(selector)?.handle?.store.$state.get().status ?? '',
          ),
        harness,
        { timeout: SETTLE_TIMEOUT_MS, polling: 100 },
      );
    } catch {
      problems.push(`${protocol}: the run did not end after "Approve"`);
      continue;
    }
    const after = await page.evaluate(async (selector) => {
      const h = document.querySelector<Harness>(selector)!;
      return { status: h.handle?.store.$state.get().status ?? '', check: await h.check() };
    }, harness);
    if (after.status !== 'done') problems.push(`${protocol}: after "Approve" the run is ${after.status}, not done`);
    if (!after.check.ok) problems.push(`${protocol} after "Approve": ${after.check.text}`);
    notes.push(`${protocol} approved: ${after.check.text}`);
  }
  return { problems, notes };
}

async function checkStory(browser: Browser, base: string, entry: IndexEntry): Promise<Result> {
  const started = Date.now();
  const { page, problems, expected } = await open(browser, entry.tags?.includes('network-errors') ?? false);
  let note: string | undefined;
  try {
    await page.goto(`${base}/iframe.html?id=${encodeURIComponent(entry.id)}&viewMode=story&args=speed:0`, {
      waitUntil: 'load',
    });
    const partial = entry.tags?.includes('long-run') && entry.id !== LONG_RUN_TO_THE_END ? LONG_RUN_EVENTS : 0;
    await page.waitForFunction(settled, partial, { timeout: SETTLE_TIMEOUT_MS, polling: 100 });
    const harnesses = await page.evaluate(async () => {
      const out: {
        elsewhere: boolean;
        protocol: string;
        status: string;
        phase: string;
        alert: string;
        check: { ok: boolean; text: string } | null;
      }[] = [];
      for (const harness of document.querySelectorAll<Harness>('story-run')) {
        const phase = harness.getAttribute('phase') ?? '';
        const alert = harness.shadowRoot?.querySelector('[role="alert"]')?.textContent.trim() ?? '';
        const canCheck = (phase === 'settled' || phase === 'live') && !harness.hasAttribute('no-check');
        out.push({
          elsewhere: harness.hasAttribute('base-url'),
          protocol: harness.protocol,
          status: harness.handle?.store.$state.get().status ?? '',
          phase,
          alert,
          check: canCheck ? await harness.check() : null,
        });
      }
      return out;
    });
    for (const h of harnesses) {
      if (h.elsewhere) {
        // Pointed at a backend that does not exist: it must say so.
        if (h.phase !== 'error' || !h.alert.startsWith('No run could be started'))
          problems.push(`an unreachable backend was not reported (phase ${h.phase})`);
      } else if (h.phase === 'error') problems.push(`the live run failed: ${h.alert}`);
      if (h.check && !h.check.ok) problems.push(h.check.text);
      if (h.check) note = h.check.text.replace(/ Along the way.*$/, '');
    }
    const backends = harnesses.filter((h) => h.protocol !== 'agentwire' && !h.elsewhere);
    for (const h of backends)
      if (h.status !== 'waiting')
        problems.push(`${h.protocol}: expected the run to wait for approval, it is ${h.status}`);
    if (backends.length > 0 && problems.length === 0) {
      for (const v of await axeViolations(page)) problems.push(`axe while asking: ${v}`);
      const approved = await approveBackends(
        page,
        backends.map((h) => h.protocol),
      );
      problems.push(...approved.problems);
      note = approved.notes.join('; ');
    }
    const violations = await axeViolations(page);
    for (const v of violations) problems.push(`axe ${v}`);
  } catch (error) {
    problems.push(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  } finally {
    await page.close();
  }
  return {
    id: entry.id,
    problems,
    expected: expected(),
    ms: Date.now() - started,
    ...(note !== undefined && { note }),
  };
}

/** A docs page: every story on it renders and starts its run (at visitor pace, so nothing waits for the end). */
async function checkDocs(browser: Browser, base: string, entry: IndexEntry): Promise<Result> {
  const started = Date.now();
  // A docs page shows every story of its file, deliberate faults included.
  const { page, problems, expected } = await open(browser, true);
  try {
    await page.goto(`${base}/iframe.html?id=${encodeURIComponent(entry.id)}&viewMode=docs`, { waitUntil: 'load' });
    await page.waitForFunction(
      () => {
        const docs = document.querySelector('#storybook-docs');
        if (!docs || docs.childElementCount === 0 || !docs.querySelector('.sbdocs-title')) return false;
        return [...document.querySelectorAll('story-run')].every((h) => h.getAttribute('phase') !== 'starting');
      },
      null,
      { timeout: SETTLE_TIMEOUT_MS, polling: 100 },
    );
    // Let the runs play a little: errors while streaming count too.
    await page.waitForTimeout(1500);
    const failed = await page.evaluate(() =>
      [...document.querySelectorAll('story-run')]
        .filter((h) => h.getAttribute('phase') === 'error' && !h.hasAttribute('base-url'))
        .map((h) => h.shadowRoot?.querySelector('[role="alert"]')?.textContent.trim() ?? ''),
    );
    for (const text of failed) problems.push(`a live run failed: ${text}`);
  } catch (error) {
    problems.push(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  } finally {
    await page.close();
  }
  return { id: entry.id, problems, expected: expected(), ms: Date.now() - started };
}

/**
 * Issue 5's "done when", automated: the agent console asks for approval; every connection of the
 * mock server is cut while it streams; the kit resumes; "yes" is answered; the run deploys; the
 * text shown equals the server's.
 */
async function walkthrough(browser: Browser, base: string): Promise<Result> {
  const started = Date.now();
  // Dropping connections makes the browser log the cut stream: allowed here.
  const { page, problems, expected } = await open(browser, true);
  const steps: string[] = [];
  try {
    await page.goto(`${base}/iframe.html?id=${WALKTHROUGH_STORY}&viewMode=story&args=speed:2`, { waitUntil: 'load' });
    const harness = page.locator('story-run');
    // Tokens are streaming: cut every connection.
    await page.waitForFunction(
      () => (document.querySelector<Harness>('story-run')?.handle?.store.$state.get().text.length ?? 0) > 0,
      null,
      {
        timeout: SETTLE_TIMEOUT_MS,
        polling: 20,
      },
    );
    for (const v of await axeViolations(page)) problems.push(`axe while streaming: ${v}`);
    await harness.getByRole('button', { name: 'Drop connections' }).click();
    await page.waitForFunction(() =>
      /^Cut [1-9]/.test(
        document.querySelector('story-run')?.shadowRoot?.querySelector('[role="status"]')?.textContent ?? '',
      ),
    );
    steps.push((await page.locator('story-run .note').textContent())?.replace(/;.*$/, '') ?? '');
    // Resumed, and asking.
    await page.waitForFunction(() => document.querySelector('story-run')?.getAttribute('phase') === 'settled', null, {
      timeout: SETTLE_TIMEOUT_MS,
    });
    const asked = await page.evaluate(
      () => document.querySelector<Harness>('story-run')?.handle?.store.$state.get().status,
    );
    if (asked !== 'waiting') throw new Error(`expected the run to wait for approval, it is ${asked}`);
    steps.push(`asked "${(await page.locator('approval-prompt [part~="prompt"]').textContent()) ?? ''}"`);
    for (const v of await axeViolations(page)) problems.push(`axe while asking: ${v}`);
    await page.locator('approval-prompt').getByRole('button', { name: 'yes', exact: true }).click();
    steps.push('answered yes');
    await page.waitForFunction(
      () => document.querySelector<Harness>('story-run')?.handle?.store.$state.get().status === 'done',
      null,
      { timeout: SETTLE_TIMEOUT_MS },
    );
    steps.push('deployed (done)');
    const check = await page.evaluate(() => document.querySelector<Harness>('story-run')!.check());
    if (!check.ok) problems.push(check.text);
    steps.push(check.text.replace(/ Along the way.*$/, ''));
    const deployed = await page.locator('token-stream [part~="message"]').allTextContents();
    if (deployed.length !== 2 || !deployed[1]!.startsWith('Deployed version'))
      problems.push(`expected two messages, the second "Deployed version …", got ${JSON.stringify(deployed)}`);
  } catch (error) {
    problems.push(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  } finally {
    await page.close();
  }
  return {
    id: `walkthrough (${WALKTHROUGH_STORY})`,
    problems,
    expected: expected(),
    ms: Date.now() - started,
    note: steps.join('; '),
  };
}

/** The static build on a plain static server, no mock: live stories say so; the store-fed story works. */
async function withoutBackend(browser: Browser): Promise<Result[]> {
  const server = await preview({
    configFile: false,
    logLevel: 'silent',
    build: { outDir: 'storybook-static' },
    preview: { host: '127.0.0.1', port: 0 },
  });
  const base = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
  const results: Result[] = [];
  try {
    const started = Date.now();
    const { page, problems, expected } = await open(browser, true);
    let note: string | undefined;
    try {
      await page.goto(`${base}/iframe.html?id=${WALKTHROUGH_STORY}&viewMode=story`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.querySelector('story-run')?.getAttribute('phase') === 'error', null, {
        timeout: 10_000,
      });
      const alert = page.locator('story-run .error');
      note = (await alert.textContent())?.trim();
      if (!(await alert.isVisible()) || !note?.startsWith('No run could be started'))
        problems.push(`no plain message: ${note ?? ''}`);
    } catch (error) {
      problems.push(error instanceof Error ? error.message.split('\n')[0]! : String(error));
    } finally {
      await page.close();
    }
    results.push({
      id: 'no backend: live story says so',
      problems,
      expected: expected(),
      ms: Date.now() - started,
      ...(note !== undefined && { note: note.slice(0, 120) + '…' }),
    });
    const store = await checkStory(browser, base, {
      id: 'servers--from-a-store',
      title: 'Servers',
      name: 'From a store',
      type: 'story',
    });
    results.push({ ...store, id: 'no backend: servers--from-a-store works' });
  } finally {
    await server.close();
  }
  return results;
}

function report(result: Result): void {
  const allowed =
    result.expected > 0 ? `, ${result.expected} expected network message${result.expected === 1 ? '' : 's'}` : '';
  console.log(`${result.problems.length === 0 ? 'ok  ' : 'FAIL'} ${result.id} (${result.ms} ms${allowed})`);
  if (result.note && process.env['SMOKE_VERBOSE']) console.log(`       ${result.note}`);
  for (const p of result.problems) console.log(`       ${p}`);
}

async function main(): Promise<void> {
  if (!existsSync('storybook-static/index.json')) {
    console.error('storybook-static/ is missing: run `npm run build-storybook` first');
    process.exit(1);
  }
  const started = Date.now();
  const index = JSON.parse(readFileSync('storybook-static/index.json', 'utf8')) as {
    entries: Record<string, IndexEntry>;
  };
  // SMOKE_ONLY=<text>: only the entries whose id contains it (the walkthrough always runs).
  const only = process.env['SMOKE_ONLY'];
  const entries = Object.values(index.entries).filter((e) => only === undefined || e.id.includes(only));
  // The slowest (100,000 tokens to the end) first, so it overlaps with the rest.
  const stories = entries
    .filter((e) => e.type === 'story')
    .sort((a, b) => Number(b.id === LONG_RUN_TO_THE_END) - Number(a.id === LONG_RUN_TO_THE_END));
  const docs = entries.filter((e) => e.type === 'docs');
  const server = await startPreview(0);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
  const results: Result[] = [];
  try {
    // Alone: it cuts every connection of the mock server.
    const first = await walkthrough(browser, server.url);
    results.push(first);
    report(first);
    if (first.note) console.log(`       ${first.note}`);
    const queue: (() => Promise<Result>)[] = [
      ...stories.map((entry) => () => checkStory(browser, server.url, entry)),
      ...docs.map((entry) => () => checkDocs(browser, server.url, entry)),
    ];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) {
          const result = await job();
          results.push(result);
          report(result);
        }
      }),
    );
    for (const result of await withoutBackend(browser)) {
      results.push(result);
      report(result);
      if (result.note) console.log(`       ${result.note}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const failed = results.filter((r) => r.problems.length > 0);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `\nstorybook smoke: ${results.length - failed.length} passed, ${failed.length} failed ` +
      `(${stories.length} stories, ${docs.length} docs pages, the walkthrough and 2 checks without a backend) in ${seconds} s`,
  );
  // Repeated at the end so a failure is found without scrolling through 96 lines of progress.
  for (const result of failed) console.log(`FAIL ${result.id}: ${result.problems.join(' | ')}`);
  process.exit(failed.length === 0 && stories.length > 0 ? 0 : 1);
}

await main();
