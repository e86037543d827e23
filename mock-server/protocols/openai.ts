/**
 * An OpenAI Responses endpoint: `POST /protocols/openai/v1/responses` with `stream: true` answers
 * with Responses streaming events — each typed with the `openai` package's own
 * `ResponseStreamEvent`, numbered by `sequence_number` from 0, framed `event: <type>` + `data:` —
 * for a model that reasons, calls MCP tools (arguments streamed, output in the item) and asks
 * for approval with an `mcp_approval_request`. The answer is the next response:
 * `previous_response_id` + an `mcp_approval_response` input item.
 *
 * Background responses (`background: true`) are kept: `GET …/v1/responses/{id}?stream=true
 * &starting_after=N` streams the events after N (a cut stream picks up exactly there), `POST
 * …/v1/responses/{id}/cancel` stops one. Others cannot be streamed again (400, as OpenAI answers).
 *
 * Scenario: `metadata.scenario` — `agent` (default), `function` (a function call whose arguments
 * stream; its output is the client's to give), `bad` (an unknown event type, a malformed frame, a
 * delta for an item never added), `incomplete`, `failing`. Query: `delay_ms`, `cut_after`, `end_after`.
 */
import type {
  Response as OpenAiResponse,
  ResponseStreamEvent,
  ResponseUsage,
} from 'openai/resources/responses/responses';
import {
  HttpError,
  jsonReply,
  type Reply,
  type Route,
  type RouteContext,
  type StreamReply,
} from '../../src/server/index.ts';
import { eventStreamReply, readJsonObject, switchesOf, type StreamCut } from './http.ts';
import { pause, StreamLog } from './stream-log.ts';
import { foldTexts, transcriptRoute, type Transcript } from './transcript.ts';

/** Where the Responses API lives (the OpenAI client's base URL is `…/protocols/openai/v1`). */
export const OPENAI_RESPONSES_PATH = '/protocols/openai/v1/responses';

/** The scenarios this endpoint plays. */
export const OPENAI_SCENARIOS = ['agent', 'function', 'bad', 'incomplete', 'failing'] as const;
type Scenario = (typeof OPENAI_SCENARIOS)[number];

/** A streaming event before it is numbered. */
type Unnumbered = ResponseStreamEvent extends infer E
  ? E extends ResponseStreamEvent
    ? Omit<E, 'sequence_number'>
    : never
  : never;
/** An event, or raw text (the `bad` scenario's broken frames). */
type Step = Unnumbered | { raw: string };

interface Stored {
  response: OpenAiResponse;
  log: StreamLog;
  background: boolean;
  stop: AbortController;
  scenario: Scenario;
  /** Approval requests of this response not answered yet. */
  approvals: Map<string, { name: string; arguments: string }>;
}

const usage = (input: number, output: number, reasoning = 0): ResponseUsage => ({
  input_tokens: input,
  input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
  output_tokens: output,
  output_tokens_details: { reasoning_tokens: reasoning },
  total_tokens: input + output,
});

/** Streamed text of a message item: added, the part, deltas (and annotations), done. */
function message(id: string, index: number, text: string, annotation?: { url: string; title: string }): Step[] {
  const pieces = text.split(/(?<= )/);
  const annotations = annotation
    ? [
        {
          type: 'url_citation' as const,
          url: annotation.url,
          title: annotation.title,
          start_index: 0,
          end_index: text.length,
        },
      ]
    : [];
  const done = { type: 'output_text' as const, text, annotations, logprobs: [] };
  return [
    {
      type: 'response.output_item.added',
      output_index: index,
      item: { id, type: 'message', role: 'assistant', status: 'in_progress', content: [] },
    },
    {
      type: 'response.content_part.added',
      item_id: id,
      output_index: index,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
    },
    ...pieces.map((delta): Step => ({
      type: 'response.output_text.delta',
      item_id: id,
      output_index: index,
      content_index: 0,
      delta,
      logprobs: [],
    })),
    ...(annotation
      ? [
          {
            type: 'response.output_text.annotation.added' as const,
            item_id: id,
            output_index: index,
            content_index: 0,
            annotation_index: 0,
            annotation: annotations[0]!,
          },
        ]
      : []),
    { type: 'response.output_text.done', item_id: id, output_index: index, content_index: 0, text, logprobs: [] },
    { type: 'response.content_part.done', item_id: id, output_index: index, content_index: 0, part: done },
    {
      type: 'response.output_item.done',
      output_index: index,
      item: { id, type: 'message', role: 'assistant', status: 'completed', content: [done] },
    },
  ];
}

