/** The conversation story: an empty thread and a composer, the thread id kept in sessionStorage so a reload restores it. */
import { html, type TemplateResult } from 'lit';
import '../../src/components/define.ts';
import type { RunStartEvent } from '../../src/components/agent-run/events.ts';

/** Where the story keeps its thread id between reloads. */
const THREAD_KEY = 'agentwire-story-thread';

/** The conversation layout: history and live answer, the question when one is asked, the composer. */
export function renderConversation(scenario: string): TemplateResult {
  const threadId = sessionStorage.getItem(THREAD_KEY) ?? '';
  const remember = (event: RunStartEvent): void => sessionStorage.setItem(THREAD_KEY, event.threadId);
  const restart = (event: Event): void => {
    sessionStorage.removeItem(THREAD_KEY);
    const agent = (event.currentTarget as HTMLElement).closest('section')?.querySelector('agent-run');
    agent?.replaceWith(Object.assign(agent.cloneNode(true), { body: { scenario } }));
  };
  return html`<section style="display: grid; gap: 0.75rem; max-width: 46rem">
    <p style="margin: 0; font: 0.875rem system-ui">
      Ask anything ("How do I add a retry with backoff?"), ask it to <em>deploy</em> (it asks first), send a follow-up,
      stop one mid-stream (Stop, or Escape), then reload the page: the thread is restored from the server.
      <button type="button" @click=${restart}>New conversation</button>
    </p>
    <agent-run thread-id=${threadId} .body=${{ scenario }} @run-start=${remember} style="display: grid; gap: 0.75rem">
      <token-stream format="markdown" label="Conversation" style="--aw-stream-max-height: 28rem"></token-stream>
      <approval-prompt></approval-prompt>
      <run-composer></run-composer>
    </agent-run>
  </section>`;
}
