/**
 * An AI SDK chat backend, as its v7 docs write one: `POST /protocols/ai-sdk/api/chat` takes
 * `{id, messages, trigger, messageId}` (the messages validated with `ai`'s validateUIMessages),
 * runs `streamText` on `ai/test`'s MockLanguageModelV4 with a `deploy` tool that needs approval
 * (`toolApproval: {deploy: 'user-approval'}`), and answers with
 * `createUIMessageStreamResponse({stream: toUIMessageStream(...)})` — the UI message stream,
 * `x-vercel-ai-ui-message-stream: v1`, ending with `data: [DONE]`. The approval's answer arrives as
 * the AI SDK client sends it: the assistant message with the tool part `approval-responded`.
 *
 * Resumable like the AI SDK's resumable-stream guide: the active stream's frames are kept, `GET
 * …/api/chat/{id}/stream` replays them from the start and follows the rest (204 when none is
 * active; a finished stream stays replayable for REPLAY_GRACE_MS, as a resumable stream's TTL), and
 * `POST …/api/chat/{id}/stop` stops the work. The stream is produced to its end even when the
 * client is cut off.
 *
 * Scenario: `scenario` in the body — `agent` (default), `retry` (a step withdrawn with reset-step
 * and streamed again), `bad` (unknown chunk types, a transient and a kept data part, a malformed
 * frame, a delta for a text never started), `failing`. Query: `delay_ms`, `cut_after`, `end_after`.
 */
import {
  convertToModelMessages,
  createUIMessageStream,
  createUIMessageStreamResponse,
  isStepCount,
  simulateReadableStream,
  streamText,
  tool,
  toUIMessageStream,
  validateUIMessages,
  type UIMessage,
  type UIMessageChunk,
} from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { z } from 'zod';
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
import { transcriptRoute, type Transcript } from './transcript.ts';

/** What the test model's doStream is given (the prompt so far). */
type LanguageModelV4CallOptions = Parameters<MockLanguageModelV4['doStream']>[0];
/** One part of what the test model streams. */
type LanguageModelV4StreamPart =
  Awaited<ReturnType<MockLanguageModelV4['doStream']>>['stream'] extends ReadableStream<infer P> ? P : never;

/** Where the chat API lives (DefaultChatTransport's `api`, under the mock's prefix). */
export const AI_SDK_API_PATH = '/protocols/ai-sdk/api/chat';
/** How long a finished stream stays replayable. */
export const REPLAY_GRACE_MS = 30_000;

/** The scenarios this chat plays. */
export const AI_SDK_SCENARIOS = ['agent', 'retry', 'bad', 'failing'] as const;
type Scenario = (typeof AI_SDK_SCENARIOS)[number];

interface Chat {
  scenario: Scenario;
  /** The stream that can be resumed (null when none is active). */
  active: StreamLog | null;
  stop: AbortController | null;
  expiry: ReturnType<typeof setTimeout> | null;
  messages: number;
}

const usage = (input: number, output: number, reasoning = 0) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: output, text: output - reasoning, reasoning },
});

const words = (id: string, text: string): LanguageModelV4StreamPart[] => [
  { type: 'text-start', id },
  ...text.split(/(?<= )/).map((delta): LanguageModelV4StreamPart => ({ type: 'text-delta', id, delta })),
  { type: 'text-end', id },
];

const toolCall = (id: string, toolName: string, pieces: string[]): LanguageModelV4StreamPart[] => [
  { type: 'tool-input-start', id, toolName },
  ...pieces.map((delta): LanguageModelV4StreamPart => ({ type: 'tool-input-delta', id, delta })),
  { type: 'tool-input-end', id },
  { type: 'tool-call', toolCallId: id, toolName, input: pieces.join('') },
];

/** A tool's result as the model sees it (`execution-denied` when the approval was denied). */
interface ToolOutput {
  type: string;
  reason?: string;
}

