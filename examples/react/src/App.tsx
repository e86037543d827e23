// The agent console in React 19: a Start button creates a run; <AgentConsole> (keyed by run
// id) follows it with `useRun`, gives the handle to the elements as a property, and reports
// their events through `on<event>` props (typed by agentwire/react).
import { useEffect, useState } from 'react';
import type { ApprovalSettleEvent, MessageCompleteEvent, RunStatus } from 'agentwire';
import { useRun } from 'agentwire/react';
import { createRun } from 'agentwire/run';

const FINISHED: readonly RunStatus[] = ['done', 'failed', 'cancelled'];

export function App({ backend }: { backend: string }) {
  const [runId, setRunId] = useState('');
  const [finished, setFinished] = useState(true);
  const [error, setError] = useState('');

  async function start(): Promise<void> {
    setError('');
    try {
      setRunId(await createRun({ baseUrl: backend, body: { scenario: 'agent' } }));
      setFinished(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <main style={{ maxWidth: '60rem', margin: '1rem auto', fontFamily: 'system-ui, sans-serif' }}>
      <h1>agentwire · React 19</h1>
      <p>
        <button id="start" type="button" onClick={() => void start()} disabled={!finished}>
          Start a run
        </button>
        {error && <span role="alert"> {error}</span>}
      </p>
      {runId ? (
        <AgentConsole key={runId} backend={backend} runId={runId} onFinish={() => setFinished(true)} />
      ) : (
        <p>
          Status: <output id="status">no run</output>
        </p>
      )}
    </main>
  );
}

function AgentConsole({ backend, runId, onFinish }: { backend: string; runId: string; onFinish: () => void }) {
  // Connected while mounted (StrictMode's second mount included), disconnected on unmount.
  const { run, state } = useRun({ baseUrl: backend, runId });
  const [events, setEvents] = useState<string[]>([]);
  const note = (line: string): void => setEvents((list) => [...list, line]);
  const onMessage = (event: MessageCompleteEvent): void =>
    note(`message-complete ${event.messageId}: ${event.text.slice(0, 40)}`);
  const onSettle = (event: ApprovalSettleEvent): void =>
    note(`approval-settle: “${event.text}” ${event.accepted ? 'accepted' : 'refused'}`);
  const status = state?.status;
  useEffect(() => {
    if (status && FINISHED.includes(status)) onFinish();
  }, [status, onFinish]);

  return (
    <>
      <p>
        Status: <output id="status">{state?.status}</output>
      </p>
      <agent-run run={run} style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '1rem' }}>
        <div>
          <run-progress label="Deploy agent"></run-progress>
          <token-stream label="Agent says" onmessage-complete={onMessage}></token-stream>
          <approval-prompt onapproval-settle={onSettle}></approval-prompt>
        </div>
        <agent-log></agent-log>
      </agent-run>
      <h2>Events React received</h2>
      <ol id="events">
        {events.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ol>
    </>
  );
}
