/**
 * What the docs' "Show code" panel gives for a live story: the plain-HTML equivalent a user
 * would write (the story's own `<story-run>` harness left out), built from the story's args.
 */
import { faultQuery, type RunArgs } from './controls.ts';

/** How the story hands the run to its elements. */
export type Wiring = 'agent-run' | 'alone';

/** The create-request body as a JS object literal. */
function bodyLiteral(args: Partial<RunArgs>, extra: Record<string, unknown> = {}): string {
  const body: Record<string, unknown> = { scenario: args.scenario ?? 'agent', ...extra };
  if (args.speed !== undefined && args.speed !== 1) body['speed'] = args.speed;
  return `{ ${Object.entries(body)
    .map(([k, v]) => `${k}: ${JSON.stringify(v).replaceAll('"', "'")}`)
    .join(', ')} }`;
}

/** Source of a live story: `markup` is the story's element layout (HTML, with its `<agent-run>` unless used alone). */
export function liveSource(
  markup: string,
  args: Partial<RunArgs>,
  wiring: Wiring = 'agent-run',
  options: { runsPath?: string } = {},
): string {
  const query = faultQuery(args);
  const hasQuery = Object.keys(query).length > 0;
  const transport = args.transport ?? 'auto';
  const paths = options.runsPath ? `, paths: { runs: '${options.runsPath}' }` : '';
  const faults = hasQuery
    ? `\n  // the mock server's fault switches, on every connection URL\n  query: ${JSON.stringify(query).replaceAll('"', "'")},`
    : '';
  if (wiring === 'alone') {
    return `${markup.trim()}

<script type="module">
  import 'agentwire/define';
  import { startRun } from 'agentwire/run';

  // Start a run and connect it; each element is handed the handle directly (no <agent-run>).
  const run = await startRun({
    baseUrl: location.origin${paths},
    body: ${bodyLiteral(args)},
    transport: '${transport}',${faults}
  });
  for (const el of document.querySelectorAll('run-progress, token-stream, agent-log, approval-prompt')) el.run = run;
  // later: run.disconnect() when the view goes away
</script>`;
  }
  const withTransport = markup.trim().replace(/<agent-run\b/, `<agent-run transport="${transport}"`);
  return `${withTransport}

<script type="module">
  import 'agentwire/define';
  import { createRun } from 'agentwire/run';

  const el = document.querySelector('agent-run');${hasQuery ? `\n  // the mock server's fault switches, on every connection URL\n  el.query = ${JSON.stringify(query).replaceAll('"', "'")};` : ''}
  // POST /api/runs once; <agent-run> connects (lazily) and shares the run with the elements inside.
  el.runId = await createRun({ baseUrl: location.origin${paths}, body: ${bodyLiteral(args)} });
</script>`;
}