/** An MCP call: added, arguments streamed, its output in the item's done. */
function mcpCall(id: string, index: number, name: string, args: string[], output: string, approvalId?: string): Step[] {
  const base = {
    id,
    type: 'mcp_call' as const,
    name,
    server_label: 'ci',
    ...(approvalId && { approval_request_id: approvalId }),
  };
  return [
    {
      type: 'response.output_item.added',
      output_index: index,
      item: { ...base, arguments: '', status: 'in_progress' },
    },
    { type: 'response.mcp_call.in_progress', item_id: id, output_index: index },
    ...args.map((delta): Step => ({
      type: 'response.mcp_call_arguments.delta',
      item_id: id,
      output_index: index,
      delta,
    })),
    { type: 'response.mcp_call_arguments.done', item_id: id, output_index: index, arguments: args.join('') },
    { type: 'response.mcp_call.completed', item_id: id, output_index: index },
    {
      type: 'response.output_item.done',
      output_index: index,
      item: { ...base, arguments: args.join(''), output, status: 'completed' },
    },
  ];
}

/** What the model does in a response: its output events, and the usage it ends with. */
function script(
  scenario: Scenario,
  answers: { approve: boolean; reason?: string } | null,
): { steps: Step[]; usage: ResponseUsage; end: 'completed' | 'failed' | 'incomplete' } {
  if (answers) {
    const steps = answers.approve
      ? [
          ...mcpCall(
            'mcp_deploy',
            0,
            'deploy',
            ['{"build":412,', '"env":"production"}'],
            '{"deployed":412}',
            'mcpr_deploy',
          ),
          ...message('msg_done', 1, 'Deployed build #412 to production.'),
        ]
      : message('msg_done', 0, 'Understood: nothing was deployed.');
    return { steps, usage: usage(60, 12), end: 'completed' };
  }
  switch (scenario) {
    case 'failing':
      return { steps: [], usage: usage(10, 0), end: 'failed' };
    case 'incomplete':
      return {
        steps: message('msg_partial', 0, 'The release notes begin with'),
        usage: usage(30, 16),
        end: 'incomplete',
      };
    case 'function': {
      const item = { id: 'fc_weather', type: 'function_call' as const, call_id: 'call_weather', name: 'get_weather' };
      return {
        steps: [
          {
            type: 'response.output_item.added',
            output_index: 0,
            item: { ...item, arguments: '', status: 'in_progress' },
          },
          ...['{"city":', '"Paris"}'].map((delta): Step => ({
            type: 'response.function_call_arguments.delta',
            item_id: 'fc_weather',
            output_index: 0,
            delta,
          })),
          {
            type: 'response.function_call_arguments.done',
            item_id: 'fc_weather',
            output_index: 0,
            arguments: '{"city":"Paris"}',
          },
          {
            type: 'response.output_item.done',
            output_index: 0,
            item: { ...item, arguments: '{"city":"Paris"}', status: 'completed' },
          },
        ],
        usage: usage(40, 10),
        end: 'completed',
      };
    }
    case 'bad':
      return {
        steps: [
          {
            raw: `event: response.something_new\ndata: ${JSON.stringify({ type: 'response.something_new', sequence_number: 2, detail: 'from a newer API' })}\n\n`,
          },
          { raw: 'data: {not json\n\n' },
          {
            raw: `event: response.output_text.delta\ndata: ${JSON.stringify({ type: 'response.output_text.delta', sequence_number: 4, item_id: 'ghost', output_index: 9, content_index: 0, delta: 'boo', logprobs: [] })}\n\n`,
          },
          ...message('msg_still', 0, 'Still here.'),
        ],
        usage: usage(20, 4),
        end: 'completed',
      };
    case 'agent':
      return {
        steps: [
          { type: 'response.output_item.added', output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [] } },
          {
            type: 'response.reasoning_summary_part.added',
            item_id: 'rs_1',
            output_index: 0,
            summary_index: 0,
            part: { type: 'summary_text', text: '' },
          },
          ...['The user wants a deploy. ', 'Check the build first.'].map((delta): Step => ({
            type: 'response.reasoning_summary_text.delta',
            item_id: 'rs_1',
            output_index: 0,
            summary_index: 0,
            delta,
          })),
          {
            type: 'response.reasoning_summary_text.done',
            item_id: 'rs_1',
            output_index: 0,
            summary_index: 0,
            text: 'The user wants a deploy. Check the build first.',
          },
          {
            type: 'response.reasoning_summary_part.done',
            item_id: 'rs_1',
            output_index: 0,
            summary_index: 0,
            part: { type: 'summary_text', text: 'The user wants a deploy. Check the build first.' },
          },
          {
            type: 'response.output_item.done',
            output_index: 0,
            item: {
              id: 'rs_1',
              type: 'reasoning',
              summary: [{ type: 'summary_text', text: 'The user wants a deploy. Check the build first.' }],
            },
          },
          {
            type: 'response.output_item.added',
            output_index: 1,
            item: { id: 'mcpl_1', type: 'mcp_list_tools', server_label: 'ci', tools: [] },
          },
          { type: 'response.mcp_list_tools.in_progress', item_id: 'mcpl_1', output_index: 1 },
          { type: 'response.mcp_list_tools.completed', item_id: 'mcpl_1', output_index: 1 },
          {
            type: 'response.output_item.done',
            output_index: 1,
            item: {
              id: 'mcpl_1',
              type: 'mcp_list_tools',
              server_label: 'ci',
              tools: [
                { name: 'check_build', input_schema: { type: 'object' } },
                { name: 'deploy', input_schema: { type: 'object' } },
              ],
            },
          },
          ...mcpCall('mcp_check', 2, 'check_build', ['{"branch":', '"main"}'], '{"build":412,"status":"passed"}'),
          ...message('msg_1', 3, 'Build #412 passed. Deploying needs your approval.', {
            url: 'https://ci.example.com/builds/412',
            title: 'Build #412',
          }),
          {
            type: 'response.output_item.added',
            output_index: 4,
            item: {
              id: 'mcpr_deploy',
              type: 'mcp_approval_request',
              name: 'deploy',
              server_label: 'ci',
              arguments: '{"build":412,"env":"production"}',
            },
          },
          {
            type: 'response.output_item.done',
            output_index: 4,
            item: {
              id: 'mcpr_deploy',
              type: 'mcp_approval_request',
              name: 'deploy',
              server_label: 'ci',
              arguments: '{"build":412,"env":"production"}',
            },
          },
        ],
        usage: usage(120, 48, 8),
        end: 'completed',
      };
  }
}