/** The tool results the prompt holds, by tool name. */
function resultsOf(options: LanguageModelV4CallOptions): Map<string, ToolOutput> {
  const results = new Map<string, ToolOutput>();
  for (const message of options.prompt) {
    if (message.role !== 'tool') continue;
    for (const part of message.content) {
      if (part.type === 'tool-result') results.set(part.toolName, part.output);
    }
  }
  return results;
}

/** The model's next step in the `agent` scenario, from the tool results the prompt already holds. */
function agentStep(results: ReadonlyMap<string, ToolOutput>): LanguageModelV4StreamPart[] {
  const deploy = results.get('deploy');
  if (deploy) {
    const denied = deploy.type === 'execution-denied';
    return [
      ...words('t3', denied ? 'Understood: nothing was deployed.' : 'Deployed build #412 to production.'),
      { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(60, 12) },
    ];
  }
  if (results.has('check_build')) {
    return [
      ...words('t2', 'Build #412 passed. '),
      { type: 'source', sourceType: 'url', id: 'src-1', url: 'https://ci.example.com/builds/412', title: 'Build #412' },
      ...toolCall('call-deploy', 'deploy', ['{"build":412,', '"env":"production"}']),
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: usage(90, 30) },
    ];
  }
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'reasoning-start', id: 'r1' },
    { type: 'reasoning-delta', id: 'r1', delta: 'The user wants a deploy. ' },
    { type: 'reasoning-delta', id: 'r1', delta: 'Check the build first.' },
    { type: 'reasoning-end', id: 'r1' },
    ...words('t1', 'Checking the build first.'),
    ...toolCall('call-check', 'check_build', ['{"branch":', '"main"}']),
    { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: usage(120, 48, 8) },
  ];
}

/**
 * What the `agent` scenario says (the model's steps, folded): one message per step, as the UI
 * message stream's step holds its text parts. Before the approval the model checks the build,
 * then asks to deploy; after it the deploy tool's result is the answer's.
 */
export function aiSdkAgentTranscript(): Transcript {
  const step = (results: [string, ToolOutput][]): string =>
    agentStep(new Map(results))
      .flatMap((part) => (part.type === 'text-delta' ? [part.delta] : []))
      .join('');
  const checked: [string, ToolOutput] = ['check_build', { type: 'json' }];
  return {
    asked: [step([]), step([checked])],
    approved: [step([checked, ['deploy', { type: 'json' }]])],
    denied: [step([checked, ['deploy', { type: 'execution-denied' }]])],
  };
}

/** The AI SDK chat's routes. */
export class AiSdkChat {
  private readonly chats = new Map<string, Chat>();

  /** The chat's routes: `POST {api}`, `GET {api}/{id}/stream` (resume), `POST {api}/{id}/stop`; and the scenarios' transcripts. */
  routes(): Route[] {
    return [
      transcriptRoute('ai-sdk', { agent: aiSdkAgentTranscript }),
      { method: 'POST', template: AI_SDK_API_PATH, handle: (ctx) => this.post(ctx) },
      { method: 'GET', template: `${AI_SDK_API_PATH}/{id}/stream`, handle: (ctx) => this.resume(ctx) },
      { method: 'POST', template: `${AI_SDK_API_PATH}/{id}/stop`, handle: (ctx) => this.stop(ctx) },
    ];
  }

  /** Stop every chat's work and forget them. */
  close(): void {
    for (const chat of this.chats.values()) {
      chat.stop?.abort();
      if (chat.expiry) clearTimeout(chat.expiry);
    }
    this.chats.clear();
  }

  private follow(ctx: RouteContext, log: StreamLog, cut: StreamCut | null): StreamReply {
    return eventStreamReply(ctx, log, { cut, headers: { 'x-vercel-ai-ui-message-stream': 'v1' } });
  }

  private resume(ctx: RouteContext): Reply {
    const chat = this.chats.get(ctx.id);
    // No active stream: 204, as the AI SDK's resume endpoint answers.
    if (!chat?.active) return { kind: 'body', status: 204, headers: {}, body: '' };
    return this.follow(ctx, chat.active, null);
  }

