/**
 * How a stream session takes a person's answer, the same for every protocol that resumes with a new
 * request (AG-UI, the AI SDK, OpenAI Responses): refuse what was answered or is on its way, check the
 * answer fits, gather it with the other open requests' answers ({@link AnswerBatch}), hold the set
 * while the current stream is open, then send it. The store learns each answer once (`input_accepted`),
 * when it was taken and held, or when the server took it.
 */
import type { RunEvent } from '../../protocol/index.ts';
import type { AnswerPlan, ProtocolAnswer, ProtocolRequest } from '../types.ts';
import { AnswerBatch } from './batch.ts';
import type { Stamper } from './stamp.ts';

/** What a session says in its refusals and how it sends a complete set of answers. */
export interface AnswerWords {
  /** What a request is called in this protocol ("approval", "interrupt"…), for refusal messages. */
  readonly noun: string;
  /** Why this answer does not fit its request (e.g. not a decision for an approval), or undefined. */
  readonly unfit?: (answer: ProtocolAnswer) => string | undefined;
  /** The request that carries a complete set of answers back. */
  readonly request: (answers: readonly ProtocolAnswer[]) => ProtocolRequest;
}

/** A session's answers: the open requests' batch, and a complete set waiting for the open stream to end. */
export interface AnswerFlow {
  /** The run's open requests and the answers given so far. */
  readonly batch: AnswerBatch;
  /** Take an answer (see {@link AnswerPlan}); `streamOpen` holds a complete set until the stream ends. */
  plan(answer: ProtocolAnswer, streamOpen: boolean): AnswerPlan;
  /** A complete set held while the stream was open, now to be sent (taken: asked again it is null). */
  takeWaiting(): readonly ProtocolAnswer[] | null;
  /** The server took answers that were sent: what the store learns (those not confirmed when held). */
  answered(answers: readonly ProtocolAnswer[]): RunEvent[];
  /** Answers that were sent did not arrive: those not confirmed may be given again. */
  unsent(answers: readonly ProtocolAnswer[]): void;
  /**
   * The stream itself says request `token` was answered (e.g. by another tab): true the first time,
   * when the store should learn it; false when it already did.
   */
  confirm(token: string): boolean;
}

/** The answer flow of a session whose events `stamper` stamps; refusals and requests as `words` says. */
export function createAnswerFlow(stamper: Stamper, words: AnswerWords): AnswerFlow {
  const batch = new AnswerBatch();
  /** Requests whose `input_accepted` was emitted (when their answer was taken, or when the server took it). */
  const confirmed = new Set<string>();
  let waiting: readonly ProtocolAnswer[] | null = null;

  /** The store learns that an answer was taken. */
  const accepted = (answer: ProtocolAnswer): RunEvent => {
    confirmed.add(answer.request.resume_token);
    return stamper.stamp({
      type: 'input_accepted',
      resume_token: answer.request.resume_token,
      text: answer.text,
      ...(answer.value !== undefined && { value: answer.value }),
    });
  };

  return {
    batch,
    plan(answer, streamOpen) {
      const token = answer.request.resume_token;
      const { noun } = words;
      if (confirmed.has(token))
        return { type: 'refused', message: `the ${noun} "${answer.request.prompt.slice(0, 60)}" was already answered` };
      if (batch.onItsWay(token))
        return { type: 'refused', message: `the answer to this ${noun} is already on its way` };
      const unfit = words.unfit?.(answer);
      if (unfit !== undefined) return { type: 'refused', message: unfit };
      const taken = batch.take(answer);
      if (taken.type === 'refused') return taken;
      if (taken.type === 'held' || streamOpen) {
        if (taken.type === 'complete') waiting = taken.answers;
        return { type: 'held', events: [accepted(answer)] };
      }
      batch.leaving(taken.answers);
      return { type: 'send', request: words.request(taken.answers), answers: taken.answers };
    },
    takeWaiting() {
      const answers = waiting;
      waiting = null;
      return answers;
    },
    answered: (answers) => batch.delivered(answers, confirmed).map(accepted),
    unsent: (answers) => batch.undelivered(answers, confirmed),
    confirm(token) {
      if (confirmed.has(token)) return false;
      confirmed.add(token);
      return true;
    },
  };
}
