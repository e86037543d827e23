/**
 * Scripted, seeded, deterministic scenarios. Add one with `registerScenario`: a scenario is a
 * generator of instructions (see script.ts); the run engine supplies seq, run_id, timing and
 * resume tokens.
 */
import { MockServerError } from './errors.ts';
import { Random } from './random.ts';
import {
  ask,
  askAll,
  decide,
  emit,
  fillerToken,
  prose,
  sleep,
  streamTokens,
  tokenize,
  type AskOutcome,
  type ScenarioContext,
  type Script,
} from './script.ts';
import { replayScript, type ReplayPlan } from './replay.ts';
import { XSS_PAYLOADS } from './xss-corpus.ts';

/** A named, playable scenario. */
export interface ScenarioDefinition {
  readonly name: string;
  /** One line for humans (listed by `GET /api/scenarios`). */
  readonly description: string;
  /** The script, for one run. */
  readonly play: (ctx: ScenarioContext) => Script;
}

/** Tokens the `long` scenario streams. */
export const LONG_SCENARIO_TOKENS = 100_000;
/** Prompt given to scenarios when the request has none. */
export const DEFAULT_PROMPT = 'Add a retry with backoff to the upload client';
/** The question the `agent` scenario asks before deploying. */
export const DEPLOY_PROMPT = 'Deploy to production? (yes/no)';

/** The questions the `approvals` scenario asks, in order. */
export const APPROVAL_PROMPTS: readonly string[] = [
  'Apply the database migration? (yes/no)',
  'Restart the service now? (yes/no)',
];

const scenarios = new Map<string, ScenarioDefinition>();

/** Add (or replace) a scenario under its name. */
export function registerScenario(definition: ScenarioDefinition): void {
  scenarios.set(definition.name, definition);
}

/** The scenario of that name, or undefined. */
export function getScenario(name: string): ScenarioDefinition | undefined {
  return scenarios.get(name);
}

/** Every registered scenario, in registration order. */
export function listScenarios(): ScenarioDefinition[] {
  return [...scenarios.values()];
}

/** Build a scenario's script for a seed and prompt; throws MockServerError for an unknown name. */
export function createScript(name: string, seed: number, prompt: string, replay?: ReplayPlan): Script {
  const definition = scenarios.get(name);
  if (!definition) throw new MockServerError('unknown_scenario', `unknown scenario "${name}"`);
  return definition.play({ rng: Random.derive(seed, 0x5ce7a210), prompt, replay });
}

function* quick({ rng }: ScenarioContext): Script {
  yield emit({ type: 'status', state: 'queued' });
  yield sleep(rng.int(80, 150));
  yield emit({ type: 'status', state: 'running' });
  yield emit({ type: 'progress', pct: 0, message: 'Starting' });
  const text = `${prose(rng, 12)} ${prose(rng, 12)} ${prose(rng, 10)}`;
  const tokens = tokenize(text, rng).slice(0, 40);
  const quarter = Math.ceil(tokens.length / 4);
  for (let i = 0; i < tokens.length; i++) {
    yield sleep(rng.int(20, 40));
    yield emit({ type: 'token', content: tokens[i]!, message_id: 'm1' });
    if ((i + 1) % quarter === 0 && i + 1 < tokens.length) {
      yield emit({
        type: 'progress',
        pct: ((i + 1) / quarter) * 25,
        message: `Writing (${i + 1}/${tokens.length} tokens)`,
      });
    }
  }
  yield emit({ type: 'progress', pct: 100, message: 'Done' });
  yield emit({ type: 'status', state: 'done' });
  yield emit({ type: 'done', state: 'completed', result: { summary: tokens.join(''), tokens: tokens.length } });
}

