// A conversation in React 19: <agent-run> holds the thread, <run-composer> inside starts a run
// per message (the mock's `chat` scenario). Objects (`body`) go to the elements as properties,
// their events arrive through `on<event>` props (typed by agentwire/jsx/react, included by
// agentwire/react), and `useStore` follows the current run's status.
import { useState } from 'react';
import type { ApprovalSettleEvent, MessageCompleteEvent, RunHandle, RunStartEvent, SendSettleEvent } from 'agentwire';
import { useStore } from 'agentwire/react';

/** Sent with every message of the conversation: which scenario the mock server plays. */
const BODY = { scenario: 'chat' };

export function App({ backend }: { backend: string }) {
  const [run, setRun] = useState<RunHandle>();
  const status = useStore(run?.store.$status);
  const [events, setEvents] = useState<string[]>([]);
  const [error, setError] = useState('');
  const note = (line: string): void => setEvents((list) => [...list, line]);

  const onStart = (event: RunStartEvent): void => {
    setRun(event.run);
    note(`run-start: thread ${event.threadId}`);
  };
  const onSent = (event: SendSettleEvent): void => setError(event.error?.message ?? '');
  const onMessage = (event: MessageCompleteEvent): void =>
    note(`message-complete ${event.messageId}: ${event.text.slice(0, 40)}`);
  const onSettle = (event: ApprovalSettleEvent): void =>
    note(`approval-settle: “${event.text}” ${event.accepted ? 'accepted' : 'refused'}`);

  return (
    <main style={{ maxWidth: '60rem', margin: '1rem auto', fontFamily: 'system-ui, sans-serif' }}>
      <h1>agentwire · React 19</h1>
      <p>
        Status: <output id="status">{status ?? 'no run'}</output>
        {error && <span role="alert"> {error}</span>}
      </p>
      <agent-run
        baseUrl={backend}
        body={BODY}
        onrun-start={onStart}
        style={{ display: 'grid', gridTemplateColumns: '2fr 1fr', gap: '1rem' }}
      >
        <div style={{ display: 'grid', gap: '0.75rem' }}>
          <run-progress label="Agent"></run-progress>
          <token-stream label="Conversation" format="markdown" onmessage-complete={onMessage}></token-stream>
          <approval-prompt onapproval-settle={onSettle}></approval-prompt>
          <run-composer onsend-settle={onSent}></run-composer>
        </div>
        <agent-log></agent-log>
      </agent-run>
      <h2>Events React received</h2>
      <ol id="events">
        {events.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ol>
    </main>
  );
}