  private async stop(ctx: RouteContext): Promise<Reply> {
    await readJsonObject(ctx.request);
    const chat = this.chats.get(ctx.id);
    chat?.stop?.abort();
    if (chat) chat.active = null;
    return jsonReply(200, { success: true });
  }

  private async post(ctx: RouteContext): Promise<Reply> {
    const switches = switchesOf(ctx.request.url);
    const body = await readJsonObject(ctx.request);
    const id = body['id'];
    if (typeof id !== 'string' || id === '') throw new HttpError(400, 'invalid_body', 'the body needs the chat "id"');
    let messages: UIMessage[];
    try {
      messages = await validateUIMessages({ messages: body['messages'] });
    } catch (error) {
      throw new HttpError(
        400,
        'invalid_messages',
        error instanceof Error ? error.message.slice(0, 500) : String(error),
      );
    }
    const wanted = typeof body['scenario'] === 'string' ? body['scenario'] : undefined;
    let chat = this.chats.get(id);
    if (!chat || wanted !== undefined) {
      const scenario = wanted ?? 'agent';
      if (!(AI_SDK_SCENARIOS as readonly string[]).includes(scenario))
        throw new HttpError(400, 'unknown_scenario', `no scenario ${JSON.stringify(scenario)}`);
      if (chat) this.retire(chat);
      chat = { scenario: scenario as Scenario, active: null, stop: null, expiry: null, messages: 0 };
      this.chats.set(id, chat);
    }
    // A new request clears the stream before it (the guide's "clear any previous active stream").
    this.retire(chat);
    const stop = new AbortController();
    const log = new StreamLog();
    chat.active = log;
    chat.stop = stop;
    const response = this.respond(chat, id, messages, switches.delayMs, stop.signal);
    const current = chat;
    // Recorded to the end whoever is reading (the resumable stream); replayable for a grace period after.
    this.record(response, log, current.scenario, switches.delayMs).then(
      () => {
        if (current.active === log)
          current.expiry = setTimeout(() => {
            if (current.active === log) current.active = null;
          }, REPLAY_GRACE_MS);
      },
      (error: unknown) => ctx.server.reportError(error, ctx.request),
    );
    return this.follow(ctx, log, switches.cut);
  }

  private retire(chat: Chat): void {
    if (chat.expiry) clearTimeout(chat.expiry);
    chat.expiry = null;
    chat.active = null;
  }

