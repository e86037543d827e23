/** A conversation page for the composer tests: `<agent-run>` on the mock server with a stream, a prompt and a composer. */
import { fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/components/define.ts';
import type { AgentRun } from '../../../src/components/agent-run/agent-run.ts';
import type { RunComposer } from '../../../src/components/run-composer/run-composer.ts';
import type { TokenStream } from '../../../src/components/token-stream/token-stream.ts';
import { decodeThread, type CreateRunRequest, type ThreadSnapshot } from '../../../src/protocol/index.ts';
import type { RunHandle } from '../../../src/run/types.ts';
import { mockServerUrl } from '../helpers/mock-server.ts';
import { nextEvent, part, parts, storeUntil } from './helpers.ts';

let threads = 0;
/** A thread id no other test uses. */
export const freshThread = (): string => `th_browser_${Date.now().toString(36)}_${++threads}`;

/** The elements of a chat page. */
export interface Page {
  agent: AgentRun;
  composer: RunComposer;
  stream: TokenStream;
  input: HTMLTextAreaElement;
}

/** A conversation page (chat scenario at full speed unless `body` says otherwise). */
export async function chatPage(options: { threadId?: string; body?: Record<string, unknown> } = {}): Promise<Page> {
  const page = await fixture<HTMLDivElement>(
    html`<div>
      <agent-run
        base-url=${await mockServerUrl()}
        thread-id=${options.threadId ?? ''}
        .body=${options.body ?? { scenario: 'chat', speed: 0 }}
        style="--aw-stream-max-height: 12rem"
      >
        <token-stream format="markdown"></token-stream>
        <approval-prompt></approval-prompt>
        <run-composer></run-composer>
      </agent-run>
    </div>`,
  );
  const agent = page.querySelector('agent-run')!;
  const composer = page.querySelector('run-composer')!;
  await composer.updateComplete;
  // The stream's markdown path is a chunk it starts loading when it first renders: wait for that
  // module here (the same one), so a test's first frames never race its download.
  await page.querySelector('token-stream')!.updateComplete;
  await import('../../../src/components/token-stream/markdown-message-view.ts');
  const input = part(composer, 'input', HTMLTextAreaElement);
  return { agent, composer, stream: page.querySelector('token-stream')!, input };
}

/** Type `text` into the focused composer and press Enter (keyboard only). */
export async function typeAndSend(p: Page, text: string): Promise<RunHandle> {
  p.input.focus();
  const started = nextEvent(p.agent, 'run-start');
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
  return (await started).run;
}

/** Resolves when the run has ended. */
export function ended(run: RunHandle): Promise<unknown> {
  return storeUntil(run.store.$status, (s) => s === 'done' || s === 'failed' || s === 'cancelled');
}

/** The thread as the server keeps it. */
export async function thread(threadId: string): Promise<ThreadSnapshot> {
  const res = await fetch(`${await mockServerUrl()}/api/threads/${encodeURIComponent(threadId)}`);
  const decoded = decodeThread(await res.json());
  if (!decoded.ok) throw decoded.error;
  return decoded.value;
}

/** Create a run in a thread straight on the server. */
export async function createInThread(threadId: string, prompt: string, body: CreateRunRequest = {}): Promise<string> {
  const res = await fetch(`${await mockServerUrl()}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ scenario: 'chat', speed: 0, prompt, thread_id: threadId, ...body }),
  });
  return ((await res.json()) as { run_id: string }).run_id;
}

/** The texts of the stream's turns (live or history) as `role: text`. */
export function turns(stream: TokenStream, where: 'history' | 'content'): string[] {
  return parts(stream, 'turn')
    .filter((t) => t.closest(`[part~="${where}"]`))
    .map(
      (t) =>
        `${t.dataset['role']}: ${(t.querySelector('[part~="message"], [part~="user-message"]')?.textContent ?? '').slice(0, 24)}`,
    );
}
