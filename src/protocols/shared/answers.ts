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

/** A session's answers: the open requests' batch, those confirmed, and a set waiting for the open stream to end. */
export class AnswerFlow {
  /** The run's open requests and the answers given so far. */
  readonly batch = new AnswerBatch();
  private readonly confirmed = new Set<string>();
  private waitingSet: readonly ProtocolAnswer[] | null = null;

  /** Answers stamped by `stamper`; refusals and requests as `words` says. */
  constructor(
    private readonly stamper: Stamper,
    private readonly words: AnswerWords,
  ) {}

  /** Take an answer (see {@link AnswerPlan}); `streamOpen` holds a complete set until the stream ends. */
  plan(answer: ProtocolAnswer, streamOpen: boolean): AnswerPlan {
    const token = answer.request.resume_token;
    const { noun } = this.words;
    if (this.confirmed.has(token))
      return { type: 'refused', message: `the ${noun} "${answer.request.prompt.slice(0, 60)}" was already answered` };
    if (this.batch.onItsWay(token))
      return { type: 'refused', message: `the answer to this ${noun} is already on its way` };
    const unfit = this.words.unfit?.(answer);
    if (unfit !== undefined) return { type: 'refused', message: unfit };
    const taken = this.batch.take(answer);
    if (taken.type === 'refused') return taken;
    if (taken.type === 'held' || streamOpen) {
      if (taken.type === 'complete') this.waitingSet = taken.answers;
      return { type: 'held', events: [this.accepted(answer)] };
    }
    this.batch.leaving(taken.answers);
    return { type: 'send', request: this.words.request(taken.answers), answers: taken.answers };
  }

  /** A complete set held while the stream was open, now to be sent (taken: asked again it is null). */
  takeWaiting(): readonly ProtocolAnswer[] | null {
    const answers = this.waitingSet;
    this.waitingSet = null;
    return answers;
  }

  /** The server took answers that were sent: what the store learns (those not confirmed when held). */
  answered(answers: readonly ProtocolAnswer[]): RunEvent[] {
    return this.batch.delivered(answers, this.confirmed).map((answer) => this.accepted(answer));
  }

  /** Answers that were sent did not arrive: those not confirmed may be given again. */
  unsent(answers: readonly ProtocolAnswer[]): void {
    this.batch.undelivered(answers, this.confirmed);
  }

  /**
   * The stream itself says request `token` was answered (e.g. by another tab): true the first time,
   * when the store should learn it; false when it already did.
   */
  confirm(token: string): boolean {
    if (this.confirmed.has(token)) return false;
    this.confirmed.add(token);
    return true;
  }

  /** The store learns that an answer was taken. */
  private accepted(answer: ProtocolAnswer): RunEvent {
    this.confirmed.add(answer.request.resume_token);
    return this.stamper.stamp({
      type: 'input_accepted',
      resume_token: answer.request.resume_token,
      text: answer.text,
      ...(answer.value !== undefined && { value: answer.value }),
    });
  }
}