function* agent({ rng, prompt }: ScenarioContext): Script {
  yield emit({ type: 'status', state: 'running' });
  yield sleep(rng.int(200, 400));
  yield emit({ type: 'step', name: 'planning', state: 'started' });
  yield emit({ type: 'log', level: 'info', message: `Task: ${prompt}` });
  yield sleep(rng.int(300, 600));
  yield emit({ type: 'log', level: 'debug', message: 'Plan: gather context → run tests → explain → deploy' });
  yield emit({ type: 'step', name: 'planning', state: 'finished' });
  yield emit({ type: 'progress', pct: 10, message: 'Step 1/5: planned' });

  yield emit({ type: 'step', name: 'gather', state: 'started' });
  const hits = rng.int(2, 5);
  yield emit({ type: 'tool_call', call_id: 'call_1', name: 'search_docs', args: { query: prompt, limit: 5 } });
  yield sleep(rng.int(400, 800));
  yield emit({ type: 'tool_result', call_id: 'call_1', summary: `Found ${hits} relevant pages`, ok: true });
  yield emit({ type: 'progress', pct: 25, message: 'Step 2/5: gathering context' });
  yield emit({ type: 'tool_call', call_id: 'call_2', name: 'run_tests', args: { suite: 'unit', pattern: 'upload' } });
  yield sleep(rng.int(500, 900));
  const passed = rng.int(90, 140);
  yield emit({ type: 'tool_result', call_id: 'call_2', summary: `${passed} passed, 0 failed`, ok: true });
  yield emit({
    type: 'log',
    level: 'warn',
    message: `${rng.int(1, 3)} deprecated API calls found in the upload client`,
  });
  yield emit({ type: 'step', name: 'gather', state: 'finished' });
  yield emit({ type: 'progress', pct: 40, message: 'Step 3/5: explaining the change' });

  yield emit({ type: 'step', name: 'explain', state: 'started' });
  const explanation = `I will wrap the upload call in a retry loop with exponential backoff and full jitter. ${prose(rng, 14)} ${prose(rng, 10)}`;
  yield* streamTokens(tokenize(explanation, rng), 'm1', rng);
  yield emit({ type: 'step', name: 'explain', state: 'finished' });
  yield emit({ type: 'progress', pct: 60, message: 'Step 4/5: waiting for approval' });

  const outcome = yield* ask({ prompt: DEPLOY_PROMPT, choices: ['yes', 'no'] });
  if (outcome.kind === 'expired') {
    yield emit({ type: 'status', state: 'cancelled' });
    yield emit({
      type: 'done',
      state: 'cancelled',
      result: { deployed: false, reason: 'approval expired' },
      finish_reason: 'input_expired',
    });
    return;
  }
  if (outcome.text.trim().toLowerCase() !== 'yes') {
    yield emit({ type: 'status', state: 'cancelled' });
    yield emit({ type: 'done', state: 'cancelled', result: { deployed: false } });
    return;
  }
  yield emit({ type: 'status', state: 'running' });
  yield emit({ type: 'step', name: 'deploy', state: 'started' });
  yield emit({ type: 'log', level: 'info', message: 'Deploying build to production' });
  const version = `1.${rng.int(0, 9)}.${rng.int(0, 30)}`;
  yield* streamTokens(tokenize(`Deployed version ${version}. ${prose(rng, 10)}`, rng), 'm2', rng);
  yield emit({ type: 'step', name: 'deploy', state: 'finished' });
  yield emit({ type: 'progress', pct: 100, message: 'Step 5/5: deployed' });
  yield emit({ type: 'status', state: 'done' });
  yield emit({
    type: 'done',
    state: 'completed',
    result: { deployed: true, version, url: 'https://example.invalid/app' },
  });
}

function* long({ rng }: ScenarioContext): Script {
  yield emit({ type: 'status', state: 'running' });
  yield emit({ type: 'progress', pct: 0, message: 'Streaming' });
  const perPercent = LONG_SCENARIO_TOKENS / 100;
  for (let i = 0; i < LONG_SCENARIO_TOKENS; i++) {
    yield sleep(rng.int(20, 40));
    yield emit({ type: 'token', content: fillerToken(rng, i), message_id: 'm1' });
    if ((i + 1) % perPercent === 0)
      yield emit({ type: 'progress', pct: (i + 1) / perPercent, message: `${i + 1} tokens` });
  }
  yield emit({ type: 'status', state: 'done' });
  yield emit({ type: 'done', state: 'completed', result: { tokens: LONG_SCENARIO_TOKENS } });
}

