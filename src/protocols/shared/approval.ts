/** Reading an answer to an approval: a value `{approved, reason}`, or the text of a choice ("Approve" / "Deny"). */
import type { ProtocolAnswer } from '../types.ts';
import { isObject } from './json.ts';

/** The choices an approval request offers (answered by text, they decide it). */
export const APPROVAL_CHOICES: readonly string[] = ['Approve', 'Deny'];

/** A decision on an approval. */
export interface Decision {
  readonly approved: boolean;
  readonly reason?: string;
}

const YES = new Set(['approve', 'approved', 'yes', 'y', 'allow', 'accept', 'ok']);
const NO = new Set(['deny', 'denied', 'no', 'n', 'reject', 'refuse', 'decline']);

/** The decision an answer carries, or the reason it carries none. */
export function decisionOf(answer: ProtocolAnswer): Decision | { readonly refused: string } {
  const { value, text } = answer;
  if (isObject(value) && typeof value['approved'] === 'boolean') {
    const reason = value['reason'];
    return { approved: value['approved'], ...(typeof reason === 'string' && reason !== '' && { reason }) };
  }
  const word = text.trim().toLowerCase();
  if (YES.has(word)) return { approved: true };
  if (NO.has(word)) return { approved: false };
  return {
    refused: `an approval is answered with "Approve" or "Deny" (or a value {approved, reason}), not ${JSON.stringify(text.slice(0, 40))}`,
  };
}

/** Why an answer decides nothing (for an approval request), or undefined when it carries a decision. */
export function refusalOf(answer: ProtocolAnswer): string | undefined {
  const decision = decisionOf(answer);
  return 'refused' in decision ? decision.refused : undefined;
}
