/**
 * Coalesced token deltas for a connection that does not keep up: consecutive tokens of one
 * message (seqs in a row, nothing between them in the log) become one token with `seq_end`, so a
 * slow client gets fewer, bigger frames and the same text; the reducer applies the range at once.
 */
import { MAX_COALESCED_CHARS } from '../limits.ts';
import { StoredEvent } from '../stored-event.ts';

/** The wire fields of a token that may merge: anything else (an extension) keeps it on its own. */
const PLAIN_TOKEN_KEYS = new Set(['type', 'content', 'message_id', 'run_id', 'seq']);

function plainToken(record: StoredEvent): { content: string; messageId: string | undefined } | undefined {
  if (record.type !== 'token' || record.lastSeq !== record.seq) return undefined;
  const wire = record.wire;
  for (const key in wire) if (!PLAIN_TOKEN_KEYS.has(key)) return undefined;
  const content = wire['content'];
  const messageId = wire['message_id'];
  if (typeof content !== 'string' || (messageId !== undefined && typeof messageId !== 'string')) return undefined;
  return { content, messageId };
}

/** `records` (in seq order) with every run of mergeable tokens replaced by one coalesced token. */
export function coalesceTokens(records: readonly StoredEvent[]): StoredEvent[] {
  const out: StoredEvent[] = [];
  let run: StoredEvent[] = [];
  let parts: string[] = [];
  let chars = 0;
  let messageId: string | undefined;
  const close = (): void => {
    if (run.length === 1) out.push(run[0]!);
    else if (run.length > 1) out.push(StoredEvent.coalesced(run, parts.join(''), messageId));
    run = [];
    parts = [];
    chars = 0;
  };
  for (const record of records) {
    const token = plainToken(record);
    if (!token) {
      close();
      out.push(record);
      continue;
    }
    const continues =
      run.length > 0 &&
      record.seq === run.at(-1)!.seq + 1 &&
      token.messageId === messageId &&
      chars + token.content.length <= MAX_COALESCED_CHARS;
    if (!continues) close();
    if (run.length === 0) messageId = token.messageId;
    run.push(record);
    parts.push(token.content);
    chars += token.content.length;
  }
  close();
  return out;
}