/** The messages a response's script streams, folded from its `output_text.delta` events. */
const textsOf = (steps: readonly Step[]): string[] =>
  foldTexts(
    steps.flatMap((step) =>
      'type' in step && step.type === 'response.output_text.delta' ? [[step.item_id, step.delta] as const] : [],
    ),
  );

/** What the `agent` scenario says (the events it plays, folded): the first response, and the one answering its approval request. */
export function openAiAgentTranscript(): Transcript {
  return {
    asked: textsOf(script('agent', null).steps),
    approved: textsOf(script('agent', { approve: true }).steps),
    denied: textsOf(script('agent', { approve: false }).steps),
  };
}

/** The OpenAI Responses routes. */
export class OpenAiResponses {
  private readonly responses = new Map<string, Stored>();
  private count = 0;

  /** The routes: `POST {responses}`, `GET {responses}/{id}` (`?stream=true` streams it again), `POST {responses}/{id}/cancel`; and the scenarios' transcripts. */
  routes(): Route[] {
    return [
      { method: 'POST', template: OPENAI_RESPONSES_PATH, handle: (ctx) => this.create(ctx) },
      { method: 'GET', template: `${OPENAI_RESPONSES_PATH}/{id}`, handle: (ctx) => this.retrieve(ctx) },
      { method: 'POST', template: `${OPENAI_RESPONSES_PATH}/{id}/cancel`, handle: (ctx) => this.cancel(ctx) },
      transcriptRoute('openai-responses', { agent: openAiAgentTranscript }),
    ];
  }

