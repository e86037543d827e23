// An agent loop over one WebSocket, as the common "REST vs SSE vs WebSocket for live AI"
// tutorials write it: every connection starts the conversation, messages have no sequence number,
// and the question carries no resume token.
//
// WS /ws/agent/:id   server -> client:
//     {"type": "status", "state": "connected"}          (also "planning", "waiting_for_approval", "deploying")
//     {"type": "step", "name": "Plan the release"}
//     {"type": "tool_call", "name": "run_tests", "args": {...}}   {"type": "tool_result", "summary": "..."}
//     {"type": "progress", "pct": 40, "message": "Tests passed"}
//     {"type": "need_input", "prompt": "Confirm deploy?"}
//     {"type": "done", "result": "deployed"}   or   {"type": "done", "state": "cancelled"}
// client -> server:
//     {"type": "user_reply", "text": "yes"}     {"type": "cancel"}     {"type": "ping"} -> {"type": "pong"}
//
// Show it with agentwire (any id: the conversation lives as long as the connection):
//   <agent-run base-url="http://127.0.0.1:8000" run-id="session-1" transport="websocket"
//              socket-path="/ws/agent/{id}">
//
// Run:  PORT=8000 node ws-agent.mjs           (Node 20 and the `ws` package: npm install ws)
// Test switches (query string of the WebSocket URL, or environment): speed=0 runs without pauses,
// speed=2 twice as fast (SPEED); ignore_pings=1 never answers {"type": "ping"} (IGNORE_PINGS);
// questions=2 asks "Notify the team?" after a yes (QUESTIONS); cancel_as=result ends a "no" with
// {"type": "done", "result": "cancelled"} instead of {"state": "cancelled"} (CANCEL_AS).
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const switchOf = (url, name, fallback) => url.searchParams.get(name) ?? process.env[name.toUpperCase()] ?? fallback;

async function agent(ws, url) {
  const speed = Number(switchOf(url, 'speed', '1'));
  const pause = (seconds) => (speed > 0 ? new Promise((r) => setTimeout(r, (seconds * 1000) / speed)) : null);
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
    if (message.type === 'ping' && switchOf(url, 'ignore_pings', '0') !== '1') send({ type: 'pong', id: message.id });
    else if (message.type === 'user_reply') answered(String(message.text ?? ''));
    else if (message.type === 'cancel') answered(null);
  });

  send({ type: 'status', state: 'connected' });
  await pause(0.3);
  send({ type: 'status', state: 'planning' });
  send({ type: 'step', name: 'Plan the release' });
  await pause(0.3);
  send({ type: 'tool_call', name: 'run_tests', args: { suite: 'all' } });
  await pause(0.3);
  send({ type: 'tool_result', summary: '128 passed' });
  send({ type: 'progress', pct: 40, message: 'Tests passed' });
  send({ type: 'tool_call', name: 'build_image', args: { tag: 'v1.2.0' } });
  await pause(0.3);
  send({ type: 'progress', pct: 60, message: 'Image built' });
  send({ type: 'status', state: 'waiting_for_approval' });
  send({ type: 'need_input', prompt: 'Confirm deploy?' });
  const answer = await reply();
  if (answer !== null && answer.trim().toLowerCase() === 'yes') {
    if (switchOf(url, 'questions', '1') === '2') {
      send({ type: 'need_input', prompt: 'Notify the team?' });
      await reply();
    }
    send({ type: 'status', state: 'deploying' });
    send({ type: 'progress', pct: 80, message: 'Deploying v1.2.0' });
    await pause(0.3);
    send({ type: 'done', result: 'deployed' });
  } else if (switchOf(url, 'cancel_as', 'state') === 'result') {
    send({ type: 'done', result: 'cancelled' });
  } else {
    send({ type: 'done', state: 'cancelled' });
  }
  // The conversation is over; the socket stays open (pings still answered) until the client leaves.
}

const server = createServer((req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server });
wss.on('connection', (ws, req) => {
  const url = new URL(req.url, 'http://localhost');
  const match = url.pathname.match(/^\/ws\/agent\/([^/]+)$/);
  if (!match) return ws.close(1008, 'not found');
  console.log(`WebSocket ${req.url} [accepted]`);
  ws.on('close', () => console.log(`disconnected ${url.pathname}`));
  void agent(ws, url);
});

const port = Number(process.env.PORT ?? 8000);
server.listen(port, '127.0.0.1', () => console.log(`WebSocket agent on ws://127.0.0.1:${port}/ws/agent/{id}`));