function* failing({ rng }: ScenarioContext): Script {
  yield emit({ type: 'status', state: 'running' });
  yield emit({ type: 'step', name: 'build', state: 'started' });
  yield emit({ type: 'log', level: 'info', message: 'Compiling 42 modules' });
  yield emit({ type: 'tool_call', call_id: 'call_1', name: 'compile', args: { target: 'es2022' } });
  yield sleep(rng.int(300, 600));
  yield* streamTokens(tokenize(`Compiling the project. ${prose(rng, 8)}`, rng), 'm1', rng);
  yield emit({ type: 'progress', pct: 35, message: 'Step 2/5: compiling' });
  yield emit({ type: 'tool_result', call_id: 'call_1', summary: 'Process exited with code 137', ok: false });
  yield emit({ type: 'log', level: 'error', message: 'The compiler was killed (out of memory)' });
  yield emit({
    type: 'error',
    message: 'The compile tool crashed (exit code 137)',
    code: 'tool_crashed',
    retryable: false,
  });
  yield emit({ type: 'status', state: 'failed' });
  yield emit({ type: 'done', state: 'failed', finish_reason: 'error' });
}

function* unknownEvents({ rng }: ScenarioContext): Script {
  yield emit({ type: 'status', state: 'running' });
  yield emit({ type: 'log', level: 'info', message: 'This run includes event types the protocol does not know' });
  yield emit({ type: 'unknown', event_type: 'thinking', data: { text: 'Considering the options…' } });
  yield* streamTokens(tokenize(prose(rng, 8), rng), 'm1', rng);
  yield emit({ type: 'unknown', event_type: 'citation', data: { url: 'https://example.invalid/doc', title: 'Docs' } });
  yield emit({ type: 'progress', pct: 100, message: 'Done' });
  yield emit({ type: 'status', state: 'done' });
  yield emit({ type: 'done', state: 'completed', result: { ok: true } });
}

function* approvals({ rng }: ScenarioContext): Script {
  yield emit({ type: 'status', state: 'running' });
  yield emit({ type: 'log', level: 'info', message: 'Two changes need a human decision' });
  const answers: string[] = [];
  for (const [index, prompt] of APPROVAL_PROMPTS.entries()) {
    yield emit({ type: 'progress', pct: index * 40, message: `Approval ${index + 1}/${APPROVAL_PROMPTS.length}` });
    const outcome = yield* ask({ prompt, choices: ['yes', 'no'] });
    if (outcome.kind === 'expired') {
      yield emit({ type: 'status', state: 'cancelled' });
      yield emit({
        type: 'done',
        state: 'cancelled',
        result: { answers, reason: 'approval expired' },
        finish_reason: 'input_expired',
      });
      return;
    }
    answers.push(outcome.text);
    yield emit({ type: 'status', state: 'running' });
    yield emit({ type: 'log', level: 'info', message: `Answer ${index + 1}: ${outcome.text}` });
    yield* streamTokens(tokenize(prose(rng, 6), rng), `m${index + 1}`, rng);
  }
  yield emit({ type: 'progress', pct: 100, message: 'Done' });
  yield emit({ type: 'status', state: 'done' });
  yield emit({ type: 'done', state: 'completed', result: { answers } });
}

/** Choices the `xss` scenario offers: hostile ones, then a plain `yes`. */
export const XSS_CHOICES: readonly string[] = [...XSS_PAYLOADS.slice(0, 6), 'yes'];

/** Every text field of every event type carries a payload of the XSS corpus; then one hostile question. */
function* xss(): Script {
  yield emit({ type: 'status', state: 'running' });
  for (const [i, payload] of XSS_PAYLOADS.entries()) {
    yield emit({ type: 'step', name: payload, state: 'started' });
    yield emit({ type: 'progress', pct: Math.round((i / XSS_PAYLOADS.length) * 90), message: payload });
    yield emit({ type: 'token', content: `${payload}\n`, message_id: i % 8 === 0 ? payload : 'm1' });
    yield emit({ type: 'log', level: 'warn', message: payload });
    yield emit({ type: 'tool_call', call_id: `call_${i}`, name: payload, args: { html: payload, nested: [payload] } });
    yield emit({ type: 'tool_result', call_id: `call_${i}`, summary: payload, ok: i % 2 === 0 });
    yield emit({ type: 'error', message: payload, code: payload.slice(0, 24), retryable: true });
    yield emit({ type: 'unknown', event_type: payload, data: { html: payload } });
  }
  const outcome = yield* ask({ prompt: XSS_PAYLOADS.join(' '), choices: [...XSS_CHOICES] });
  yield emit({ type: 'status', state: outcome.kind === 'answer' ? 'done' : 'cancelled' });
  yield emit({
    type: 'done',
    state: outcome.kind === 'answer' ? 'completed' : 'cancelled',
    result: { payloads: XSS_PAYLOADS.length, answer: outcome.kind === 'answer' ? outcome.text : null },
  });
}

