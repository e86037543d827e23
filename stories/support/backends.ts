/**
 * The Backends stories' runs: how `<story-run>` starts a run on each of the mock server's protocol
 * routes (AG-UI, AI SDK UI message stream, OpenAI Responses; mock-server/protocols/), the code a
 * user writes for the same, and the check of the text shown against what the route's scenario
 * says (its transcript, derived from the script the route plays).
 */
import type { StartRunOptions } from '../../src/run/index.ts';
import type { ProtocolName } from '../../src/protocols/types.ts';
import type { RunStatus } from '../../src/store/index.ts';
import type { Transcript, TranscriptProtocol } from '../../mock-server/protocols/transcript.ts';

/** A protocol a mock route speaks. */
export type BackendProtocol = TranscriptProtocol;

/** Pause between frames at speed 1, ms (`delay_ms` on the route; speed 0 plays as fast as possible). */
export const FRAME_DELAY_MS = 80;

/** One backend: its name, and how a run is started on the mock's route for it. */
export interface Backend {
  /** Its name as people call it. */
  readonly title: string;
  /** Where the mock serves it, under the page's origin. */
  readonly prefix: string;
  /** `startRun` options for a scenario, the mock's pacing switch on the start path. */
  options(origin: string, scenario: string, delayMs: number): StartRunOptions;
  /** The same call as a user writes it (the docs' source), against `location.origin`. */
  source(scenario: string, delayMs: number): string;
}

const USER_TEXT = 'Deploy it';
const pacing = (delayMs: number): string => (delayMs > 0 ? `?delay_ms=${delayMs}` : '');

/** The backends, by `protocol` name. */
export const BACKENDS: Readonly<Record<BackendProtocol, Backend>> = {
  'ag-ui': {
    title: 'AG-UI',
    prefix: '/protocols/ag-ui/agent',
    options: (origin, scenario, delayMs) => ({
      protocol: 'ag-ui',
      baseUrl: `${origin}/protocols/ag-ui/agent${pacing(delayMs)}`,
      body: { messages: [{ id: 'u1', role: 'user', content: USER_TEXT }], forwardedProps: { scenario } },
    }),
    source: (scenario, delayMs) => `const run = await startRun({
    protocol: 'ag-ui',
    // the agent's endpoint: POST a RunAgentInput, AG-UI events back over SSE
    baseUrl: location.origin + '/protocols/ag-ui/agent${pacing(delayMs)}',
    body: {
      messages: [{ id: 'u1', role: 'user', content: '${USER_TEXT}' }],
      forwardedProps: { scenario: '${scenario}' },
    },
  });`,
  },
  'ai-sdk': {
    title: 'AI SDK UI message stream',
    prefix: '/protocols/ai-sdk',
    options: (origin, scenario, delayMs) => ({
      protocol: 'ai-sdk',
      baseUrl: `${origin}/protocols/ai-sdk`,
      paths: { runs: `/api/chat${pacing(delayMs)}` },
      body: { scenario, messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: USER_TEXT }] }] },
    }),
    source: (scenario, delayMs) => `const run = await startRun({
    protocol: 'ai-sdk',
    // POST {baseUrl}/api/chat answers with the UI message stream; GET /api/chat/{id}/stream resumes it
    baseUrl: location.origin + '/protocols/ai-sdk',${delayMs > 0 ? `\n    paths: { runs: '/api/chat${pacing(delayMs)}' },` : ''}
    body: {
      scenario: '${scenario}',
      messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: '${USER_TEXT}' }] }],
    },
  });`,
  },
  'openai-responses': {
    title: 'OpenAI Responses',
    prefix: '/protocols/openai',
    options: (origin, scenario, delayMs) => ({
      protocol: 'openai-responses',
      baseUrl: `${origin}/protocols/openai`,
      paths: { runs: `/v1/responses${pacing(delayMs)}` },
      body: { model: 'gpt-mock', input: USER_TEXT, background: true, metadata: { scenario } },
    }),
    source: (scenario, delayMs) => `const run = await startRun({
    protocol: 'openai-responses',
    // POST {baseUrl}/v1/responses with stream: true (through your own proxy: never ship the API key)
    baseUrl: location.origin + '/protocols/openai',${delayMs > 0 ? `\n    paths: { runs: '/v1/responses${pacing(delayMs)}' },` : ''}
    // background: a cut stream picks up after the last sequence_number
    body: { model: 'gpt-mock', input: '${USER_TEXT}', background: true, metadata: { scenario: '${scenario}' } },
  });`,
  },
};

