/** agentwire run API: framework-agnostic handles (nanostores stores + actions) over any transport. */
export type {
  RunHandle,
  ReplyOptions,
  RunPaths,
  ConnectRunOptions,
  CreateRunOptions,
  StartRunOptions,
  ToolRenderers,
} from './types.ts';
export { connectRun } from './connect.ts';
export { createRun, startRun, DEFAULT_RUN_PATHS } from './create.ts';
export { createLocalRun, type LocalRunOptions } from './handle.ts';
export {
  createReplyTracker,
  type ReplyTracker,
  type ReplyState,
  type ReplyStatus,
  type Replies,
} from './reply-tracker.ts';
export { loadThread, type LoadThreadOptions } from './thread.ts';
export {
  createConversation,
  isRunActive,
  newThreadId,
  ConversationError,
  type Conversation,
  type ConversationErrorCode,
  type ConversationOptions,
  type RestoreState,
  type PendingTurn,
  type SaveState,
} from './conversation.ts';
export { ThreadStoreError, type ThreadStore, type ThreadStoreErrorCode } from './thread-store.ts';
export { localStorageThreadStore, type LocalStorageThreadStoreOptions } from './local-storage-thread-store.ts';
/** The turn and error shapes the conversation API hands out (defined by the store). */
export type { Turn, TypedError } from '../store/index.ts';
/** A tool's renderer, as `ToolRenderers` maps them. */
export type { ToolRenderer } from '../components/agent-log/tool-template.ts';