/** The answer the `markdown` scenario streams (markdown source, as a model writes it). */
export const MARKDOWN_ANSWER = `## Adding a retry with backoff

The upload client fails on **transient** network errors. Wrap the call in a retry loop with
exponential backoff and *full jitter*, so many clients do not retry in lockstep. See
[the AWS article](https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/) for why.

### Steps

1. Add a \`retry()\` helper.
2. Call it from \`upload()\`:
   - only for \`5xx\` and network errors,
   - never for \`4xx\`.
3. Test it with a fake clock.

\`\`\`ts
export async function retry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (error) {
      if (i + 1 >= attempts || !isTransient(error)) throw error;
      await sleep(Math.random() * 2 ** i * 100);
    }
  }
}
\`\`\`

| attempt | max delay | cumulative |
| ------: | --------- | :--------: |
| 1       | 100 ms    | 0.1 s      |
| 2       | 200 ms    | 0.3 s      |
| 3       | 400 ms    | 0.7 s      |

> **Note:** the server must treat the upload as idempotent — send an \`Idempotency-Key\` header.

- [x] helper written
- [ ] wired into \`upload()\`
- [ ] tests

It costs about $5 a month in extra requests, not $50. Questions? Mail ops@example.com or see www.example.com/docs.

---

\`\`\`python
def retry(fn, attempts=5):
    for i in range(attempts):
        try:
            return fn()
        except TransientError:
            time.sleep(random.random() * 2 ** i / 10)
\`\`\`
`;

function* markdown({ rng }: ScenarioContext): Script {
  yield emit({ type: 'status', state: 'running' });
  yield emit({ type: 'step', name: 'answer', state: 'started' });
  yield* streamTokens(tokenize(MARKDOWN_ANSWER, rng), 'm1', rng, 15, 35);
  yield emit({ type: 'step', name: 'answer', state: 'finished' });
  yield emit({ type: 'status', state: 'done' });
  yield emit({ type: 'done', state: 'completed' });
}

/** The form the `form` scenario asks for (a JSON Schema: the client shows and validates a form). */
export const TICKET_SCHEMA = {
  type: 'object',
  title: 'New ticket',
  required: ['title', 'priority'],
  properties: {
    title: { type: 'string', title: 'Title', minLength: 5, maxLength: 80, default: 'Flaky upload retries' },
    priority: { type: 'string', title: 'Priority', enum: ['low', 'normal', 'high'], default: 'normal' },
    estimate: { type: 'number', title: 'Estimate (hours)', minimum: 1, maximum: 40 },
    notify: { type: 'boolean', title: 'Notify the on-call team', default: false },
    labels: { type: 'array', title: 'Labels', items: { type: 'string' } },
  },
} as const;

