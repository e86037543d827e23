/**
 * Commands back to the server, and the tracking of a reply in the store. A reply is confirmed by
 * the server (a 2xx on POST, or the sequenced `input_accepted` event) or shown as rejected /
 * undelivered; it is never queued and replayed after a reconnect.
 */
import { MAX_REPLY_TEXT_LENGTH } from '../protocol/index.ts';
import type { ReplyState, RunStore } from '../store/index.ts';
import { TransportError, toTransportError } from './errors.ts';
import { request } from './http.ts';
import { runUrl, type TransportContext } from './context.ts';

/** The REST command endpoints of a run. */
export type CommandContext = Pick<TransportContext, 'baseUrl' | 'runId' | 'paths' | 'headers'>;

/** POST an answer to `input`. Resolves on 2xx; 409/400 reject as `rejected`, other failures as they are. */
export async function postReply(
  context: CommandContext,
  text: string,
  resumeToken: string,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await request({
      url: runUrl(context, 'input'),
      method: 'POST',
      headers: context.headers,
      json: { text, resume_token: resumeToken },
      signal,
    });
  } catch (error) {
    throw asRejection(error);
  }
}

/** POST to `cancel`: stop the run on the server. */
export async function postCancel(context: CommandContext, signal?: AbortSignal): Promise<void> {
  try {
    await request({ url: runUrl(context, 'cancel'), method: 'POST', headers: context.headers, json: {}, signal });
  } catch (error) {
    throw asRejection(error);
  }
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

/**
 * Send a reply and track it in the store: `sending` → (`sent`) → `accepted`, or `rejected` /
 * `undelivered` with the typed error, which `trackReply` also rejects with. `send` resolves when
 * the server confirmed the reply; it may call `sent()` once the reply left without confirmation yet,
 * and resolve with `'sent'` when no confirmation can come (a plain server sends none).
 */
export async function trackReply(
  store: RunStore,
  text: string,
  resumeToken: string,
  send: (sent: () => void) => Promise<void | 'sent'>,
): Promise<void> {
  const update = (status: ReplyState['status'], error: TransportError | null = null): void => {
    const current = store.$state.get().reply;
    if (current?.resumeToken !== resumeToken || current.status === 'accepted') return;
    store.setReply({ resumeToken, text, status, error });
  };
  store.setReply({ resumeToken, text, status: 'sending', error: null });
  try {
    if (text.length > MAX_REPLY_TEXT_LENGTH) {
      throw new TransportError('rejected', `a reply may be at most ${MAX_REPLY_TEXT_LENGTH} characters`, {
        status: 413,
      });
    }
    if ((await send(() => update('sent'))) === 'sent') {
      update('sent');
      return;
    }
  } catch (thrown) {
    // The sequenced input_accepted may have confirmed it even though this path failed.
    const current = store.$state.get().reply;
    if (current?.resumeToken === resumeToken && current.status === 'accepted') return;
    const error = toTransportError(thrown);
    const undelivered = error.code !== 'rejected';
    const typed =
      undelivered && error.code !== 'not_delivered'
        ? new TransportError('not_delivered', `reply not delivered: ${error.message}`, {
            ...(error.status !== undefined && { status: error.status }),
            retryable: error.retryable,
            cause: error,
          })
        : error;
    update(undelivered ? 'undelivered' : 'rejected', typed);
    throw typed;
  }
  update('accepted');
}
