/**
 * An AG-UI agent: `POST /protocols/ag-ui/agent` with a RunAgentInput (validated with
 * `@ag-ui/core`'s own schema) answers with the run's events, checked against `@ag-ui/core`'s
 * event schema and framed by `@ag-ui/encoder`'s EventEncoder (SSE `data:` frames). Threads are
 * kept in memory: a run that ends with an interrupt outcome is resumed by the next run of its
 * thread, whose `resume` entries must answer every open interrupt exactly once (409 otherwise).
 *
 * Scenario: `forwardedProps.scenario` — `agent` (default: reasoning, text interleaved with a
 * streamed tool call and its result, steps, state snapshot + delta, usage, then an approval),
 * `two-interrupts` (an approval and a question at once), `bad` (unknown, RAW and CUSTOM events,
 * a malformed frame, content for a message never started, then a normal end), `failing`.
 * Query: `delay_ms` (pause between frames), `cut_after` / `end_after` (break the answer off, or
 * end it, after N frames).
 */
import { EventType, type AGUIEvent, type Interrupt, type RunAgentInput } from '@ag-ui/core';
import { EventSchema, RunAgentInputSchema } from '@ag-ui/core/schemas';
import { EventEncoder } from '@ag-ui/encoder';
import { HttpError, type Reply, type Route, type RouteContext } from '../../src/server/index.ts';
import { eventStreamReply, readJsonObject, switchesOf } from './http.ts';
import { pause, StreamLog } from './stream-log.ts';
import { foldTexts, transcriptRoute, type Transcript } from './transcript.ts';

/** The path of the agent. */
export const AG_UI_AGENT_PATH = '/protocols/ag-ui/agent';

/** The scenarios this agent plays. */
export const AG_UI_SCENARIOS = ['agent', 'two-interrupts', 'bad', 'failing'] as const;
type Scenario = (typeof AG_UI_SCENARIOS)[number];

/** A frame: an AG-UI event, or raw text (the `bad` scenario's broken frames). */
type Frame = AGUIEvent | { raw: string };

interface Thread {
  scenario: Scenario;
  /** Interrupts of the last run, still open: id → interrupt. */
  open: Map<string, Interrupt>;
  /** Interrupt ids answered already. */
  answered: Set<string>;
}

const encoder = new EventEncoder();

const usage = (input: number, output: number) => [
  { inputTokens: input, outputTokens: output, totalTokens: input + output },
];

const text = (messageId: string, words: string): AGUIEvent[] =>
  words.split(/(?<= )/).map((delta): AGUIEvent => ({ type: EventType.TEXT_MESSAGE_CONTENT, messageId, delta }));