  /** Read the UI message stream's SSE bytes into frames (produced to the end whoever is reading). */
  private async record(response: Response, log: StreamLog, scenario: Scenario, delayMs: number): Promise<void> {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    let frames = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        let end = buffered.indexOf('\n\n');
        while (end >= 0) {
          log.push(buffered.slice(0, end + 2));
          frames++;
          // The `bad` scenario: a malformed frame and a delta for a text never started, among real ones.
          if (scenario === 'bad' && frames === 3) {
            log.push('data: {not json\n\n');
            log.push(`data: ${JSON.stringify({ type: 'text-delta', id: 'ghost', delta: 'boo' })}\n\n`);
          }
          buffered = buffered.slice(end + 2);
          end = buffered.indexOf('\n\n');
        }
        await pause(delayMs);
      }
    } finally {
      log.end();
    }
  }

  /** The scenario's UI message stream response, as a route handler of the AI SDK returns it. */
  private respond(chat: Chat, id: string, messages: UIMessage[], delayMs: number, signal: AbortSignal): Response {
    chat.messages++;
    const generateMessageId = (): string => `msg-${id}-${chat.messages}`;
    if (chat.scenario === 'retry' || chat.scenario === 'bad') {
      return createUIMessageStreamResponse({ stream: scripted(chat.scenario, generateMessageId(), delayMs) });
    }
    const model = new MockLanguageModelV4({
      doStream: (options) => {
        if (chat.scenario === 'failing') return Promise.reject(new Error('the model provider is unavailable'));
        return Promise.resolve({
          stream: simulateReadableStream({ chunks: agentStep(resultsOf(options)), chunkDelayInMs: delayMs || null }),
        });
      },
    });
    return createUIMessageStreamResponse({
      stream: createUIMessageStream({
        originalMessages: messages,
        generateId: generateMessageId,
        execute: async ({ writer }) => {
          const result = streamText({
            model,
            messages: await convertToModelMessages(messages),
            abortSignal: signal,
            stopWhen: isStepCount(5),
            tools: {
              check_build: tool({
                description: 'Check the CI build of a branch',
                inputSchema: z.object({ branch: z.string() }),
                execute: ({ branch }) => {
                  writer.write({ type: 'data-build', id: 'build-412', data: { branch, build: 412 } });
                  writer.write({ type: 'data-status', data: { text: 'reading the CI log' }, transient: true });
                  return { build: 412, status: 'passed' };
                },
              }),
              deploy: tool({
                description: 'Deploy a build',
                inputSchema: z.object({ build: z.number(), env: z.string() }),
                execute: ({ build, env }) => ({ deployed: build, env }),
              }),
            },
            toolApproval: { deploy: 'user-approval' },
          });
          writer.merge(
            toUIMessageStream({
              stream: result.stream,
              originalMessages: messages,
              generateMessageId,
              sendSources: true,
              messageMetadata: ({ part }) => (part.type === 'finish' ? { usage: part.totalUsage } : undefined),
            }),
          );
        },
      }),
    });
  }
}

/** A stream written chunk by chunk with the AI SDK's writer (what a custom route does for what streamText never emits). */
function scripted(scenario: 'retry' | 'bad', messageId: string, delayMs: number): ReadableStream<UIMessageChunk> {
  return createUIMessageStream({
    execute: async ({ writer }) => {
      const write = async (chunk: UIMessageChunk): Promise<void> => {
        writer.write(chunk);
        await pause(delayMs);
      };
      await write({ type: 'start', messageId });
      await write({ type: 'start-step' });
      if (scenario === 'retry') {
        await write({ type: 'text-start', id: 'a1' });
        await write({ type: 'text-delta', id: 'a1', delta: 'The answer is 4' });
        await write({ type: 'text-delta', id: 'a1', delta: '2, I thi' });
        // The provider failed mid-step; the step is retried and its partial output withdrawn.
        await write({ type: 'reset-step' });
        await write({ type: 'text-start', id: 'a2' });
        await write({ type: 'text-delta', id: 'a2', delta: 'The answer is 42.' });
        await write({ type: 'text-end', id: 'a2' });
      } else {
        await write({ type: 'data-progress', data: { pct: 10 }, transient: true });
        await write({ type: 'data-weather', id: 'w1', data: { city: 'Paris', celsius: 21 } });
        await write({ type: 'something-new', detail: 'from a newer AI SDK' } as unknown as UIMessageChunk);
        await write({ type: 'text-start', id: 'b1' });
        await write({ type: 'text-delta', id: 'b1', delta: 'Still here: ' });
        await write({ type: 'tool-input-start', toolCallId: 'c1', toolName: 'lookup' });
        await write({ type: 'text-delta', id: 'b1', delta: 'text and tool chunks may interleave.' });
        await write({ type: 'tool-input-delta', toolCallId: 'c1', inputTextDelta: '{"q":"ai"}' });
        await write({ type: 'tool-input-available', toolCallId: 'c1', toolName: 'lookup', input: { q: 'ai' } });
        await write({ type: 'tool-output-available', toolCallId: 'c1', output: 'found 3 pages' });
        await write({ type: 'text-end', id: 'b1' });
      }
      await write({ type: 'finish-step' });
      await write({ type: 'finish', finishReason: 'stop' });
    },
  });
}
