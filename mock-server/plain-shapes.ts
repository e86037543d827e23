/**
 * The "plain server" dialect: the common tutorial REST + SSE + WebSocket shapes, without seq or
 * run_id, produced from the same run events. Deliberately NOT agentwire's wire format: it is
 * what servers that never heard of us send, so the client's compatibility paths get exercised.
 */
import type { RunSnapshot, RunState, SequencedEvent } from '../src/protocol/index.ts';

/** Task statuses of the plain REST API. */
export type PlainStatus = 'queued' | 'running' | 'done' | 'failed';

/** `GET /plain/tasks/:id`. */
export interface PlainTask {
  task_id: string;
  status: PlainStatus;
  progress: number;
  result: unknown;
}

/** Map a run state onto the four statuses plain task APIs use. */
export function plainStatus(state: RunState): PlainStatus {
  switch (state) {
    case 'queued':
    case 'running':
    case 'done':
    case 'failed':
      return state;
    case 'waiting':
      return 'running';
    case 'cancelled':
      return 'failed';
  }
}

/** The plain task JSON of a run. */
export function plainTask(snapshot: RunSnapshot): PlainTask {
  return {
    task_id: snapshot.run_id,
    status: plainStatus(snapshot.state),
    progress: snapshot.progress.pct ?? 0,
    result: snapshot.result?.result ?? null,
  };
}

function frame(name: string | undefined, data: Record<string, unknown>): string {
  return `${name === undefined ? '' : `event: ${name}\n`}data: ${JSON.stringify(data)}\n\n`;
}

/**
 * A run event as a plain SSE frame: the event name carries the type, the JSON has no type/seq,
 * no `id:` lines; tokens go on the default event as `{"type":"token","content":…}`.
 * Undefined for events plain servers do not send.
 */
export function plainSseFrame(event: SequencedEvent, taskId: string): string | undefined {
  switch (event.type) {
    case 'status':
      return event.state === 'waiting' ? undefined : frame('status', { task_id: taskId, status: event.state });
    case 'progress':
      return frame('progress', {
        task_id: taskId,
        progress: event.pct ?? 0,
        ...(event.message !== undefined && { message: event.message }),
      });
    case 'token':
      return frame(undefined, { type: 'token', content: event.content });
    case 'log':
      return frame('log', { level: event.level, message: event.message });
    case 'step':
      return event.state === 'finished' ? undefined : frame('step', { name: event.name });
    case 'tool_call':
      return frame('tool_call', { name: event.name, args: event.args });
    case 'tool_result':
      return frame('tool_result', { summary: event.summary });
    case 'need_input':
      return frame('need_input', { prompt: event.prompt, resume_token: event.resume_token });
    case 'error':
      return frame('error', { message: event.message, ...(event.code !== undefined && { code: event.code }) });
    case 'done':
      return frame('done', event.state === 'completed' ? { result: event.result ?? 'ok' } : { state: event.state });
    case 'input_accepted':
    case 'unknown':
      return undefined;
  }
}

/** The first message of a plain WebSocket. */
export const PLAIN_WS_HELLO = JSON.stringify({ type: 'status', state: 'connected' });

/** A run event as a plain WebSocket message (no seq, no run_id, no call_id); undefined for events plain servers do not send. */
export function plainWsMessage(event: SequencedEvent): string | undefined {
  switch (event.type) {
    case 'status':
      return JSON.stringify({ type: 'status', state: event.state });
    case 'progress':
      return JSON.stringify({
        type: 'progress',
        pct: event.pct ?? 0,
        ...(event.message !== undefined && { message: event.message }),
      });
    case 'token':
      return JSON.stringify({ type: 'token', content: event.content });
    case 'log':
      return JSON.stringify({ type: 'log', level: event.level, message: event.message });
    case 'step':
      return event.state === 'finished' ? undefined : JSON.stringify({ type: 'step', name: event.name });
    case 'tool_call':
      return JSON.stringify({ type: 'tool_call', name: event.name, args: event.args });
    case 'tool_result':
      return JSON.stringify({ type: 'tool_result', summary: event.summary });
    case 'need_input':
      return JSON.stringify({ type: 'need_input', prompt: event.prompt, resume_token: event.resume_token });
    case 'error':
      return JSON.stringify({
        type: 'error',
        message: event.message,
        ...(event.code !== undefined && { code: event.code }),
      });
    case 'done':
      return JSON.stringify(
        event.state === 'completed'
          ? { type: 'done', result: event.result ?? 'ok' }
          : { type: 'done', state: event.state },
      );
    case 'input_accepted':
    case 'unknown':
      return undefined;
  }
}

/** A refused command on a plain WebSocket (plain servers answer with an error message). */
export function plainWsError(code: string, message: string): string {
  return JSON.stringify({ type: 'error', code, message });
}
