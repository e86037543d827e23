/** Element layouts of the stories: trusted, constant HTML a user would write (shown as the docs source). */

/** The seed's full console: every element inside one `<agent-run>`. */
export const CONSOLE_MARKUP = `<agent-run style="display: grid; gap: 0.75rem">
  <run-progress></run-progress>
  <div style="display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 0.75rem; align-items: start">
    <div style="display: grid; gap: 0.75rem">
      <token-stream style="--aw-stream-max-height: 18rem"></token-stream>
      <approval-prompt></approval-prompt>
    </div>
    <agent-log style="--aw-log-height: 22rem"></agent-log>
  </div>
</agent-run>`;

/** One element inside `<agent-run>`, and the same element used alone (given the run with `.run`). */
export interface ElementLayout {
  inside: string;
  alone: string;
}

/** `<run-progress>`: bar, status, message, connection state. */
export const PROGRESS: ElementLayout = {
  inside: `<agent-run>
  <run-progress></run-progress>
</agent-run>`,
  alone: `<run-progress></run-progress>`,
};

/** `<token-stream>`: the streamed text. */
export const STREAM: ElementLayout = {
  inside: `<agent-run>
  <token-stream style="--aw-stream-max-height: 16rem"></token-stream>
</agent-run>`,
  alone: `<token-stream style="--aw-stream-max-height: 16rem"></token-stream>`,
};

/** `<agent-log>`: steps, tools, logs, errors. */
export const LOG: ElementLayout = {
  inside: `<agent-run>
  <agent-log style="--aw-log-height: 18rem"></agent-log>
</agent-run>`,
  alone: `<agent-log style="--aw-log-height: 18rem"></agent-log>`,
};

/** `<approval-prompt>`: shows only while the run asks. */
export const PROMPT: ElementLayout = {
  inside: `<agent-run>
  <approval-prompt></approval-prompt>
</agent-run>`,
  alone: `<approval-prompt></approval-prompt>`,
};

/** Two independent runs on one page: each `<agent-run>` shares its own run with the elements inside (distinct labels: two regions of one page). */
export const SIDE_BY_SIDE_LEFT = `<agent-run>
  <run-progress label="Progress of the first run"></run-progress>
  <token-stream label="Response of the first run" style="--aw-stream-max-height: 10rem"></token-stream>
</agent-run>`;

export const SIDE_BY_SIDE_RIGHT = `<agent-run>
  <run-progress label="Progress of the second run"></run-progress>
  <token-stream label="Response of the second run" style="--aw-stream-max-height: 10rem"></token-stream>
</agent-run>`;

/** A plain, tutorial-style server through `<agent-run>`'s `*-path` attributes (no seq, no run_id). */
export const PLAIN_SSE = `<agent-run
  snapshot-path="/plain/tasks/{id}"
  stream-path="/plain/tasks/{id}/stream"
>
  <run-progress></run-progress>
  <token-stream style="--aw-stream-max-height: 12rem"></token-stream>
</agent-run>`;

/** The plain server's WebSocket dialect: the agent asks, the answer goes back as `user_reply` on the socket. */
export const PLAIN_WEBSOCKET = `<agent-run
  snapshot-path="/plain/tasks/{id}"
  socket-path="/plain/ws/agent/{id}"
  style="display: grid; gap: 0.75rem"
>
  <run-progress></run-progress>
  <token-stream style="--aw-stream-max-height: 12rem"></token-stream>
  <approval-prompt></approval-prompt>
  <agent-log style="--aw-log-height: 14rem"></agent-log>
</agent-run>`;

/** `<approval-prompt>` beside the log: a request about a tool call shows the call; its log row links to the prompt. */
export const PROMPT_WITH_LOG = `<agent-run style="display: grid; gap: 0.75rem">
  <approval-prompt></approval-prompt>
  <agent-log style="--aw-log-height: 16rem"></agent-log>
</agent-run>`;

/**
 * A tool renderer without code: a \`<template data-tool>\` inside \`<agent-log>\`, filled in with text
 * as the call streams (\`data-field\`, \`data-each\`, \`data-if\`; see the README).
 */
export const LOG_WITH_TEMPLATE = `<agent-run>
  <agent-log style="--aw-log-height: 18rem">
    <template data-tool="search_docs">
      <style>
        .hits { margin: 0; padding-inline-start: 1.2rem; }
        .score { color: var(--aw-color-muted, #545454); font-variant-numeric: tabular-nums; }
      </style>
      <p>Searching for <strong data-field="args.query"></strong> (<span data-field="status"></span>)</p>
      <ol class="hits" data-if="result.hits" data-each="result.hits">
        <li><span data-field="title"></span> <span class="score" data-field="score"></span></li>
      </ol>
    </template>
  </agent-log>
</agent-run>`;

/** A narrow console for one of several backends on a page: its regions named after the backend (distinct labels). */
export function backendColumn(name: string): string {
  return `<agent-run style="display: grid; gap: 0.75rem">
  <run-progress label="Progress (${name})"></run-progress>
  <token-stream label="Response (${name})" style="--aw-stream-max-height: 12rem"></token-stream>
  <approval-prompt></approval-prompt>
  <agent-log label="Agent log (${name})" style="--aw-log-height: 16rem"></agent-log>
</agent-run>`;
}
