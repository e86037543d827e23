/** The @lit/context key through which `<agent-run>` hands its conversation (thread of runs) to the elements inside it. */
import { createContext } from '@lit/context';
import type { Conversation } from '../run/conversation.ts';

/** Context key for the conversation provided by `<agent-run>`: `<run-composer>` sends through it, `<token-stream>` shows its history. */
export const conversationContext = createContext<Conversation | undefined>(Symbol.for('agentwire.conversation'));
