// A task streamed over Server-Sent Events, as the common "REST vs SSE vs WebSocket for live AI"
// tutorials write it: the event name carries the type, the JSON has no "type" and no sequence number.
//
// POST /api/tasks                -> {"task_id": "..."}
// GET  /api/tasks/:id/stream     -> text/event-stream, about 2 seconds:
//     event: status    data: {"task_id": "...", "status": "running"}      (also "searching")
//     event: step      data: {"task_id": "...", "name": "Scan files"}
//     event: progress  data: {"task_id": "...", "progress": 10, "message": "Step 1/5: listing"}
//     data: {"type": "token", "content": "Found "}       (tokens on the default event)
//     event: done      data: {"task_id": "...", "result": {"files": 42}}
// An unknown id answers 200 {"error": "not found"}.
//
// Show it with agentwire:
//   <agent-run base-url="http://127.0.0.1:8000" run-id="{task_id}" transport="sse"
//              stream-path="/api/tasks/{id}/stream">
//
// Run:  PORT=8000 node sse-task.mjs           (Node 20, no dependencies)
// Test switches (query string of POST /api/tasks, or environment): speed=0 runs without pauses,
// speed=2 twice as fast (SPEED); fail=1 fails at 50 % with "disk full" (FAIL); tokens=bare sends
// tokens as {"content": ...} (TOKENS); tokens_only=1 sends nothing but tokens and done (TOKENS_ONLY).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const tasks = new Map();
const ANSWER = ['Found ', '42 ', 'files ', 'in ', '3 ', 'folders.'];
const STEPS = ['listing', 'reading', 'hashing', 'indexing', 'counting'];

const switchOf = (url, name, fallback) => url.searchParams.get(name) ?? process.env[name.toUpperCase()] ?? fallback;
const sse = (data, event) => `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;

async function stream(req, res, taskId, options) {
  const speed = Number(options.speed);
  let open = true;
  req.on('close', () => (open = false));
  res.on('close', () => console.log(`stream closed ${taskId}`));
  const pause = (seconds) => (speed > 0 ? new Promise((r) => setTimeout(r, (seconds * 1000) / speed)) : null);
  const send = (data, event) => open && res.write(sse(data, event));
  const token = (text) => send(options.tokens === 'bare' ? { content: text } : { type: 'token', content: text });

  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
  if (options.tokens_only !== '1') {
    send({ task_id: taskId, status: 'running' }, 'status');
    send({ task_id: taskId, name: 'Scan files' }, 'step');
    send({ task_id: taskId, status: 'searching' }, 'status');
    for (let step = 1; step <= 5; step++) {
      await pause(0.4);
      if (options.fail === '1' && step === 4) {
        send({ task_id: taskId, error: 'disk full' }, 'error');
        send({ task_id: taskId, status: 'failed' }, 'done');
        return res.end();
      }
      send({ task_id: taskId, progress: step * 20 - 10, message: `Step ${step}/5: ${STEPS[step - 1]}` }, 'progress');
    }
  }
  for (const text of ANSWER) {
    await pause(0.05);
    token(text);
  }
  send({ task_id: taskId, result: { files: 42 } }, 'done');
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
  if (req.method === 'POST' && url.pathname === '/api/tasks') {
    const taskId = randomUUID().slice(0, 8);
    const defaults = { speed: '1', fail: '0', tokens: 'typed', tokens_only: '0' };
    tasks.set(taskId, Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, switchOf(url, k, v)])));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ task_id: taskId }));
  }
  const match = url.pathname.match(/^\/api\/tasks\/([^/]+)\/stream$/);
  if (req.method === 'GET' && match) {
    if (tasks.has(match[1])) return void stream(req, res, match[1], tasks.get(match[1]));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ error: 'not found' }));
  }
  res.writeHead(404).end();
});

const port = Number(process.env.PORT ?? 8000);
server.listen(port, '127.0.0.1', () => console.log(`SSE task server on http://127.0.0.1:${port}`));
