/**
 * The one owner of the user's answers: every reply's status is written here and nowhere else.
 * Modelled on Lit's `@lit/task` (one object owns status, the in-flight send and the stale-result
 * guard): a send goes out once through a transport, which only sends and reports the server's
 * acknowledgement; the server's own confirmation (`input_accepted`, also replayed after a
 * reconnect or found in a snapshot) settles a reply whichever way it arrived. Nothing is queued
 * or re-sent.
 */
import { computed, atom, type ReadableAtom } from 'nanostores';
import { MAX_REPLY_TEXT_LENGTH } from '../protocol/index.ts';
import type { RunStore, TypedError } from '../store/index.ts';
import { TransportError, toTransportError } from '../transports/errors.ts';
import type { ReplyAck } from '../transports/index.ts';

/**
 * Where an answer stands: on its way (`sending`), taken by a server that never confirms (`sent`),
 * confirmed (`accepted`), refused (`rejected`), or lost on the way (`undelivered`: it may still be
 * confirmed if the server had taken it).
 */
export type ReplyStatus = 'sending' | 'sent' | 'accepted' | 'rejected' | 'undelivered';

/** The user's answer to one request, tracked until the server confirms it. */
export interface ReplyState {
  /** The request it answers. */
  readonly resumeToken: string;
  /** What was answered. */
  readonly text: string;
  /** The structured answer, when one was given. */
  readonly value?: unknown;
  /** Where the reply stands (see ReplyStatus). */
  readonly status: ReplyStatus;
  /**
   * Why the answer was refused or not delivered: a TransportError for a connected run, or the typed
   * error a local run's `reply` rejected with (its code may be the host's own).
   */
  readonly error: TypedError<string> | null;
}

/** What the tracker keeps of an answer. */
export interface TrackedAnswer {
  readonly text: string;
  readonly value?: unknown;
}

/** Every tracked answer of a run, by the resume token of the request it answers. */
export type Replies = ReadonlyMap<string, ReplyState>;

/** Tracks a run's answers. */
export interface ReplyTracker {
  /** Every answer sent, by resume token; a confirmation from the server shows as `accepted`. */
  readonly $replies: ReadableAtom<Replies>;
  /**
   * Send `answer` to the request `resumeToken` through `send` (once), and track it. Resolves once
   * the server took it; rejects with the TransportError (`rejected` or `not_delivered`) otherwise.
   * A newer send for the same request supersedes an older one still on its way.
   */
  send(resumeToken: string, answer: TrackedAnswer, send: () => Promise<ReplyAck>): Promise<void>;
}

/** Create the reply tracker of one run (its store supplies the server's confirmations). */
export function createReplyTracker(store: RunStore): ReplyTracker {
  const $sent = atom<Replies>(new Map());
  /** The latest send per request (the stale-result guard). */
  const latest = new Map<string, number>();
  let sends = 0;

  const write = (attempt: number, reply: ReplyState): void => {
    if (latest.get(reply.resumeToken) !== attempt) return;
    const next = new Map($sent.get());
    next.set(reply.resumeToken, reply);
    $sent.set(next);
  };

  // The server's confirmations win over what this client saw of its own send.
  const $replies = computed([$sent, store.$accepted], (sent, accepted) => {
    let confirmed: Map<string, ReplyState> | null = null;
    for (const [token, reply] of sent) {
      if (reply.status === 'accepted' || !accepted.has(token)) continue;
      confirmed ??= new Map(sent);
      confirmed.set(token, { ...reply, status: 'accepted', error: null });
    }
    return confirmed ?? sent;
  });

  return {
    $replies,
    async send(resumeToken, answer, send) {
      const { text } = answer;
      const fields = { resumeToken, text, ...(answer.value !== undefined && { value: answer.value }) };
      if (store.$state.get().accepted.has(resumeToken)) {
        throw new TransportError('rejected', 'this request was already answered', { status: 409 });
      }
      const attempt = ++sends;
      latest.set(resumeToken, attempt);
      write(attempt, { ...fields, status: 'sending', error: null });
      let ack: ReplyAck;
      try {
        if (text.length > MAX_REPLY_TEXT_LENGTH) {
          throw new TransportError('rejected', `a reply may be at most ${MAX_REPLY_TEXT_LENGTH} characters`, {
            status: 413,
          });
        }
        ack = await send();
      } catch (thrown) {
        const error =
          isTypedError(thrown) && !(thrown instanceof TransportError) ? thrown : notDelivered(toTransportError(thrown));
        write(attempt, { ...fields, status: error.code === 'not_delivered' ? 'undelivered' : 'rejected', error });
        // The server may have confirmed it on another path meanwhile (input_accepted over the socket
        // while the POST failed): then it was delivered after all.
        if (store.$state.get().accepted.has(resumeToken)) return;
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a local run's own typed error goes back as the host gave it
        throw error;
      }
      write(attempt, { ...fields, status: ack === 'accepted' ? 'accepted' : 'sent', error: null });
      if (ack === 'delivered') store.settleDelivered(resumeToken);
    },
  };
}

/** An error object with a string `code` and `message` (kept as it is). */
function isTypedError(value: unknown): value is TypedError<string> {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string';
}

/** A failure that is not the server refusing the answer means the answer did not (surely) arrive. */
function notDelivered(error: TransportError): TransportError {
  if (error.code === 'rejected' || error.code === 'not_delivered') return error;
  return new TransportError('not_delivered', `reply not delivered: ${error.message}`, {
    ...(error.status !== undefined && { status: error.status }),
    retryable: error.retryable,
    cause: error,
  });
}
