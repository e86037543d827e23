/**
 * The answers to a run's open requests, gathered until they can go back together. AG-UI resumes
 * answer every open interrupt at once; the AI SDK client sends approval responses once every
 * approval of the step has one; OpenAI takes every `mcp_approval_response` of a response in the
 * next request. Each request is answerable on its own here, and exactly once.
 */
import type { NeedInputEvent } from '../../protocol/index.ts';
import type { ProtocolAnswer } from '../types.ts';

/** What taking an answer did. */
export type TakeResult =
  | { readonly type: 'refused'; readonly message: string }
  | { readonly type: 'held' }
  | { readonly type: 'complete'; readonly answers: readonly ProtocolAnswer[] };

/** The open requests of a run and the answers given so far. */
export class AnswerBatch {
  private readonly open = new Map<string, NeedInputEvent>();
  private readonly given = new Map<string, ProtocolAnswer>();
  /** Requests whose answers went back (or that closed without one). */
  private readonly closed = new Set<string>();
  /** Requests whose answers are on their way (sent, the server has not taken them yet). */
  private readonly flying = new Set<string>();

  /** Requests the run now waits on (with those already open). */
  ask(request: NeedInputEvent): void {
    if (this.closed.has(request.resume_token)) return;
    this.open.set(request.resume_token, request);
  }

  /** True while any request is open. */
  get waiting(): boolean {
    return this.open.size > 0;
  }

  /** The open request with this token. */
  request(token: string): NeedInputEvent | undefined {
    return this.open.get(token);
  }

  /**
   * Take an answer: refused when its request is not open or its answer already went back; complete
   * when every open request has one. An answer given but not sent yet is replaced (the session
   * refuses answers it already confirmed, and answers on their way).
   */
  take(answer: ProtocolAnswer): TakeResult {
    const token = answer.request.resume_token;
    if (this.closed.has(token))
      return { type: 'refused', message: `the request "${answer.request.prompt.slice(0, 60)}" was already answered` };
    if (!this.open.has(token)) return { type: 'refused', message: 'this request is not open' };
    this.given.set(token, answer);
    return this.complete() ? { type: 'complete', answers: this.answers() } : { type: 'held' };
  }

  /** True when every open request has its answer. */
  complete(): boolean {
    return this.open.size > 0 && [...this.open.keys()].every((token) => this.given.has(token));
  }

  /** The answers given, in the order the requests were asked. */
  answers(): ProtocolAnswer[] {
    return [...this.open.keys()].flatMap((token) => {
      const answer = this.given.get(token);
      return answer ? [answer] : [];
    });
  }

  /** The answer to request `token` is on its way to the server. */
  onItsWay(token: string): boolean {
    return this.flying.has(token);
  }

  /** These answers leave now (a second answer to their requests is refused until they land or fail). */
  leaving(answers: readonly ProtocolAnswer[]): void {
    for (const { request } of answers) this.flying.add(request.resume_token);
  }

  /**
   * The server took the answers that left: their requests close. Returns those the session had not
   * confirmed yet (`confirmed`: answers it confirmed when they were taken and held).
   */
  delivered(answers: readonly ProtocolAnswer[], confirmed: ReadonlySet<string>): ProtocolAnswer[] {
    for (const { request } of answers) this.flying.delete(request.resume_token);
    this.sent(answers);
    return answers.filter((a) => !confirmed.has(a.request.resume_token));
  }

  /** The answers that left did not arrive: those not confirmed are forgotten, to be given again. */
  undelivered(answers: readonly ProtocolAnswer[], confirmed: ReadonlySet<string>): void {
    for (const { request } of answers) this.flying.delete(request.resume_token);
    this.retract(answers.filter((a) => !confirmed.has(a.request.resume_token)));
  }

  /** Answers whose request failed: forgotten, to be given again. */
  retract(answers: readonly ProtocolAnswer[]): void {
    for (const { request } of answers) this.given.delete(request.resume_token);
  }

  /** The answers went back: their requests close. */
  sent(answers: readonly ProtocolAnswer[]): void {
    for (const { request } of answers) {
      this.closed.add(request.resume_token);
      this.open.delete(request.resume_token);
      this.given.delete(request.resume_token);
    }
  }

  /** Every open request closes unanswered (the run ended). */
  clear(): void {
    for (const token of this.open.keys()) this.closed.add(token);
    this.open.clear();
    this.given.clear();
  }
}
