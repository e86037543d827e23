/**
 * Commands back to the server over REST. A reply is sent once: a 2xx answer is the server
 * accepting it; it is never queued or replayed after a reconnect (the run API's ReplyTracker
 * tracks what became of it).
 */
import { TransportError, toTransportError } from './errors.ts';
import { request } from './http.ts';
import { runUrl, type TransportContext } from './context.ts';
import { tapAck } from './tap.ts';
import type { Answer, ReplyAck } from './types.ts';

/** The REST command endpoints of a run (and the wire tap, when one observes them). */
export type CommandContext = Pick<TransportContext, 'baseUrl' | 'runId' | 'paths' | 'headers'> &
  Partial<Pick<TransportContext, 'tap'>>;

/**
 * POST an answer to `input` (`{text, resume_token, value?}`; no resume_token for a request the
 * server gave none). Resolves `accepted` on 2xx; 4xx rejects as `rejected`, other failures as they are.
 */
export function postReply(context: CommandContext, answer: Answer, signal?: AbortSignal): Promise<ReplyAck> {
  return tapped(context, 'user_reply', async () => {
    try {
      await request({
        url: runUrl(context, 'input'),
        method: 'POST',
        headers: context.headers,
        json: replyBody(answer),
        signal,
        tap: { tap: context.tap, plane: 'command' },
      });
      return 'accepted' as const;
    } catch (error) {
      throw asRejection(error);
    }
  });
}

/** POST to `cancel`: stop the run on the server. */
export function postCancel(context: CommandContext, signal?: AbortSignal): Promise<void> {
  return tapped(context, 'cancel', async () => {
    try {
      await request({
        url: runUrl(context, 'cancel'),
        method: 'POST',
        headers: context.headers,
        json: {},
        signal,
        tap: { tap: context.tap, plane: 'command' },
      });
    } catch (error) {
      throw asRejection(error);
    }
  });
}

/** Run a command, telling the tap (if any) what became of it. */
function tapped<T>(context: CommandContext, command: 'user_reply' | 'cancel', send: () => Promise<T>): Promise<T> {
  return context.tap ? tapAck(context.tap, 'command', command, send()) : send();
}

/** The JSON of an answer: its text, the request's resume token (unless made up on the client), its value. */
export function replyBody({ request, text, value }: Answer): { text: string; resume_token?: string; value?: unknown } {
  return {
    text,
    ...(request.local_token !== true && { resume_token: request.resume_token }),
    ...(value !== undefined && { value }),
  };
}

/** A 4xx answer to a command is the server refusing it. */
function asRejection(error: unknown): TransportError {
  const typed = toTransportError(error);
  if (typed.code !== 'http_status' || typed.status === undefined || typed.status >= 500 || typed.retryable)
    return typed;
  return new TransportError('rejected', typed.message, {
    status: typed.status,
    ...(typed.serverCode !== undefined && { serverCode: typed.serverCode }),
    cause: typed,
  });
}