/** The first run of a scenario. */
function firstRun(scenario: Scenario, threadId: string, runId: string): { frames: Frame[]; interrupts: Interrupt[] } {
  const started: AGUIEvent = { type: EventType.RUN_STARTED, threadId, runId };
  if (scenario === 'failing') {
    return {
      frames: [
        started,
        { type: EventType.STEP_STARTED, stepName: 'connect' },
        {
          type: EventType.RUN_ERROR,
          message: 'the model provider is unavailable',
          code: 'provider_unavailable',
        },
      ],
      interrupts: [],
    };
  }
  if (scenario === 'bad') {
    return {
      frames: [
        started,
        { type: EventType.CUSTOM, name: 'progress-hint', value: { phase: 'warming up' } },
        { type: EventType.RAW, event: { provider: 'acme', kind: 'keepalive' }, source: 'acme' },
        { raw: `data: ${JSON.stringify({ type: 'SOMETHING_NEW', detail: 'from a newer AG-UI' })}\n\n` },
        { raw: 'data: {not json\n\n' },
        { raw: `data: ${JSON.stringify({ type: 'TEXT_MESSAGE_CONTENT', messageId: 'ghost', delta: 'boo' })}\n\n` },
        { type: EventType.TEXT_MESSAGE_START, messageId: 'm1', role: 'assistant' },
        ...text('m1', 'Still here: '),
        {
          type: EventType.TOOL_CALL_START,
          toolCallId: 't1',
          toolCallName: 'lookup',
          parentMessageId: 'm1',
        },
        ...text('m1', 'text and tool events may interleave. '),
        { type: EventType.TOOL_CALL_ARGS, toolCallId: 't1', delta: '{"q":"ag-ui"}' },
        { type: EventType.TOOL_CALL_END, toolCallId: 't1' },
        { type: EventType.TOOL_CALL_RESULT, messageId: 'r1', toolCallId: 't1', content: 'found 3 pages' },
        { type: EventType.TEXT_MESSAGE_END, messageId: 'm1' },
        { type: EventType.RUN_FINISHED, threadId, runId, outcome: { type: 'success' } },
      ],
      interrupts: [],
    };
  }
  const deploy: Interrupt = {
    id: 'approve-deploy',
    reason: 'tool_approval',
    message: 'Deploy build #412 to production?',
    toolCallId: 'call-deploy',
  };
  const region: Interrupt = {
    id: 'pick-region',
    reason: 'input_required',
    message: 'Which region first?',
    responseSchema: { type: 'string', enum: ['eu-west', 'us-east'] },
  };
  const interrupts = scenario === 'two-interrupts' ? [deploy, region] : [deploy];
  return {
    frames: [
      started,
      { type: EventType.STATE_SNAPSHOT, snapshot: { plan: ['check the build', 'deploy'], done: [] } },
      { type: EventType.STEP_STARTED, stepName: 'plan' },
      { type: EventType.REASONING_START, messageId: 'think-1' },
      { type: EventType.REASONING_MESSAGE_START, messageId: 'think-1', role: 'reasoning' },
      ...['The user wants a deploy. ', 'Check the build first.'].map((delta): AGUIEvent => ({
        type: EventType.REASONING_MESSAGE_CONTENT,
        messageId: 'think-1',
        delta,
      })),
      { type: EventType.REASONING_MESSAGE_END, messageId: 'think-1' },
      { type: EventType.REASONING_END, messageId: 'think-1' },
      { type: EventType.TEXT_MESSAGE_START, messageId: 'msg-1', role: 'assistant' },
      ...text('msg-1', 'Checking the build first. '),
      {
        type: EventType.TOOL_CALL_START,
        toolCallId: 'call-check',
        toolCallName: 'check_build',
        parentMessageId: 'msg-1',
      },
      { type: EventType.TOOL_CALL_ARGS, toolCallId: 'call-check', delta: '{"branch":' },
      ...text('msg-1', 'It is on main. '),
      { type: EventType.TOOL_CALL_ARGS, toolCallId: 'call-check', delta: '"main"}' },
      { type: EventType.TOOL_CALL_END, toolCallId: 'call-check' },
      {
        type: EventType.TOOL_CALL_RESULT,
        messageId: 'result-check',
        toolCallId: 'call-check',
        content: '{"build":412,"status":"passed"}',
      },
      ...text('msg-1', 'Build #412 passed.'),
      { type: EventType.TEXT_MESSAGE_END, messageId: 'msg-1' },
      { type: EventType.STATE_DELTA, delta: [{ op: 'add', path: '/done/-', value: 'check the build' }] },
      { type: EventType.STEP_FINISHED, stepName: 'plan' },
      {
        type: EventType.TOOL_CALL_START,
        toolCallId: 'call-deploy',
        toolCallName: 'deploy',
        parentMessageId: 'msg-1',
      },
      {
        type: EventType.TOOL_CALL_ARGS,
        toolCallId: 'call-deploy',
        delta: '{"build":412,"env":"production"}',
      },
      { type: EventType.TOOL_CALL_END, toolCallId: 'call-deploy' },
      {
        type: EventType.RUN_FINISHED,
        threadId,
        runId,
        outcome: { type: 'interrupt', interrupts },
        usage: usage(120, 48),
      },
    ],
    interrupts,
  };
}

/** The run that resumes a thread with the answers. */
function resumedRun(threadId: string, runId: string, answers: Map<string, unknown>): Frame[] {
  const approval = answers.get('approve-deploy');
  const approved =
    typeof approval === 'object' && approval !== null && (approval as { approved?: unknown }).approved === true;
  const reason =
    typeof approval === 'object' && approval !== null && typeof (approval as { reason?: unknown }).reason === 'string'
      ? (approval as { reason: string }).reason
      : undefined;
  const region = answers.get('pick-region');
  const where = typeof region === 'string' ? ` in ${region}` : '';
  const frames: Frame[] = [{ type: EventType.RUN_STARTED, threadId, runId }];
  frames.push({ type: EventType.STEP_STARTED, stepName: 'deploy' });
  if (approved) {
    frames.push(
      {
        type: EventType.TOOL_CALL_RESULT,
        messageId: 'result-deploy',
        toolCallId: 'call-deploy',
        content: `{"deployed":412${where ? `,"region":"${String(region)}"` : ''}}`,
      },
      { type: EventType.STATE_DELTA, delta: [{ op: 'add', path: '/done/-', value: 'deploy' }] },
      { type: EventType.TEXT_MESSAGE_START, messageId: 'msg-2', role: 'assistant' },
      ...text('msg-2', `Deployed build #412 to production${where}.`),
      { type: EventType.TEXT_MESSAGE_END, messageId: 'msg-2' },
    );
  } else {
    frames.push(
      {
        type: EventType.TOOL_CALL_RESULT,
        messageId: 'result-deploy',
        toolCallId: 'call-deploy',
        content: `denied${reason ? `: ${reason}` : ''}`,
      },
      { type: EventType.TEXT_MESSAGE_START, messageId: 'msg-2', role: 'assistant' },
      ...text('msg-2', 'Understood: nothing was deployed.'),
      { type: EventType.TEXT_MESSAGE_END, messageId: 'msg-2' },
    );
  }
  frames.push(
    { type: EventType.STEP_FINISHED, stepName: 'deploy' },
    {
      type: EventType.RUN_FINISHED,
      threadId,
      runId,
      outcome: { type: 'success' },
      result: { deployed: approved },
      usage: usage(40, 12),
    },
  );
  return frames;
}

