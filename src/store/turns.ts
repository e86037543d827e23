/** Turns of a conversation: who said what, in which run. Pure helpers over run states and thread histories. */
import type { MessageRole, ThreadSnapshot } from '../protocol/index.ts';
import type { RunStoreState } from './state.ts';
import { messageTexts } from './text.ts';

/** One message of a conversation, as shown: its speaker and whole text. */
export interface Turn {
  /** Unique in the conversation: `<run id>/<message id>` (message ids repeat across runs). */
  readonly key: string;
  /** The run the message belongs to. */
  readonly runId: string;
  /** The message's id within its run. */
  readonly messageId: string;
  /** Who said it: user, assistant, tool or system. */
  readonly role: MessageRole;
  /** What was said (text, never markup). */
  readonly text: string;
}

/** The key of a message of a run in a conversation. */
export function turnKey(runId: string, messageId: string): string {
  return `${runId}/${messageId}`;
}

/** The messages of one run, in first-token order, with their roles (a message that declared none is the assistant's). O(text). */
export function turnsOf(state: RunStoreState, runId: string = state.runId ?? ''): Turn[] {
  return messageTexts(state.text).map(([messageId, text]) => ({
    key: turnKey(runId, messageId),
    runId,
    messageId,
    role: state.roles.get(messageId) ?? 'assistant',
    text,
  }));
}

/** The messages of a thread's history whose run is not `exceptRunId` (the run shown live), in order. */
export function turnsOfThread(thread: ThreadSnapshot, exceptRunId?: string): Turn[] {
  return thread.messages
    .filter((m) => m.run_id !== exceptRunId)
    .map((m) => ({
      key: turnKey(m.run_id, m.message_id),
      runId: m.run_id,
      messageId: m.message_id,
      role: m.role,
      text: m.text,
    }));
}
