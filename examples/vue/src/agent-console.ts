// The console's logic as a composable (plain TypeScript; vue-tsc checks it with App.vue): start a
// run, follow it with agentwire/vue's `useRun`, and keep the events the elements fired.
import { computed, ref } from 'vue';
import type { ApprovalSettleEvent, MessageCompleteEvent } from 'agentwire';
import { createRun } from 'agentwire/run';
import { useRun } from 'agentwire/vue';

/** State and handlers of the agent console, for the component's template. */
export function useAgentConsole(backend: string) {
  const runId = ref('');
  const events = ref<string[]>([]);
  const error = ref('');
  const { run, state } = useRun(() => (runId.value ? { baseUrl: backend, runId: runId.value } : null));
  const busy = computed(
    () => state.value !== undefined && !['done', 'failed', 'cancelled'].includes(state.value.status),
  );

  async function start(): Promise<void> {
    events.value = [];
    error.value = '';
    try {
      runId.value = await createRun({ baseUrl: backend, body: { scenario: 'agent' } });
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err);
    }
  }
  const onMessage = (event: MessageCompleteEvent): void => {
    events.value.push(`message-complete ${event.messageId}: ${event.text.slice(0, 40)}`);
  };
  const onSettle = (event: ApprovalSettleEvent): void => {
    events.value.push(`approval-settle: “${event.text}” ${event.accepted ? 'accepted' : 'refused'}`);
  };
  return { run, state, events, error, busy, start, onMessage, onSettle };
}