/** The messages of frames, folded from their TEXT_MESSAGE_CONTENT deltas. */
const textsOf = (frames: readonly Frame[]): string[] =>
  foldTexts(
    frames.flatMap((frame) =>
      'type' in frame && frame.type === EventType.TEXT_MESSAGE_CONTENT ? [[frame.messageId, frame.delta] as const] : [],
    ),
  );

/** What the `agent` scenario says (the frames it plays, folded): before its interrupt, and after it is resumed. */
export function agUiAgentTranscript(): Transcript {
  const answered = (approved: boolean): string[] =>
    textsOf(resumedRun('thread', 'run-2', new Map([['approve-deploy', { approved }]])));
  return {
    asked: textsOf(firstRun('agent', 'thread', 'run-1').frames),
    approved: answered(true),
    denied: answered(false),
  };
}

/** The AG-UI agent's routes. */
export class AgUiAgent {
  private readonly threads = new Map<string, Thread>();

  /** The agent's route: `POST` a RunAgentInput; and its scenarios' transcripts. */
  routes(): Route[] {
    return [
      { method: 'POST', template: AG_UI_AGENT_PATH, handle: (ctx) => this.run(ctx) },
      transcriptRoute('ag-ui', { agent: agUiAgentTranscript }),
    ];
  }

  /** Forget every thread. */
  close(): void {
    this.threads.clear();
  }

  private async run(ctx: RouteContext): Promise<Reply> {
    const switches = switchesOf(ctx.request.url);
    const parsed = RunAgentInputSchema.safeParse(await readJsonObject(ctx.request));
    if (!parsed.success) throw new HttpError(400, 'invalid_run_agent_input', parsed.error.message.slice(0, 500));
    const input = parsed.data as RunAgentInput;
    const resume = input.resume ?? [];
    let thread = this.threads.get(input.threadId);
    let frames: Frame[];
    if (resume.length === 0) {
      const props = input.forwardedProps as { scenario?: unknown } | undefined;
      const wanted = typeof props?.scenario === 'string' ? props.scenario : 'agent';
      if (!(AG_UI_SCENARIOS as readonly string[]).includes(wanted))
        throw new HttpError(400, 'unknown_scenario', `no scenario ${JSON.stringify(wanted)}`);
      if (thread && thread.open.size > 0)
        throw new HttpError(409, 'interrupts_open', 'this thread has open interrupts: resume them first');
      thread = { scenario: wanted as Scenario, open: new Map(), answered: new Set() };
      this.threads.set(input.threadId, thread);
      const first = firstRun(thread.scenario, input.threadId, input.runId);
      for (const interrupt of first.interrupts) thread.open.set(interrupt.id, interrupt);
      frames = first.frames;
    } else {
      if (!thread) throw new HttpError(404, 'thread_not_found', `no thread ${JSON.stringify(input.threadId)}`);
      const answers = new Map<string, unknown>();
      for (const entry of resume) {
        if (thread.answered.has(entry.interruptId) || answers.has(entry.interruptId))
          throw new HttpError(409, 'interrupt_already_answered', `interrupt ${entry.interruptId} was already answered`);
        if (!thread.open.has(entry.interruptId))
          throw new HttpError(409, 'interrupt_not_open', `no open interrupt ${entry.interruptId}`);
        answers.set(entry.interruptId, entry.status === 'resolved' ? entry.payload : undefined);
      }
      const missing = [...thread.open.keys()].filter((id) => !answers.has(id));
      if (missing.length > 0)
        throw new HttpError(
          409,
          'interrupts_not_covered',
          `a resume must answer every open interrupt; missing: ${missing.join(', ')}`,
        );
      for (const id of answers.keys()) thread.answered.add(id);
      thread.open.clear();
      frames = resumedRun(input.threadId, input.runId, answers);
    }
    const log = new StreamLog();
    // Produced to the end whoever is reading; the answer follows the log (and is cut by the switches).
    void this.play(frames, log, switches.delayMs).catch((error: unknown) => {
      log.end();
      ctx.server.reportError(error, ctx.request);
    });
    return eventStreamReply(ctx, log, { cut: switches.cut, headers: { 'Content-Type': encoder.getContentType() } });
  }

  private async play(frames: readonly Frame[], log: StreamLog, delayMs: number): Promise<void> {
    for (const frame of frames) {
      if ('raw' in frame && typeof frame.raw === 'string') log.push(frame.raw);
      else log.push(encoder.encodeSSE(EventSchema.parse(frame)));
      await pause(delayMs);
    }
    log.end();
  }
}
