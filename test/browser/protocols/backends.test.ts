/**
 * The same elements on backends that speak AG-UI, the AI SDK UI message stream and OpenAI
 * Responses, played by the mock server with each protocol's own packages: text, reasoning, tool
 * calls with streamed arguments and results, steps, usage, an approval answered and one denied
 * through the protocol's own mechanism, a mid-stream cut (resumed where the protocol allows, a
 * visible "cannot resume" where it does not), and bad input.
 */
import { ignoreResizeObserverLoopErrors } from '../components/setup.ts';
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/components/define.ts';
import type { AgentRun } from '../../../src/components/agent-run/agent-run.ts';
import type { ApprovalPrompt } from '../../../src/components/approval-prompt/approval-prompt.ts';
import { startRun } from '../../../src/run/index.ts';
import type { RunHandle } from '../../../src/run/types.ts';
import type { ProtocolName } from '../../../src/protocols/types.ts';
import { messageTexts, type RunStoreState } from '../../../src/store/index.ts';
import { mockServerUrl } from '../helpers/mock-server.ts';
import { frame, part, parts, storeUntil } from '../components/helpers.ts';

type Backend = Exclude<ProtocolName, 'agentwire' | 'plain'>;

/** How each backend is started: its base URL, its start body (its scenario where the protocol carries one). */
async function start(backend: Backend, scenario = 'agent', cut?: number): Promise<RunHandle> {
  const url = await mockServerUrl();
  // The body ends early (before the protocol's end): a browser reads every frame written before
  // the cut, which `cut_after` (broken off) does not promise.
  const query = cut === undefined ? '' : `?end_after=${cut}`;
  const retry = { initialDelayMs: 20, maxDelayMs: 200 };
  switch (backend) {
    case 'ag-ui':
      return startRun({
        protocol: 'ag-ui',
        baseUrl: `${url}/protocols/ag-ui/agent${query}`,
        body: { messages: [{ id: 'u1', role: 'user', content: 'Deploy it' }], forwardedProps: { scenario } },
        retry,
      });
    case 'ai-sdk':
      return startRun({
        protocol: 'ai-sdk',
        baseUrl: `${url}/protocols/ai-sdk`,
        paths: { runs: `/api/chat${query}` },
        body: { scenario, messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Deploy it' }] }] },
        retry,
      });
    case 'openai-responses':
      return startRun({
        protocol: 'openai-responses',
        baseUrl: `${url}/protocols/openai`,
        paths: { runs: `/v1/responses${query}` },
        body: { model: 'gpt-mock', input: 'Deploy it', background: true, metadata: { scenario } },
        retry,
      });
  }
}

async function consoleOf(run: RunHandle) {
  const page = await fixture<HTMLDivElement>(
    html`<div>
      <agent-run .run=${run} style="--aw-log-height: 40rem; --aw-stream-max-height: 20rem">
        <run-progress></run-progress><token-stream></token-stream><approval-prompt></approval-prompt
        ><agent-log></agent-log>
      </agent-run>
    </div>`,
  );
  return {
    page,
    store: run.store,
    stream: page.querySelector('token-stream')!,
    prompt: page.querySelector<ApprovalPrompt>('approval-prompt')!,
    log: page.querySelector('agent-log')!,
    progress: page.querySelector('run-progress')!,
  };
}
type Ui = Awaited<ReturnType<typeof consoleOf>>;

async function settle(ui: Ui): Promise<void> {
  await Promise.all([ui.progress.updateComplete, ui.prompt.updateComplete, ui.log.updateComplete]);
  await frame();
  await frame();
}

/** The tool rows a console shows (its log scrolled into view first: the log renders only the rows on screen). */
async function toolRows(ui: Ui): Promise<number> {
  ui.log.scrollIntoView();
  await settle(ui);
  return parts(ui.log, 'tool').length;
}

const rowTexts = (ui: Ui, kind: string): string[] =>
  parts(ui.log, kind).map((r) => r.textContent.replace(/\s+/g, ' ').trim());
const shownText = (ui: Ui): string =>
  parts(ui.stream, 'message')
    .map((m) => m.textContent)
    .join('|');
const texts = (state: RunStoreState): string =>
  messageTexts(state.text)
    .map(([, t]) => t)
    .join('|');

/** What each backend's `agent` scenario says, before and after the approval. */
const EXPECTED: Record<Backend, { before: RegExp; approved: RegExp; denied: RegExp; tools: string[] }> = {
  'ag-ui': {
    before: /Checking the build first\. It is on main\. Build #412 passed\./,
    approved: /Deployed build #412 to production\./,
    denied: /Understood: nothing was deployed\./,
    tools: ['check_build', 'deploy'],
  },
  'ai-sdk': {
    before: /Checking the build first\.\|Build #412 passed\./,
    approved: /Deployed build #412 to production\./,
    denied: /Understood: nothing was deployed\./,
    tools: ['check_build', 'deploy'],
  },
  'openai-responses': {
    before: /Build #412 passed\. Deploying needs your approval\./,
    approved: /Deployed build #412 to production\./,
    denied: /Understood: nothing was deployed\./,
    tools: ['check_build'],
  },
};

const answer = async (ui: Ui, choice: 'Approve' | 'Deny'): Promise<void> => {
  await storeUntil(ui.store.$pendingInput, (p) => p !== null);
  await settle(ui);
  // An approval has its own approve / deny buttons (issue 14); a plain question offers choices.
  const own = parts<HTMLButtonElement>(ui.prompt, choice === 'Approve' ? 'approve' : 'deny')[0];
  const button = own ?? parts<HTMLButtonElement>(ui.prompt, 'choice').find((b) => b.textContent.trim() === choice);
  if (!button) throw new Error(`no ${choice} button in <approval-prompt>`);
  button.click();
};

describe('backends that speak other protocols, shown by the same elements', () => {
  let restore: () => void;
  beforeEach(() => (restore = ignoreResizeObserverLoopErrors()));
  afterEach(() => restore());

  for (const backend of ['ag-ui', 'ai-sdk', 'openai-responses'] as const) {
    describe(backend, () => {
      it('text, reasoning, tool calls with streamed arguments and results, steps, usage; the approval approved', async () => {
        const run = await start(backend);
        const ui = await consoleOf(run);
        await storeUntil(ui.store.$pendingInput, (p) => p !== null);
        await settle(ui);
        const state = ui.store.$state.get();
        expect(shownText(ui)).to.match(EXPECTED[backend].before);
        expect(
          messageTexts(state.reasoning)
            .map(([, t]) => t)
            .join(''),
        ).to.equal('The user wants a deploy. Check the build first.');
        const tools = parts(ui.log, 'tool').map((r) => r.querySelector('[part~="tool-name"]')!.textContent);
        for (const name of EXPECTED[backend].tools) expect(tools).to.include(name);
        // The arguments streamed in pieces, then the complete call, then its result.
        const checks = state.log
          .toArray()
          .flatMap((e) =>
            e.kind === 'event' && e.event.type === 'tool_call' && e.event.name === 'check_build' ? [e.event] : [],
          );
        expect(checks.at(-1)?.args).to.deep.equal({ branch: 'main' });
        const results = parts(ui.log, 'tool-result').map((r) => r.textContent);
        expect(results.some((t) => t.includes('passed'))).to.equal(true);
        expect(state.usage?.total_tokens).to.be.greaterThan(0);
        if (backend !== 'openai-responses') expect(parts(ui.log, 'step').length).to.be.greaterThan(0);
        expect(part(ui.prompt, 'prompt').textContent).to.match(/deploy/i);
        expect(ui.progress.getAttribute('state')).to.equal('waiting');
        await Promise.all(ui.prompt.shadowRoot!.getAnimations().map((a) => a.finished));
        await expect(ui.page).to.be.accessible();

        await answer(ui, 'Approve');
        await storeUntil(ui.store.$status, (s) => s === 'done');
        await settle(ui);
        expect(shownText(ui)).to.match(EXPECTED[backend].approved);
        expect(ui.prompt.phase).to.equal('closed');
        // The answer shows in its request's row (issue 14), once.
        expect(parts(ui.log, 'answer').length).to.equal(1);
        expect(ui.progress.getAttribute('state')).to.equal('done');
      });

      it('the approval denied: the tool does not run and the run ends', async () => {
        const run = await start(backend);
        const ui = await consoleOf(run);
        await answer(ui, 'Deny');
        await storeUntil(ui.store.$status, (s) => s === 'done');
        await settle(ui);
        expect(shownText(ui)).to.match(EXPECTED[backend].denied);
        expect(shownText(ui)).not.to.match(EXPECTED[backend].approved);
      });

      it('bad input: unknown events kept and shown raw, malformed and out-of-order frames as error rows; the stream goes on', async () => {
        const run = await start(backend, 'bad');
        const ui = await consoleOf(run);
        await storeUntil(ui.store.$status, (s) => s === 'done');
        await settle(ui);
        expect(parts(ui.log, 'unknown').length).to.be.greaterThan(0);
        const errors = rowTexts(ui, 'error').join('\n');
        expect(errors).to.match(/malformed JSON/);
        expect(errors).to.match(/never (started|added)/);
        expect(shownText(ui)).to.match(/Still here/);
      });
    });
  }

  it('AI SDK: a cut stream resumes with GET {api}/{id}/stream; nothing is lost or shown twice', async () => {
    const uncut = await start('ai-sdk');
    const reference = await consoleOf(uncut);
    await storeUntil(reference.store.$pendingInput, (p) => p !== null);
    await storeUntil(reference.store.$state, (s) => s.usage !== null);
    const run = await start('ai-sdk', 'agent', 9);
    const ui = await consoleOf(run);
    await storeUntil(ui.store.$pendingInput, (p) => p !== null);
    await storeUntil(ui.store.$state, (s) => s.usage !== null);
    await settle(ui);
    expect(texts(ui.store.$state.get())).to.equal(texts(reference.store.$state.get()));
    expect(await toolRows(ui)).to.equal(await toolRows(reference));
    expect(rowTexts(ui, 'error')).to.deep.equal([]);
    await answer(ui, 'Approve');
    await storeUntil(ui.store.$status, (s) => s === 'done');
  });

  it('OpenAI Responses: a cut background response resumes after its last sequence_number', async () => {
    const uncut = await start('openai-responses');
    const reference = await consoleOf(uncut);
    await storeUntil(reference.store.$pendingInput, (p) => p !== null);
    await storeUntil(reference.store.$state, (s) => s.usage !== null);
    const run = await start('openai-responses', 'agent', 12);
    const ui = await consoleOf(run);
    await storeUntil(ui.store.$pendingInput, (p) => p !== null);
    await storeUntil(ui.store.$state, (s) => s.usage !== null);
    await settle(ui);
    expect(texts(ui.store.$state.get())).to.equal(texts(reference.store.$state.get()));
    expect(messageTexts(ui.store.$state.get().reasoning)).to.deep.equal(
      messageTexts(reference.store.$state.get().reasoning),
    );
    await answer(ui, 'Approve');
    await storeUntil(ui.store.$status, (s) => s === 'done');
  });

  it('AG-UI: a cut stream cannot be resumed, and the log and the progress say so', async () => {
    const run = await start('ag-ui', 'agent', 12);
    const ui = await consoleOf(run);
    await storeUntil(ui.store.$connection, (c) => c.status === 'failed');
    await settle(ui);
    expect(ui.store.$connection.get().error?.code).to.equal('cannot_resume');
    expect(rowTexts(ui, 'error').join('\n')).to.match(/AG-UI cannot resume a run/);
    expect(shownText(ui).length).to.be.greaterThan(0, 'what arrived before the cut stays shown');
  });

  it('<agent-run protocol> attaches by run id: an OpenAI background response streamed again from the start', async () => {
    const url = await mockServerUrl();
    const created = await fetch(`${url}/protocols/openai/v1/responses`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-mock', input: 'Deploy it', background: true, stream: true }),
    });
    const first = (await created.text()).split('\n\n')[0]!;
    const id = (JSON.parse(first.slice(first.indexOf('data: ') + 6)) as { response: { id: string } }).response.id;
    const page = await fixture<AgentRun>(
      html`<agent-run protocol="openai-responses" base-url=${`${url}/protocols/openai`} run-id=${id}
        ><token-stream></token-stream><approval-prompt></approval-prompt
      ></agent-run>`,
    );
    const store = page.handle!.store;
    await storeUntil(store.$pendingInput, (p) => p !== null);
    expect(page.handle!.protocol).to.equal('openai-responses');
    expect(texts(store.$state.get())).to.match(EXPECTED['openai-responses'].before);
  });

  it('<agent-run protocol> with an unknown name fails visibly, naming the known ones', async () => {
    const page = await fixture<AgentRun>(
      html`<agent-run protocol=${'smoke-signals'} base-url="http://127.0.0.1:9" run-id="r1"
        ><token-stream></token-stream
      ></agent-run>`,
    );
    const store = page.handle!.store;
    const connection = await storeUntil(store.$connection, (c) => c.status === 'failed');
    expect(connection.error?.message).to.match(
      /unknown protocol "smoke-signals"; expected one of agentwire, plain, ag-ui/,
    );
  });
});