/** A tool call whose details need a person: the request carries a JSON Schema, the answer is JSON. */
function* form({ rng }: ScenarioContext): Script {
  yield emit({ type: 'status', state: 'running' });
  yield emit({ type: 'step', name: 'triage', state: 'started' });
  yield emit({ type: 'log', level: 'info', message: 'The upload retries failed 3 times this week' });
  yield emit({ type: 'tool_call', call_id: 'call_ticket', name: 'create_ticket', args: { project: 'UPLOAD' } });
  yield sleep(rng.int(200, 400));
  const outcome = yield* ask({
    prompt: 'Fill in the ticket before I file it',
    schema: TICKET_SCHEMA,
    toolCallId: 'call_ticket',
  });
  if (outcome.kind === 'expired') {
    yield emit({ type: 'tool_result', call_id: 'call_ticket', summary: 'Not filed: nobody answered', ok: false });
    yield emit({ type: 'step', name: 'triage', state: 'failed' });
    yield emit({ type: 'status', state: 'cancelled' });
    yield emit({ type: 'done', state: 'cancelled', finish_reason: 'input_expired' });
    return;
  }
  const ticket = typeof outcome.value === 'object' && outcome.value !== null ? outcome.value : { title: outcome.text };
  yield emit({ type: 'status', state: 'running' });
  yield sleep(rng.int(200, 400));
  const id = `UPLOAD-${rng.int(100, 999)}`;
  yield emit({
    type: 'tool_result',
    call_id: 'call_ticket',
    summary: `Filed ${id}`,
    ok: true,
    result: { id, ...ticket },
  });
  yield emit({ type: 'step', name: 'triage', state: 'finished' });
  yield* streamTokens(tokenize(`I filed ${id} with the details you gave.`, rng), 'm1', rng);
  yield emit({ type: 'status', state: 'done' });
  yield emit({ type: 'done', state: 'completed', result: { ticket: id } });
}

/** Two tool calls made at once, each waiting for its own approval. */
function* parallelApprovals({ rng }: ScenarioContext): Script {
  yield emit({ type: 'status', state: 'running' });
  yield emit({ type: 'step', name: 'cleanup', state: 'started' });
  yield* streamTokens(tokenize('Two changes are ready; each needs your approval.', rng), 'm1', rng);
  const calls = [
    { call_id: 'call_branch', name: 'delete_branch', args: { branch: 'feature/old-uploader', remote: 'origin' } },
    { call_id: 'call_keys', name: 'rotate_keys', args: { service: 'upload-api', keep_previous_hours: 24 } },
  ] as const;
  for (const call of calls) yield emit({ type: 'tool_call', ...call, args: { ...call.args } });
  const outcomes = yield* askAll([
    { prompt: 'Delete the branch feature/old-uploader?', kind: 'approval', toolCallId: 'call_branch' },
    { prompt: 'Rotate the upload API keys?', kind: 'approval', toolCallId: 'call_keys' },
  ]);
  yield emit({ type: 'status', state: 'running' });
  let approvedCount = 0;
  for (const [i, outcome] of outcomes.entries()) {
    const call = calls[i]!;
    const approved = outcome.kind === 'answer' && isApproved(outcome);
    if (approved) approvedCount++;
    yield sleep(rng.int(200, 500));
    yield emit({
      type: 'tool_result',
      call_id: call.call_id,
      summary: approved ? 'Done' : outcome.kind === 'expired' ? 'Skipped: not approved in time' : 'Skipped: denied',
      ok: approved,
    });
  }
  yield emit({ type: 'step', name: 'cleanup', state: 'finished' });
  yield emit({ type: 'status', state: 'done' });
  yield emit({ type: 'done', state: 'completed', result: { approved: approvedCount, of: calls.length } });
}

/** What the `auto-approvals` scenario's policy allows and refuses without asking (reasons shown to the user). */
export const AUTO_APPROVAL_REASONS = {
  read: 'read-only tools are allowed by policy',
  shell: 'shell commands are never run by policy',
} as const;

/**
 * Approvals decided by policy next to one asked: a read-only tool approved automatically, a shell
 * command denied automatically, then a branch deletion the user approves or denies.
 */
