"""A REST task API, as the common "REST vs SSE vs WebSocket for live AI" tutorials write it.

POST /api/tasks        -> {"task_id": "..."}         starts a task of about 2 seconds
GET  /api/tasks/{id}   -> {"task_id", "status", "progress", "result"}
                          status: queued | running | done | failed
                          an unknown id answers 200 {"error": "not found"}

Show it with agentwire (poll the task JSON):
  <agent-run base-url="http://127.0.0.1:8000" run-id="{task_id}" transport="poll"
             snapshot-path="/api/tasks/{id}">

Run:  PORT=8000 python3 rest_task.py       (needs fastapi and uvicorn)
Test switches (query string of POST /api/tasks, or environment): speed=0 runs without pauses,
speed=2 twice as fast (SPEED); fail=1 fails the task at 60 % with "disk full" (FAIL).
"""
import asyncio
import os
import uuid

import uvicorn
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"])

tasks: dict[str, dict] = {}
running: set[asyncio.Task] = set()  # keep a reference, or asyncio may drop a running task


def switch(request: Request, name: str, default: str) -> str:
    return request.query_params.get(name, os.environ.get(name.upper(), default))


async def pause(seconds: float, speed: float) -> None:
    if speed > 0:
        await asyncio.sleep(seconds / speed)


async def work(task_id: str, speed: float, fail: bool) -> None:
    task = tasks[task_id]
    await pause(0.2, speed)
    task["status"] = "running"
    for step in range(1, 6):
        await pause(0.4, speed)
        if fail and step == 4:
            task["status"] = "failed"
            task["error"] = "disk full"
            return
        task["progress"] = step * 20
    task["status"] = "done"
    task["result"] = {"files": 42}


@app.post("/api/tasks")
async def create_task(request: Request):
    task_id = uuid.uuid4().hex[:8]
    tasks[task_id] = {"task_id": task_id, "status": "queued", "progress": 0, "result": None}
    speed = float(switch(request, "speed", "1"))
    job = asyncio.create_task(work(task_id, speed, switch(request, "fail", "0") == "1"))
    running.add(job)
    job.add_done_callback(running.discard)
    return {"task_id": task_id}


@app.get("/api/tasks/{task_id}")
async def get_task(task_id: str):
    if task_id not in tasks:
        return {"error": "not found"}
    return tasks[task_id]


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
