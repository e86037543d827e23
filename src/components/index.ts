/** agentwire elements: classes and events, without registering anything (import `./define.ts` for that). */
export { AgentRun } from './agent-run/agent-run.ts';
export { RunProgress } from './run-progress/run-progress.ts';
export { STATUS_LABELS } from './run-progress/progress-view.ts';
export { TokenStream, MAX_ANNOUNCEMENT_LENGTH } from './token-stream/token-stream.ts';
export { MessageCompleteEvent } from './token-stream/events.ts';
export { AgentLog } from './agent-log/agent-log.ts';
export { ApprovalPrompt } from './approval-prompt/approval-prompt.ts';
export {
  ApprovalDismissEvent,
  ApprovalRequestEvent,
  ApprovalSettleEvent,
  ApprovalSubmitEvent,
} from './approval-prompt/events.ts';
export { RevealRequestEvent, ToolRenderErrorEvent } from './agent-log/events.ts';
export type { ToolRenderers } from './agent-log/agent-log.ts';
export type { ToolView, ToolStatus, ToolApproval, RequestStatus } from './agent-log/row-view.ts';
export type { ToolRenderer } from './agent-log/tool-template.ts';
export type { UserTurnData, UserTurnRenderer } from './token-stream/user-turn-view.ts';
export type { ThreadStore } from '../run/thread-store.ts';
export { RunComposer } from './run-composer/run-composer.ts';
export { BeforeSendEvent, SendSettleEvent } from './run-composer/events.ts';
export {
  composerView,
  type ComposerPhase,
  type ComposerView,
  type ComposerInput,
} from './run-composer/composer-model.ts';
export { RunStartEvent } from './agent-run/events.ts';
export { defineElement } from './define-element.ts';
export { AgentwireElement } from './agentwire-element.ts';
export { runContext } from '../context/run-context.ts';
export { conversationContext } from '../context/conversation-context.ts';
export { RunController, type RunHost } from '../controllers/run-controller.ts';
export { StoreController, type StoreControllerOptions } from '../controllers/store-controller.ts';