function* autoApprovals({ rng }: ScenarioContext): Script {
  yield emit({ type: 'status', state: 'running' });
  yield emit({ type: 'step', name: 'cleanup', state: 'started' });
  yield emit({ type: 'tool_call', call_id: 'call_read', name: 'read_file', args: { path: 'CONTRIBUTING.md' } });
  yield decide({
    prompt: 'Read CONTRIBUTING.md?',
    approved: true,
    reason: AUTO_APPROVAL_REASONS.read,
    toolCallId: 'call_read',
  });
  yield sleep(rng.int(150, 300));
  yield emit({ type: 'tool_result', call_id: 'call_read', summary: 'Read 2.1 kB', ok: true });
  yield emit({ type: 'tool_call', call_id: 'call_shell', name: 'run_shell', args: { command: 'git gc --prune=now' } });
  yield decide({
    prompt: 'Run `git gc --prune=now`?',
    approved: false,
    reason: AUTO_APPROVAL_REASONS.shell,
    toolCallId: 'call_shell',
  });
  yield emit({ type: 'tool_result', call_id: 'call_shell', summary: 'Skipped: denied by policy', ok: false });
  yield emit({
    type: 'tool_call',
    call_id: 'call_branch',
    name: 'delete_branch',
    args: { branch: 'feature/old-uploader', remote: 'origin' },
  });
  const outcome = yield* ask({
    prompt: 'Delete the branch feature/old-uploader?',
    kind: 'approval',
    toolCallId: 'call_branch',
  });
  yield emit({ type: 'status', state: 'running' });
  const approved = outcome.kind === 'answer' && isApproved(outcome);
  yield sleep(rng.int(150, 300));
  yield emit({
    type: 'tool_result',
    call_id: 'call_branch',
    summary: approved ? 'Deleted' : outcome.kind === 'expired' ? 'Skipped: not approved in time' : 'Skipped: denied',
    ok: approved,
  });
  yield emit({ type: 'step', name: 'cleanup', state: 'finished' });
  yield emit({ type: 'status', state: 'done' });
  yield emit({ type: 'done', state: 'completed', result: { asked: 1, automatic: 2, approved } });
}

/** True for an approve (`{approved: true}`, or a plain "yes" / "approve"). */
function isApproved(outcome: Extract<AskOutcome, { kind: 'answer' }>): boolean {
  const value = outcome.value;
  if (typeof value === 'object' && value !== null && 'approved' in value) return value.approved === true;
  return ['yes', 'approve', 'approved', 'y'].includes(outcome.text.trim().toLowerCase());
}

/** How long the `expiring` scenario's approval stays answerable (wall-clock, whatever the speed). */
export const EXPIRING_APPROVAL_MS = 30_000;

/** An approval that expires: a countdown, then "expired" and the run goes on without it. */
function* expiring({ rng }: ScenarioContext): Script {
  yield emit({ type: 'status', state: 'running' });
  yield emit({
    type: 'tool_call',
    call_id: 'call_scale',
    name: 'scale_service',
    args: { service: 'upload-api', replicas: 12 },
  });
  yield sleep(rng.int(200, 400));
  const outcome = yield* ask({
    prompt: 'Scale upload-api to 12 replicas? (this offer expires)',
    kind: 'approval',
    toolCallId: 'call_scale',
    expiresInMs: EXPIRING_APPROVAL_MS,
  });
  yield emit({ type: 'status', state: 'running' });
  const approved = outcome.kind === 'answer' && isApproved(outcome);
  yield emit({
    type: 'tool_result',
    call_id: 'call_scale',
    summary: approved
      ? 'Scaled to 12 replicas'
      : outcome.kind === 'expired'
        ? 'Not scaled: the approval expired'
        : 'Not scaled: denied',
    ok: approved,
  });
  yield emit({ type: 'status', state: 'done' });
  yield emit({ type: 'done', state: 'completed', result: { scaled: approved } });
}

/** Hits the `tool-renderer` scenario's search returns (structured: a custom renderer shows them). */
export const SEARCH_HITS = [
  { title: 'Retries and backoff', url: 'https://docs.example.invalid/retries', score: 0.92 },
  { title: 'The upload client', url: 'https://docs.example.invalid/upload', score: 0.81 },
  { title: 'Idempotency keys', url: 'https://docs.example.invalid/idempotency', score: 0.64 },
] as const;

