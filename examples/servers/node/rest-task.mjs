// A REST task API, as the common "REST vs SSE vs WebSocket for live AI" tutorials write it.
//
// POST /api/tasks        -> {"task_id": "..."}         starts a task of about 2 seconds
// GET  /api/tasks/:id    -> {"task_id", "status", "progress", "result"}
//                           status: queued | running | done | failed
//                           an unknown id answers 200 {"error": "not found"}
//
// Show it with agentwire (poll the task JSON):
//   <agent-run base-url="http://127.0.0.1:8000" run-id="{task_id}" transport="poll"
//              snapshot-path="/api/tasks/{id}">
//
// Run:  PORT=8000 node rest-task.mjs          (Node 20, no dependencies)
// Test switches (query string of POST /api/tasks, or environment): speed=0 runs without pauses,
// speed=2 twice as fast (SPEED); fail=1 fails the task at 60 % with "disk full" (FAIL).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const tasks = new Map();

const switchOf = (url, name, fallback) => url.searchParams.get(name) ?? process.env[name.toUpperCase()] ?? fallback;
const pause = (seconds, speed) => (speed > 0 ? new Promise((r) => setTimeout(r, (seconds * 1000) / speed)) : null);

async function work(task, speed, fail) {
  await pause(0.2, speed);
  task.status = 'running';
  for (let step = 1; step <= 5; step++) {
    await pause(0.4, speed);
    if (fail && step === 4) {
      task.status = 'failed';
      task.error = 'disk full';
      return;
    }
    task.progress = step * 20;
  }
  task.status = 'done';
  task.result = { files: 42 };
}

function send(res, body) {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
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
    const task = { task_id: randomUUID().slice(0, 8), status: 'queued', progress: 0, result: null };
    tasks.set(task.task_id, task);
    void work(task, Number(switchOf(url, 'speed', '1')), switchOf(url, 'fail', '0') === '1');
    return send(res, { task_id: task.task_id });
  }
  const match = url.pathname.match(/^\/api\/tasks\/([^/]+)$/);
  if (req.method === 'GET' && match) return send(res, tasks.get(match[1]) ?? { error: 'not found' });
  res.writeHead(404).end();
});

const port = Number(process.env.PORT ?? 8000);
server.listen(port, '127.0.0.1', () => console.log(`REST task server on http://127.0.0.1:${port}`));