  /** Stop every response and forget them. */
  close(): void {
    for (const stored of this.responses.values()) stored.stop.abort();
    this.responses.clear();
  }

  private follow(ctx: RouteContext, log: StreamLog, from: number, cut: StreamCut | null): StreamReply {
    return eventStreamReply(ctx, log, { from, cut });
  }

  private async create(ctx: RouteContext): Promise<Reply> {
    const switches = switchesOf(ctx.request.url);
    const body = await readJsonObject(ctx.request);
    if (body['stream'] !== true)
      throw new HttpError(400, 'invalid_request', 'this endpoint only streams: send "stream": true');
    const model = typeof body['model'] === 'string' ? body['model'] : 'gpt-mock';
    const background = body['background'] === true;
    const previousId = typeof body['previous_response_id'] === 'string' ? body['previous_response_id'] : undefined;
    let scenario: Scenario;
    let answers: { approve: boolean; reason?: string } | null = null;
    if (previousId !== undefined) {
      const previous = this.responses.get(previousId);
      if (!previous) throw new HttpError(404, 'response_not_found', `no response ${previousId}`);
      scenario = previous.scenario;
      answers = this.approvals(previous, body['input']);
    } else {
      const metadata = body['metadata'];
      const wanted =
        typeof metadata === 'object' &&
        metadata !== null &&
        typeof (metadata as { scenario?: unknown }).scenario === 'string'
          ? (metadata as { scenario: string }).scenario
          : 'agent';
      if (!(OPENAI_SCENARIOS as readonly string[]).includes(wanted))
        throw new HttpError(400, 'unknown_scenario', `no scenario ${JSON.stringify(wanted)}`);
      scenario = wanted as Scenario;
    }
    const id = `resp_${(++this.count).toString(36)}${Date.now().toString(36)}`;
    const response: OpenAiResponse = {
      id,
      object: 'response',
      created_at: Math.floor(Date.now() / 1000),
      model,
      status: 'in_progress',
      background,
      output: [],
      output_text: '',
      error: null,
      incomplete_details: null,
      instructions: null,
      metadata: null,
      parallel_tool_calls: true,
      temperature: null,
      tool_choice: 'auto',
      tools: [],
      top_p: null,
      access_programs: null,
      previous_response_id: previousId ?? null,
    };
    const stored: Stored = {
      response,
      log: new StreamLog(),
      background,
      stop: new AbortController(),
      scenario,
      approvals: new Map(),
    };
    this.responses.set(id, stored);
    // Played to the end whoever is reading (a background response goes on after a cut).
    this.play(stored, script(scenario, answers), switches.delayMs).catch((error: unknown) => {
      stored.log.end();
      ctx.server.reportError(error, ctx.request);
    });
    return this.follow(ctx, stored.log, 0, switches.cut);
  }