/** A tool call whose arguments stream and whose result is structured: made for a custom renderer. */
function* toolRenderer({ rng, prompt }: ScenarioContext): Script {
  yield emit({ type: 'status', state: 'running' });
  yield emit({ type: 'step', name: 'research', state: 'started' });
  const args = JSON.stringify({ query: prompt, limit: SEARCH_HITS.length, sources: ['docs', 'runbooks'] });
  // The arguments arrive as JSON text in pieces (parsed leniently while they stream).
  for (let at = 0; at < args.length;) {
    const next = Math.min(args.length, at + rng.int(4, 12));
    yield sleep(rng.int(60, 120));
    yield emit({
      type: 'tool_call_delta',
      call_id: 'call_search',
      ...(at === 0 && { name: 'search_docs' }),
      delta: args.slice(at, next),
    });
    at = next;
  }
  yield emit({ type: 'tool_call', call_id: 'call_search', name: 'search_docs', args: JSON.parse(args) as unknown });
  yield sleep(rng.int(400, 800));
  yield emit({
    type: 'tool_result',
    call_id: 'call_search',
    summary: `${SEARCH_HITS.length} pages`,
    ok: true,
    result: { hits: SEARCH_HITS.map((hit) => ({ ...hit })) },
  });
  yield emit({ type: 'step', name: 'research', state: 'finished' });
  yield* streamTokens(
    tokenize(`The docs recommend exponential backoff with full jitter. ${prose(rng, 8)}`, rng),
    'm1',
    rng,
  );
  yield emit({ type: 'status', state: 'done' });
  yield emit({ type: 'done', state: 'completed', result: { pages: SEARCH_HITS.length } });
}

/** The model thinks (streamed reasoning), then answers: the reasoning collapses when the answer starts. */
function* reasoning({ rng }: ScenarioContext): Script {
  yield emit({ type: 'status', state: 'running' });
  const thoughts =
    'The uploads fail on transient errors. A fixed delay would make every client retry at once, ' +
    'so exponential backoff with full jitter is better. Five attempts keep the worst case near 3 s. ' +
    'Only 5xx and network errors are worth retrying.';
  for (const piece of tokenize(thoughts, rng)) {
    yield sleep(rng.int(30, 60));
    yield emit({ type: 'reasoning', content: piece, message_id: 'm1' });
  }
  yield* streamTokens(
    tokenize(`Retry the upload with exponential backoff and full jitter, up to 5 attempts. ${prose(rng, 10)}`, rng),
    'm1',
    rng,
  );
  yield emit({ type: 'status', state: 'done' });
  yield emit({ type: 'done', state: 'completed' });
}

/** The question the `chat` scenario asks before it answers a prompt about deploying, shipping or releasing. */
export const CHAT_DEPLOY_PROMPT = 'Deploy this change to production?';

/** Prompts the `chat` scenario asks about before answering (the agent wants an approval). */
const ASKS_FIRST = /\b(deploy|ship|release)\b/i;

