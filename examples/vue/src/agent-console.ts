// The conversation's logic as a composable (plain TypeScript; vue-tsc checks it with App.vue):
// follow the run each message started with agentwire/vue's `useStore`, and keep the events the
// elements fired.
import { computed, ref, shallowRef } from 'vue';
import type { ApprovalSettleEvent, MessageCompleteEvent, RunHandle, RunStartEvent, SendSettleEvent } from 'agentwire';
import { useStore } from 'agentwire/vue';

/** State and handlers of the conversation, for the component's template. */
export function useAgentConsole() {
  /** Sent with every message of the conversation: which scenario the mock server plays. */
  const body = { scenario: 'chat' };
  const run = shallowRef<RunHandle>();
  const events = ref<string[]>([]);
  const error = ref('');
  const statusOfRun = useStore(() => run.value?.store.$status);
  const status = computed(() => statusOfRun.value ?? 'no run');

  const onStart = (event: RunStartEvent): void => {
    run.value = event.run;
    events.value.push(`run-start: thread ${event.threadId}`);
  };
  const onSent = (event: SendSettleEvent): void => {
    error.value = event.error?.message ?? '';
  };
  const onMessage = (event: MessageCompleteEvent): void => {
    events.value.push(`message-complete ${event.messageId}: ${event.text.slice(0, 40)}`);
  };
  const onSettle = (event: ApprovalSettleEvent): void => {
    events.value.push(`approval-settle: “${event.text}” ${event.accepted ? 'accepted' : 'refused'}`);
  };
  return { body, status, events, error, onStart, onSent, onMessage, onSettle };
}
