// The demo page: starts a run on the mock server (mounted into this dev server) and hands its id
// to <agent-run>, which connects it and shares it with the elements inside.
import '../src/components/define.ts';
import type { AgentRun } from '../src/components/agent-run/agent-run.ts';
import { createRun } from '../src/run/index.ts';
import type { TransportName } from '../src/transports/index.ts';

const form = document.querySelector<HTMLFormElement>('#start')!;
const scenario = form.querySelector<HTMLSelectElement>('select[name="scenario"]')!;
const transport = form.querySelector<HTMLSelectElement>('select[name="transport"]')!;
const run = document.querySelector<AgentRun>('agent-run')!;
const error = document.querySelector<HTMLElement>('#error')!;

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const chosenTransport = transport.value as TransportName;
  error.textContent = '';
  createRun({ baseUrl: location.origin, body: { scenario: scenario.value } })
    .then((runId) => {
      run.transport = chosenTransport;
      run.runId = runId;
    })
    .catch((reason: unknown) => {
      error.textContent = `No run could be started: ${reason instanceof Error ? reason.message : String(reason)}`;
    });
});
