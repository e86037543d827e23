"""A task streamed over Server-Sent Events, as the common "REST vs SSE vs WebSocket for live AI"
tutorials write it: the event name carries the type, the JSON has no "type" and no sequence number.

POST /api/tasks                -> {"task_id": "..."}
GET  /api/tasks/{id}/stream    -> text/event-stream, about 2 seconds:
    event: status    data: {"task_id": "...", "status": "running"}      (also "searching")
    event: step      data: {"task_id": "...", "name": "Scan files"}
    event: progress  data: {"task_id": "...", "progress": 10, "message": "Step 1/5: listing"}
    data: {"type": "token", "content": "Found "}       (tokens on the default event)
    event: done      data: {"task_id": "...", "result": {"files": 42}}
An unknown id answers 200 {"error": "not found"}.

Show it with agentwire:
  <agent-run base-url="http://127.0.0.1:8000" run-id="{task_id}" transport="sse"
             stream-path="/api/tasks/{id}/stream">

Run:  PORT=8000 python3 sse_task.py        (needs fastapi and uvicorn)
Test switches (query string of POST /api/tasks, or environment): speed=0 runs without pauses,
speed=2 twice as fast (SPEED); fail=1 fails at 50 % with "disk full" (FAIL); tokens=bare sends
tokens as {"content": ...} (TOKENS); tokens_only=1 sends nothing but tokens and done (TOKENS_ONLY).
"""
import asyncio
import json
import os
import uuid

import uvicorn
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import StreamingResponse

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"])

tasks: dict[str, dict] = {}
ANSWER = ["Found ", "42 ", "files ", "in ", "3 ", "folders."]


def switch(request: Request, name: str, default: str) -> str:
    return request.query_params.get(name, os.environ.get(name.upper(), default))


def sse(data: dict, event: str | None = None) -> str:
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(data)}\n\n"


@app.post("/api/tasks")
async def create_task(request: Request):
    task_id = uuid.uuid4().hex[:8]
    tasks[task_id] = {name: switch(request, name, default) for name, default in
                      [("speed", "1"), ("fail", "0"), ("tokens", "typed"), ("tokens_only", "0")]}
    return {"task_id": task_id}


async def events(task_id: str, options: dict):
    speed = float(options["speed"])

    async def pause(seconds: float) -> None:
        if speed > 0:
            await asyncio.sleep(seconds / speed)

    def token(text: str) -> str:
        return sse({"content": text} if options["tokens"] == "bare" else {"type": "token", "content": text})

    try:
        if options["tokens_only"] != "1":
            yield sse({"task_id": task_id, "status": "running"}, "status")
            yield sse({"task_id": task_id, "name": "Scan files"}, "step")
            yield sse({"task_id": task_id, "status": "searching"}, "status")
            for step in range(1, 6):
                await pause(0.4)
                if options["fail"] == "1" and step == 4:
                    yield sse({"task_id": task_id, "error": "disk full"}, "error")
                    yield sse({"task_id": task_id, "status": "failed"}, "done")
                    return
                message = f"Step {step}/5: " + ["listing", "reading", "hashing", "indexing", "counting"][step - 1]
                yield sse({"task_id": task_id, "progress": step * 20 - 10, "message": message}, "progress")
        for text in ANSWER:
            await pause(0.05)
            yield token(text)
        yield sse({"task_id": task_id, "result": {"files": 42}}, "done")
    finally:
        print(f"stream closed {task_id}", flush=True)


@app.get("/api/tasks/{task_id}/stream")
async def stream(task_id: str):
    if task_id not in tasks:
        return {"error": "not found"}
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(task_id, tasks[task_id]), media_type="text/event-stream", headers=headers)


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