  /** The approvals a continuation answers: each an open request of the previous response, once. */
  private approvals(previous: Stored, input: unknown): { approve: boolean; reason?: string } {
    const items = Array.isArray(input) ? input : [];
    let decision: { approve: boolean; reason?: string } | null = null;
    for (const item of items) {
      if (typeof item !== 'object' || item === null || (item as { type?: unknown }).type !== 'mcp_approval_response')
        continue;
      const {
        approval_request_id: requestId,
        approve,
        reason,
      } = item as { approval_request_id?: unknown; approve?: unknown; reason?: unknown };
      if (typeof requestId !== 'string' || typeof approve !== 'boolean')
        throw new HttpError(400, 'invalid_request', 'an mcp_approval_response needs approval_request_id and approve');
      if (!previous.approvals.delete(requestId))
        throw new HttpError(
          400,
          'invalid_approval',
          `approval request ${requestId} is not open (already answered, or never asked)`,
        );
      decision = { approve, ...(typeof reason === 'string' && { reason }) };
    }
    if (!decision)
      throw new HttpError(400, 'invalid_request', 'a continuation needs an mcp_approval_response input item');
    return decision;
  }

  private async play(stored: Stored, plan: ReturnType<typeof script>, delayMs: number): Promise<void> {
    const { response, log } = stored;
    let sequence = 0;
    const emit = (event: Unnumbered): void => {
      const numbered = { ...event, sequence_number: sequence++ };
      log.push(`event: ${numbered.type}\ndata: ${JSON.stringify(numbered)}\n\n`);
    };
    const snapshot = (): OpenAiResponse => ({ ...response, output: [...response.output] });
    emit({ type: 'response.created', response: snapshot() });
    await pause(delayMs);
    emit({ type: 'response.in_progress', response: snapshot() });
    for (const step of plan.steps) {
      if (stored.stop.signal.aborted) break;
      await pause(delayMs);
      if ('raw' in step) {
        log.push(step.raw);
        sequence++;
        continue;
      }
      emit(step);
      if (step.type === 'response.output_item.done') {
        response.output.push(step.item);
        if (step.item.type === 'mcp_approval_request')
          stored.approvals.set(step.item.id, { name: step.item.name, arguments: step.item.arguments });
      }
    }
    await pause(delayMs);
    if (stored.stop.signal.aborted) {
      response.status = 'cancelled';
      log.end();
      return;
    }
    response.usage = plan.usage;
    if (plan.end === 'failed') {
      response.status = 'failed';
      response.error = { code: 'server_error', message: 'the model provider is unavailable' };
      emit({ type: 'response.failed', response: snapshot() });
    } else if (plan.end === 'incomplete') {
      response.status = 'incomplete';
      response.incomplete_details = { reason: 'max_output_tokens' };
      emit({ type: 'response.incomplete', response: snapshot() });
    } else {
      response.status = 'completed';
      emit({ type: 'response.completed', response: snapshot() });
    }
    log.end();
  }

  private retrieve(ctx: RouteContext): Reply {
    const { id } = ctx;
    const url = ctx.request.url;
    const stored = this.responses.get(id);
    if (!stored) throw new HttpError(404, 'response_not_found', `no response ${id}`);
    if (url.searchParams.get('stream') !== 'true') {
      return jsonReply(200, stored.response);
    }
    if (!stored.background)
      throw new HttpError(
        400,
        'invalid_request',
        'only responses created with "background": true can be streamed again',
      );
    const after = Number(url.searchParams.get('starting_after') ?? '-1');
    if (!Number.isSafeInteger(after) || after < -1)
      throw new HttpError(400, 'invalid_request', 'starting_after must be an integer');
    return this.follow(ctx, stored.log, after + 1, switchesOf(url).cut);
  }

  private cancel({ id }: RouteContext): Reply {
    const stored = this.responses.get(id);
    if (!stored) throw new HttpError(404, 'response_not_found', `no response ${id}`);
    if (!stored.background) throw new HttpError(400, 'invalid_request', 'only background responses can be cancelled');
    stored.stop.abort();
    if (stored.response.status === 'in_progress' || stored.response.status === 'queued')
      stored.response.status = 'cancelled';
    return jsonReply(200, stored.response);
  }
}
