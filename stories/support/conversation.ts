/** The conversation story: an empty thread and a composer, the thread id kept in sessionStorage so a reload restores it. */
import { html, type TemplateResult } from 'lit';
import '../../src/components/define.ts';
import type { RunStartEvent } from '../../src/components/agent-run/events.ts';

/** Where the story keeps its thread id between reloads. */
const THREAD_KEY = 'agentwire-story-thread';

/** The conversation layout: history and live answer, the question when one is asked, the composer. */
/** A `<template data-role="user">`: the user's messages as right-aligned bubbles with a status line (text only). */
const USER_BUBBLE = html`<template data-role="user">
  <style>
    .bubble {
      margin-inline-start: auto;
      max-inline-size: 80%;
      padding: 0.5rem 0.75rem;
      border-radius: 1rem 1rem 0.25rem 1rem;
      background: var(--aw-color-accent, #2563eb);
      color: #fff;
    }
    .said {
      margin: 0;
      white-space: pre-wrap;
    }
    .note {
      margin: 0.25rem 0 0;
      font-size: 0.75rem;
      opacity: 0.85;
    }
    [data-status='sending'] .bubble {
      opacity: 0.7;
    }
  </style>
  <div class="bubble">
    <p class="said" data-field="text"></p>
    <p class="note" data-if="error">Not sent: <span data-field="error"></span></p>
  </div>
</template>`;

/** Options of the conversation story. */
export interface ConversationOptions {
  /** Draw the user's messages with a `<template data-role="user">`. */
  userTemplate?: boolean;
}

export function renderConversation(scenario: string, options: ConversationOptions = {}): TemplateResult {
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
      <token-stream format="markdown" label="Conversation" style="--aw-stream-max-height: 28rem"
        >${options.userTemplate ? USER_BUBBLE : ''}</token-stream
      >
      <approval-prompt></approval-prompt>
      <run-composer></run-composer>
    </agent-run>
  </section>`;
}