/** A short, single-line rendering of a prompt for headings (markdown syntax characters dropped). */
function headingOf(prompt: string): string {
  const line = prompt
    .replace(/[#*_`[\]<>|\\]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const short = line.length > 60 ? `${line.slice(0, 57).trimEnd()}…` : line;
  return short === '' ? 'Your question' : short[0]!.toUpperCase() + short.slice(1);
}

/** The answer of the `chat` scenario to a prompt: markdown as a model writes it, varied by the seed. */
export function chatAnswer(prompt: string, rng: Random): string {
  if (/\b(retry|retries|backoff)\b/i.test(prompt)) return MARKDOWN_ANSWER;
  const topic = headingOf(prompt);
  const steps = ['Reproduce it with a failing test', 'Find the smallest change', 'Measure before and after'];
  const first = rng.pick(steps);
  return `## ${topic}

Here is how I would approach it, in short steps you can check one by one.

1. **${first}.** ${prose(rng, 10)}
2. **Keep the change small.** ${prose(rng, 9)}
3. **Write it down.** Note what you tried and why, so the next person does not repeat it.

\`\`\`ts
// a minimal first step
export function check(input: string): boolean {
  return input.trim().length > 0;
}
\`\`\`

| option | effort | risk |
| ------ | :----: | ---- |
| patch the call site | low | medium |
| fix it in the shared helper | medium | low |

> **Tip:** ask a follow-up in this conversation — I keep the earlier turns.
`;
}

function* chat({ rng, prompt }: ScenarioContext): Script {
  yield emit({ type: 'status', state: 'running' });
  yield sleep(rng.int(150, 350));
  if (ASKS_FIRST.test(prompt)) {
    yield emit({ type: 'step', name: 'approval', state: 'started' });
    const outcome = yield* ask({ prompt: CHAT_DEPLOY_PROMPT, choices: ['yes', 'no'] });
    yield emit({ type: 'step', name: 'approval', state: 'finished' });
    yield emit({ type: 'status', state: 'running' });
    if (outcome.kind === 'expired' || outcome.text.trim().toLowerCase() !== 'yes') {
      yield* streamTokens(tokenize('Okay — I did **not** deploy. Nothing changed in production.', rng), 'm1', rng);
      yield emit({ type: 'status', state: 'done' });
      yield emit({ type: 'done', state: 'completed', result: { deployed: false } });
      return;
    }
  }
  // A deploy that was approved is reported first, in the same message (tokens carry their leading space only).
  const version = `1.${rng.int(0, 9)}.${rng.int(0, 30)}`;
  const deployed = ASKS_FIRST.test(prompt)
    ? `Deployed **${version}** to production.\n\n- health checks: passing\n- rollback: \`deploy --rollback ${version}\`\n\n`
    : '';
  yield emit({ type: 'step', name: 'answer', state: 'started' });
  yield* streamTokens(tokenize(deployed + chatAnswer(prompt, rng), rng), 'm1', rng, 15, 35);
  yield emit({ type: 'step', name: 'answer', state: 'finished' });
  yield emit({ type: 'status', state: 'done' });
  yield emit({ type: 'done', state: 'completed' });
}

registerScenario({ name: 'quick', description: 'Queued → running, ~40 tokens, progress, done.', play: quick });
registerScenario({
  name: 'agent',
  description: 'A coding agent: steps, tools, logs, tokens, then asks before deploying.',
  play: agent,
});
registerScenario({
  name: 'long',
  description: `${LONG_SCENARIO_TOKENS.toLocaleString('en')} tokens in one message, progress every 1%.`,
  play: long,
});
registerScenario({
  name: 'failing',
  description: 'Works a while, then a tool crashes: error, status failed, done failed.',
  play: failing,
});
registerScenario({
  name: 'approvals',
  description: 'Asks two questions in a row (the run waits again after the first answer).',
  play: approvals,
});
registerScenario({
  name: 'xss',
  description: 'XSS payloads in every text field of every event type, then a hostile question (security tests).',
  play: xss,
});
registerScenario({
  name: 'markdown',
  description: 'A realistic answer in markdown: headings, lists, a table, code blocks, links, a task list.',
  play: markdown,
});
registerScenario({
  name: 'chat',
  description:
    'Answers the prompt in markdown (asks first when it says deploy, ship or release); in a thread, a turn of the conversation.',
  play: chat,
});
registerScenario({
  name: 'unknown-events',
  description: 'Normal events mixed with event types the protocol does not know.',
  play: unknownEvents,
});
registerScenario({
  name: 'replay',
  description: 'Plays the events of a recording (body field `replay`: agentwire/inspector `replayRequestBody`).',
  play: ({ replay }) => {
    if (!replay) throw new MockServerError('unknown_scenario', 'the replay scenario needs the `replay` field');
    return replayScript(replay);
  },
});
registerScenario({
  name: 'form',
  description: 'A tool call waits for a form (a JSON Schema): title, priority, estimate, notify, labels.',
  play: form,
});
registerScenario({
  name: 'parallel-approvals',
  description: 'Two tool calls at once, each waiting for its own approval (approve or deny each).',
  play: parallelApprovals,
});
registerScenario({
  name: 'auto-approvals',
  description:
    'Two approvals decided by policy (a read approved, a shell command denied: shown, never asked), then one the user answers.',
  play: autoApprovals,
});
registerScenario({
  name: 'expiring',
  description: `An approval that expires after ${EXPIRING_APPROVAL_MS / 1000} s (a countdown, then the run goes on without it).`,
  play: expiring,
});
registerScenario({
  name: 'tool-renderer',
  description: 'search_docs with streamed arguments and a structured result, for a custom tool renderer.',
  play: toolRenderer,
});
registerScenario({
  name: 'reasoning',
  description: 'Streamed reasoning, then the answer (the reasoning collapses when the answer starts).',
  play: reasoning,
});