/** True for a protocol one of the mock's protocol routes speaks. */
export function isBackendProtocol(protocol: ProtocolName): protocol is BackendProtocol {
  return Object.hasOwn(BACKENDS, protocol);
}

/** The route's pause between frames for a story's speed. */
export function frameDelay(speed: number): number {
  return speed > 0 ? Math.round(FRAME_DELAY_MS / speed) : 0;
}

/** The docs' source of a backend story: its consoles (each with one `<agent-run>`), and the script that starts each run and hands it over. */
export function backendSource(
  consoles: readonly { markup: string; protocol: BackendProtocol }[],
  scenario: string,
  speed: number,
): string {
  const markup = consoles.map((c) => c.markup.trim()).join('\n\n');
  const one = consoles.length === 1;
  const starts = consoles.map(({ protocol }, i) => {
    const start = BACKENDS[protocol].source(scenario, frameDelay(speed));
    const target = one ? `document.querySelector('agent-run')` : `document.querySelectorAll('agent-run')[${i}]`;
    return `  // The backend speaks ${BACKENDS[protocol].title}: start a run with its own request, hand it to <agent-run>.
  ${one ? start : `{\n    ${start.replaceAll('\n', '\n  ')}\n    ${target}.run = run;\n  }`}${one ? `\n  ${target}.run = run;` : ''}`;
  });
  return `${markup}

<script type="module">
  import 'agentwire/define';
  import { startRun } from 'agentwire/run';

${starts.join('\n\n')}
  // <approval-prompt> answers through the protocol's own mechanism (run.reply()).
</script>`;
}

/** What the comparison of the text shown with a transcript found. */
export interface TranscriptCheck {
  /** True when the messages shown are the transcript's (or, while streaming, its start). */
  readonly ok: boolean;
  /** What was compared with what. */
  readonly expected: string;
  /** What differs (empty when ok). */
  readonly problems: readonly string[];
}

/**
 * Compare the messages shown (each one's whole text, in order) with a transcript. Waiting for the
 * answer: they must be the `asked` messages. Done: `asked` followed by the `approved` or the
 * `denied` ones. Otherwise (still streaming, or failed): the start of one of those.
 */
export function checkTranscript(shown: readonly string[], transcript: Transcript, status: RunStatus): TranscriptCheck {
  const outcomes: [string, readonly string[]][] =
    status === 'waiting'
      ? [['before the approval', transcript.asked]]
      : [
          ['approved', [...transcript.asked, ...transcript.approved]],
          ['denied', [...transcript.asked, ...transcript.denied]],
        ];
  const whole = status === 'waiting' || status === 'done';
  const problemsOf = (expected: readonly string[]): string[] => {
    const problems: string[] = [];
    if (whole && shown.length !== expected.length)
      problems.push(`${shown.length} message${shown.length === 1 ? '' : 's'} shown, ${expected.length} expected`);
    if (shown.length > expected.length) problems.push(`${shown.length - expected.length} message(s) too many`);
    shown.forEach((text, i) => {
      const truth = expected[i];
      if (truth === undefined) return;
      // While streaming, the last message shown may still be growing.
      const partial = !whole && i === shown.length - 1;
      if (partial ? !truth.startsWith(text) : truth !== text)
        problems.push(`message ${i + 1} is ${JSON.stringify(text)}, expected ${JSON.stringify(truth)}`);
    });
    return problems;
  };
  const tried = outcomes.map(([name, expected]) => ({ name, problems: problemsOf(expected) }));
  const match = tried.find((t) => t.problems.length === 0);
  if (match) return { ok: true, expected: match.name, problems: [] };
  return {
    ok: false,
    expected: tried.map((t) => t.name).join(' or '),
    problems: tried.flatMap((t) => t.problems.map((p) => (tried.length > 1 ? `${t.name}: ${p}` : p))),
  };
}
