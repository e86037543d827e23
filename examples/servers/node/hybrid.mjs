// The hybrid stack of the common "REST vs SSE vs WebSocket for live AI" tutorials: REST starts a
// run, a WebSocket carries the conversation (the control plane) and SSE streams the answer's
// tokens (the token plane). No sequence numbers; the question carries no resume token.
//
// POST /api/runs               -> {"run_id": "..."}
// WS   /ws/runs/:id            control plane, server -> client:
//     {"type": "status", "state": "connected"}   (also "planning", "waiting_for_approval", "deploying")
//     {"type": "step", ...}  {"type": "tool_call", ...}  {"type": "progress", "pct": 40, "message": ...}
//     {"type": "need_input", "prompt": "Confirm deploy?"}
//     {"type": "done", "result": "deployed"}   or   {"type": "done", "state": "cancelled"}
//   client -> server: {"type": "user_reply", "text": "yes"}  {"type": "cancel"}  {"type": "ping"}
// GET  /api/runs/:id/tokens    token plane (SSE): data: {"type": "token", "content": "Here "} ...
//     then, once the answer text is finished: data: {"type": "done"}
//     (or, with tokens_end=event:  event: done + data: {"finish_reason": "stop"})
// The agent writes its answer while it asks: the answer's last word and the token plane's done
// come once the question is out, before it is answered.
// An unknown id answers 200 {"error": "not found"} (tokens) or closes the socket (1008).
//
// Show it with agentwire (these are agentwire's default paths):
//   <agent-run base-url="http://127.0.0.1:8000" run-id="{run_id}" transport="hybrid">
//
// Run:  PORT=8000 node hybrid.mjs             (Node 20 and the `ws` package: npm install ws)
// Test switches (query string of POST /api/runs, or environment): speed=0 runs without pauses,
// speed=2 twice as fast (SPEED); ignore_pings=1 never answers {"type": "ping"} (IGNORE_PINGS);
// tokens_end=event ends the tokens with "event: done" (TOKENS_END); tokens_done=late sends the
// token plane's done only after the control plane's done (TOKENS_DONE).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const runs = new Map();
const ANSWER = [
  'Here ',
  'is ',
  'the ',
  'plan: ',
  'run ',
  'the ',
  'tests, ',
  'build ',
  'the ',
  'image, ',
  'deploy ',
  'v1.2.0.',
];
const SWITCHES = { speed: '1', ignore_pings: '0', tokens_end: 'data', tokens_done: 'early' };

/** A promise with its resolve function, for one moment of a run ("asked", "ended"). */
function moment() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

const pauser = (run) => {
  const speed = Number(run.options.speed);
  return (seconds) => (speed > 0 ? new Promise((r) => setTimeout(r, (seconds * 1000) / speed)) : null);
};

async function control(ws, runId, run) {
  const pause = pauser(run);
  const send = (message) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(message));
  let answered = () => {};
  const reply = () => new Promise((resolve) => (answered = resolve)); // the user's answer; null: cancelled

  ws.on('message', (data) => {
    let message;
    try {
      message = JSON.parse(String(data));
    } catch {
      return;
    }
    if (message.type === 'ping' && run.options.ignore_pings !== '1') send({ type: 'pong', id: message.id });
    else if (message.type === 'user_reply') answered(String(message.text ?? ''));
    else if (message.type === 'cancel') answered(null);
  });

  send({ type: 'status', state: 'connected' });
  await pause(0.3);
  send({ type: 'status', state: 'planning' });
  send({ type: 'step', name: 'Plan the release' });
  send({ type: 'tool_call', name: 'run_tests', args: { suite: 'all' } });
  await pause(0.3);
  send({ type: 'tool_result', summary: '128 passed' });
  send({ type: 'progress', pct: 40, message: 'Tests passed' });
  send({ type: 'status', state: 'waiting_for_approval' });
  send({ type: 'need_input', prompt: 'Confirm deploy?' });
  run.asked.resolve();
  const answer = await reply();
  if (answer !== null && answer.trim().toLowerCase() === 'yes') {
    send({ type: 'status', state: 'deploying' });
    send({ type: 'progress', pct: 80, message: 'Deploying v1.2.0' });
    await pause(0.3);
    send({ type: 'done', result: 'deployed' });
  } else {
    send({ type: 'done', state: 'cancelled' });
  }
  run.ended.resolve();
  // The run is over; the socket stays open (pings still answered) until the client leaves.
}

async function tokens(req, res, runId, run) {
  const pause = pauser(run);
  let open = true;
  req.on('close', () => (open = false));
  res.on('close', () => console.log(`disconnected /api/runs/${runId}/tokens`));
  const send = (text) => open && res.write(text);
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
  const token = (text) => `data: ${JSON.stringify({ type: 'token', content: text })}\n\n`;
  const done = () =>
    run.options.tokens_end === 'event'
      ? `event: done\ndata: ${JSON.stringify({ finish_reason: 'stop' })}\n\n`
      : `data: ${JSON.stringify({ type: 'done' })}\n\n`;
  for (const text of ANSWER.slice(0, -1)) {
    await pause(0.05);
    send(token(text));
  }
  if (run.options.tokens_done === 'late') {
    send(token(ANSWER.at(-1)));
    await run.ended.promise; // the done comes after the control plane's done
    await pause(0.1);
    send(done());
  } else {
    // The answer's end comes once the question is out (whatever the pace).
    await Promise.race([run.asked.promise, new Promise((r) => setTimeout(r, 10_000))]);
    send(token(ANSWER.at(-1)) + done()); // the last word and the done, in one write
  }
  if (open) console.log(`tokens done ${runId}`);
  res.end();
}

const server = createServer((req, res) => {
  console.log(`${req.method} ${req.url}`);
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { 'Access-Control-Allow-Methods': '*', 'Access-Control-Allow-Headers': '*' });
    return res.end();
  }
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'POST' && url.pathname === '/api/runs') {
    const runId = randomUUID().slice(0, 8);
    const options = {};
    for (const [name, fallback] of Object.entries(SWITCHES))
      options[name] = url.searchParams.get(name) ?? process.env[name.toUpperCase()] ?? fallback;
    runs.set(runId, { options, asked: moment(), ended: moment() });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ run_id: runId }));
  }
  const match = url.pathname.match(/^\/api\/runs\/([^/]+)\/tokens$/);
  if (req.method === 'GET' && match) {
    if (runs.has(match[1])) return void tokens(req, res, match[1], runs.get(match[1]));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ error: 'not found' }));
  }
  res.writeHead(404).end();
});

const wss = new WebSocketServer({ server });
wss.on('connection', (ws, req) => {
  const url = new URL(req.url, 'http://localhost');
  const runId = url.pathname.match(/^\/ws\/runs\/([^/]+)$/)?.[1];
  if (!runId || !runs.has(runId)) return ws.close(1008, 'not found');
  console.log(`WebSocket ${req.url} [accepted]`);
  ws.on('close', () => console.log(`disconnected ${url.pathname}`));
  void control(ws, runId, runs.get(runId));
});

const port = Number(process.env.PORT ?? 8000);
server.listen(port, '127.0.0.1', () => console.log(`Hybrid server on http://127.0.0.1:${port}`));
