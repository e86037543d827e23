/** How an answer to a request reads, wherever it is shown (the prompt, the log). */
import type { InputAcceptedEvent } from '../../protocol/index.ts';
import type { ReplyState } from '../../run/reply-tracker.ts';

/** An approval's structured answer (`kind: 'approval'`). */
export interface ApprovalValue {
  readonly approved: boolean;
  readonly reason?: string;
}

/** True when `value` is an approval's answer `{approved, reason?}`. */
export function isApprovalValue(value: unknown): value is ApprovalValue {
  if (typeof value !== 'object' || value === null) return false;
  const { approved, reason } = value as { approved?: unknown; reason?: unknown };
  return typeof approved === 'boolean' && (reason === undefined || typeof reason === 'string');
}

/** "Approved", or "Denied: too risky". */
export function approvalText(value: ApprovalValue): string {
  const verdict = value.approved ? 'Approved' : 'Denied';
  const reason = value.reason?.trim();
  return reason ? `${verdict}: ${reason}` : verdict;
}

/**
 * A structured answer as one line people read: strings as they are, an approval as its verdict,
 * objects as `key: value` pairs, lists joined with commas.
 */
export function valueText(value: unknown): string {
  if (isApprovalValue(value)) return approvalText(value);
  return plain(value, 0);
}

function plain(value: unknown, depth: number): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((item) => plain(item, depth + 1)).join(', ');
  if (typeof value === 'object') {
    const pairs = Object.entries(value).map(([key, item]) => `${key}: ${plain(item, depth + 1)}`);
    return depth === 0 ? pairs.join(', ') : `(${pairs.join(', ')})`;
  }
  const json: unknown = JSON.stringify(value);
  return typeof json === 'string' ? json : '';
}

/**
 * The text of the answer given to a request: the server's confirmation says it (`text`, or its
 * `value`); for servers that confirm without repeating it, what this client sent. Null when
 * nothing is known.
 */
export function answerText(accepted: InputAcceptedEvent | undefined, reply: ReplyState | undefined): string | null {
  if (accepted?.value !== undefined && isApprovalValue(accepted.value)) return approvalText(accepted.value);
  if (accepted?.text !== undefined && accepted.text !== '') return accepted.text;
  if (accepted?.value !== undefined) return valueText(accepted.value);
  if (reply === undefined) return null;
  if (reply.value !== undefined && isApprovalValue(reply.value)) return approvalText(reply.value);
  return reply.text;
}
