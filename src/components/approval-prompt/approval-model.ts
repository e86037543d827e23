/**
 * The plain-TS core of `<approval-prompt>`: from the open requests, the tracked replies and the
 * clock, what each request's card shows and whether it can be answered; and what kind of answer
 * each request asks for.
 */
import type { NeedInputEvent } from '../../protocol/index.ts';
import type { Replies, ReplyState } from '../../run/reply-tracker.ts';
import type { TypedError } from '../../store/index.ts';
import { compileSchema, type CompiledSchema } from './response-schema.ts';

/**
 * Where the prompt stands: nothing asked (`closed`), asking (`open`), every answer on its way
 * and not yet accepted (`sending`), the first request past `expires_at` (`expired`), or put aside
 * by the user with Escape or "Later" while the run still waits (`dismissed`).
 */
export type ApprovalPhase = 'closed' | 'open' | 'sending' | 'expired' | 'dismissed';

/** Where one request stands: answerable, its answer on its way, or past its deadline. */
export type RequestPhase = 'open' | 'sending' | 'expired';

/** Everything the cards depend on. */
export interface ApprovalInputs {
  /** The run's open requests, oldest first (`$pendingInputs`). */
  readonly pending: readonly NeedInputEvent[];
  /** The run's tracked answers (`$replies`). */
  readonly replies: Replies | undefined;
  /** Answers refused here, before sending (a late answer), by resume token. */
  readonly refusals: ReadonlyMap<string, TypedError<string>>;
  /** The server never confirms answers (a plain server without input_accepted): a delivered answer closes the card. */
  readonly unconfirmed: boolean;
  /** Current time, ms since the epoch. */
  readonly now: number;
}

/** What one request's card shows. */
export interface RequestView {
  readonly request: NeedInputEvent;
  readonly phase: RequestPhase;
  /** Its place among the open requests (0-based), and how many there are. */
  readonly index: number;
  readonly total: number;
  /** Why the last answer was refused or not delivered (or refused here, too late). */
  readonly error: TypedError<string> | null;
  /** Time left before the request expires, ms (null without `expires_at`). */
  readonly remainingMs: number | null;
  /** The answer being sent, if any. */
  readonly reply: ReplyState | null;
}

/** The instant a request expires, ms since the epoch, or null when it has no (valid) `expires_at`. */
export function deadlineOf(request: NeedInputEvent | null | undefined): number | null {
  if (request?.expires_at === undefined) return null;
  const at = Date.parse(request.expires_at);
  return Number.isNaN(at) ? null : at;
}

/** The cards of the open requests, in order (accepted ones, and delivered ones a plain server never confirms, are gone). Pure. */
export function requestViews({ pending, replies, refusals, unconfirmed, now }: ApprovalInputs): RequestView[] {
  const open = pending.filter((request) => {
    const status = replies?.get(request.resume_token)?.status;
    return status !== 'accepted' && !(status === 'sent' && unconfirmed);
  });
  return open.map((request, index) => {
    const reply = replies?.get(request.resume_token) ?? null;
    const deadline = deadlineOf(request);
    const remainingMs = deadline === null ? null : Math.max(0, deadline - now);
    const base = { request, index, total: open.length, remainingMs, reply };
    if (reply?.status === 'sending' || reply?.status === 'sent') return { ...base, phase: 'sending', error: null };
    const error = refusals.get(request.resume_token) ?? reply?.error ?? null;
    return { ...base, phase: remainingMs === 0 ? 'expired' : 'open', error };
  });
}

/** The prompt's phase: closed without cards; dismissed when the user put every card aside; else the first card's. */
export function promptPhase(views: readonly RequestView[], dismissed: ReadonlySet<string>): ApprovalPhase {
  if (views.length === 0) return 'closed';
  if (views.every((view) => dismissed.has(view.request.resume_token))) return 'dismissed';
  if (views.every((view) => view.phase === 'sending')) return 'sending';
  return views[0]!.phase;
}

/** What a request asks for: approve / deny, a form, one of some choices, or free text. */
export type AnswerShape =
  | { readonly kind: 'approval' }
  | { readonly kind: 'form'; readonly schema: Extract<CompiledSchema, { supported: true }>['root'] }
  | { readonly kind: 'json'; readonly reason: string }
  | { readonly kind: 'choices'; readonly choices: readonly string[] }
  | { readonly kind: 'text' };

const shapes = new WeakMap<NeedInputEvent, AnswerShape>();

/**
 * The shape of the answer a request asks for (cached per request): `kind: 'approval'` is approve /
 * deny with an optional reason; a `response_schema` a form (or, when it is more than a form can
 * offer, a JSON text field); `choices` buttons; otherwise free text.
 */
export function answerShape(request: NeedInputEvent): AnswerShape {
  let shape = shapes.get(request);
  if (!shape) {
    if (request.kind === 'approval') shape = { kind: 'approval' };
    else if (request.response_schema !== undefined) {
      const compiled = compileSchema(request.response_schema);
      shape = compiled.supported ? { kind: 'form', schema: compiled.root } : { kind: 'json', reason: compiled.reason };
    } else if (request.choices?.length) shape = { kind: 'choices', choices: request.choices };
    else shape = { kind: 'text' };
    shapes.set(request, shape);
  }
  return shape;
}

/** `m:ss` (or `h:mm:ss`) for a remaining time, rounded up to the second. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** A typed error from whatever a rejected reply threw (`reply_failed` when it carries no code). */
export function toTypedError(error: unknown): TypedError<string> {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof message === 'string') return { code: typeof code === 'string' ? code : 'reply_failed', message };
  }
  return { code: 'reply_failed', message: String(error) };
}

/** The refusal of an answer given after `request` expired. */
export function lateAnswer(request: NeedInputEvent): TypedError<string> {
  const deadline = deadlineOf(request);
  const when = deadline === null ? '' : ` at ${new Date(deadline).toLocaleTimeString()}`;
  return {
    code: 'request_expired',
    message: `This request expired${when}: your answer was not sent.`,
  };
}
