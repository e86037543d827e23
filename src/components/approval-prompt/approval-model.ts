/**
 * The plain-TS core of `<approval-prompt>`: from the pending request, the tracked reply and the
 * clock, what the prompt shows and whether it can be answered.
 */
import type { NeedInputEvent } from '../../protocol/index.ts';
import type { ReplyState } from '../../run/reply-tracker.ts';
import type { TypedError } from '../../store/index.ts';

/**
 * Where the prompt stands: nothing asked (`closed`), asking (`open`), the answer on its way and
 * not yet accepted (`sending`), past `expires_at` (`expired`), or put aside by the user with
 * Escape while the run still waits (`dismissed`).
 */
export type ApprovalPhase = 'closed' | 'open' | 'sending' | 'expired' | 'dismissed';

/** Everything the prompt's view depends on. */
export interface ApprovalInputs {
  /** The run's pending request (`$pendingInput`). */
  readonly pending: NeedInputEvent | null;
  /** The answer to the pending request, as the run's ReplyTracker knows it (`$replies`). */
  readonly reply: ReplyState | null;
  /** Resume token of a request the user dismissed. */
  readonly dismissed: string | null;
  /** The server never confirms answers (a plain server without input_accepted): a delivered answer closes the prompt. */
  readonly unconfirmed: boolean;
  /** Current time, ms since the epoch. */
  readonly now: number;
}

/** What the prompt shows. */
export interface ApprovalView {
  readonly phase: ApprovalPhase;
  /** The request shown (null when closed). */
  readonly request: NeedInputEvent | null;
  /** Why the last answer was refused or not delivered. */
  readonly error: TypedError<string> | null;
  /** Time left before the request expires, ms (null without `expires_at`). */
  readonly remainingMs: number | null;
}

const CLOSED: ApprovalView = Object.freeze({ phase: 'closed', request: null, error: null, remainingMs: null });

/** The instant a request expires, ms since the epoch, or null when it has no (valid) `expires_at`. */
export function deadlineOf(request: NeedInputEvent | null): number | null {
  if (request?.expires_at === undefined) return null;
  const at = Date.parse(request.expires_at);
  return Number.isNaN(at) ? null : at;
}

/** Derive the prompt's view. Pure. */
export function approvalView({ pending, reply, dismissed, now, unconfirmed }: ApprovalInputs): ApprovalView {
  if (pending === null) return CLOSED;
  const token = pending.resume_token;
  const answer = reply?.resumeToken === token ? reply : null;
  const status = answer?.status ?? null;
  if (status === 'accepted' || (status === 'sent' && unconfirmed)) return CLOSED;
  const deadline = deadlineOf(pending);
  const remainingMs = deadline === null ? null : Math.max(0, deadline - now);
  const base = { request: pending, remainingMs };
  if (status === 'sending' || status === 'sent') return { ...base, phase: 'sending', error: null };
  const error = answer?.error ?? null;
  if (remainingMs === 0) return { ...base, phase: 'expired', error };
  if (dismissed === token) return { ...base, phase: 'dismissed', error };
  return { ...base, phase: 'open', error };
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
