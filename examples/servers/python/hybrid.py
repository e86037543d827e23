"""The hybrid stack of the common "REST vs SSE vs WebSocket for live AI" tutorials: REST starts a
run, a WebSocket carries the conversation (the control plane) and SSE streams the answer's
tokens (the token plane). No sequence numbers; the question carries no resume token.

POST /api/runs               -> {"run_id": "..."}
WS   /ws/runs/{id}           control plane, server -> client:
    {"type": "status", "state": "connected"}   (also "planning", "waiting_for_approval", "deploying")
    {"type": "step", ...}  {"type": "tool_call", ...}  {"type": "progress", "pct": 40, "message": ...}
    {"type": "need_input", "prompt": "Confirm deploy?"}
    {"type": "done", "result": "deployed"}   or   {"type": "done", "state": "cancelled"}
  client -> server: {"type": "user_reply", "text": "yes"}  {"type": "cancel"}  {"type": "ping"}
GET  /api/runs/{id}/tokens   token plane (SSE): data: {"type": "token", "content": "Here "} ...
    then, once the answer text is finished: data: {"type": "done"}
    (or, with tokens_end=event:  event: done + data: {"finish_reason": "stop"})
The agent writes its answer while it asks: the answer's last word and the token plane's done
come once the question is out, before it is answered.
An unknown id answers 200 {"error": "not found"} (tokens) or closes the socket (1008).

Show it with agentwire (these are agentwire's default paths):
  <agent-run base-url="http://127.0.0.1:8000" run-id="{run_id}" transport="hybrid">

Run:  PORT=8000 python3 hybrid.py          (needs fastapi, uvicorn and websockets)
Test switches (query string of POST /api/runs, or environment): speed=0 runs without pauses,
speed=2 twice as fast (SPEED); ignore_pings=1 never answers {"type": "ping"} (IGNORE_PINGS);
tokens_end=event ends the tokens with "event: done" (TOKENS_END); tokens_done=late sends the
token plane's done only after the control plane's done (TOKENS_DONE).
"""
import asyncio
import json
import os
import uuid

import uvicorn
from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import StreamingResponse

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"])

runs: dict[str, dict] = {}
ANSWER = ["Here ", "is ", "the ", "plan: ", "run ", "the ", "tests, ", "build ", "the ", "image, ", "deploy ", "v1.2.0."]
SWITCHES = [("speed", "1"), ("ignore_pings", "0"), ("tokens_end", "data"), ("tokens_done", "early")]


@app.post("/api/runs")
async def create_run(request: Request):
    run_id = uuid.uuid4().hex[:8]
    options = {name: request.query_params.get(name, os.environ.get(name.upper(), default)) for name, default in SWITCHES}
    runs[run_id] = {"options": options, "asked": asyncio.Event(), "ended": asyncio.Event()}
    return {"run_id": run_id}


def pauser(run: dict):
    speed = float(run["options"]["speed"])

    async def pause(seconds: float) -> None:
        if speed > 0:
            await asyncio.sleep(seconds / speed)

    return pause


async def reply(ws: WebSocket, ignore_pings: bool) -> str | None:
    """Wait for the user's answer; None when they cancelled."""
    while True:
        message = await ws.receive_json()
        if message.get("type") == "ping":
            if not ignore_pings:
                await ws.send_json({"type": "pong", "id": message.get("id")})
        elif message.get("type") == "user_reply":
            return str(message.get("text", ""))
        elif message.get("type") == "cancel":
            return None


@app.websocket("/ws/runs/{run_id}")
async def control(ws: WebSocket, run_id: str):
    await ws.accept()
    run = runs.get(run_id)
    if run is None:
        await ws.close(code=1008)
        return
    pause = pauser(run)
    ignore_pings = run["options"]["ignore_pings"] == "1"
    try:
        await ws.send_json({"type": "status", "state": "connected"})
        await pause(0.3)
        await ws.send_json({"type": "status", "state": "planning"})
        await ws.send_json({"type": "step", "name": "Plan the release"})
        await ws.send_json({"type": "tool_call", "name": "run_tests", "args": {"suite": "all"}})
        await pause(0.3)
        await ws.send_json({"type": "tool_result", "summary": "128 passed"})
        await ws.send_json({"type": "progress", "pct": 40, "message": "Tests passed"})
        await ws.send_json({"type": "status", "state": "waiting_for_approval"})
        await ws.send_json({"type": "need_input", "prompt": "Confirm deploy?"})
        run["asked"].set()
        answer = await reply(ws, ignore_pings)
        if answer is not None and answer.strip().lower() == "yes":
            await ws.send_json({"type": "status", "state": "deploying"})
            await ws.send_json({"type": "progress", "pct": 80, "message": "Deploying v1.2.0"})
            await pause(0.3)
            await ws.send_json({"type": "done", "result": "deployed"})
        else:
            await ws.send_json({"type": "done", "state": "cancelled"})
        run["ended"].set()
        while True:  # the run is over; keep the socket until the client leaves
            await reply(ws, ignore_pings)
    except WebSocketDisconnect:
        pass
    finally:
        print(f"disconnected /ws/runs/{run_id}", flush=True)


async def tokens(run_id: str, run: dict):
    pause = pauser(run)

    def token(text: str) -> str:
        return f"data: {json.dumps({'type': 'token', 'content': text})}\n\n"

    def done() -> str:
        if run["options"]["tokens_end"] == "event":
            return f"event: done\ndata: {json.dumps({'finish_reason': 'stop'})}\n\n"
        return f"data: {json.dumps({'type': 'done'})}\n\n"

    try:
        for text in ANSWER[:-1]:
            await pause(0.05)
            yield token(text)
        if run["options"]["tokens_done"] == "late":
            yield token(ANSWER[-1])
            await run["ended"].wait()  # the done comes after the control plane's done
            await pause(0.1)
            yield done()
        else:
            try:  # the answer's end comes once the question is out (whatever the pace)
                await asyncio.wait_for(run["asked"].wait(), timeout=10)
            except asyncio.TimeoutError:
                pass
            yield token(ANSWER[-1]) + done()  # the last word and the done, in one write
        print(f"tokens done {run_id}", flush=True)
    finally:
        print(f"disconnected /api/runs/{run_id}/tokens", flush=True)


@app.get("/api/runs/{run_id}/tokens")
async def token_plane(run_id: str):
    if run_id not in runs:
        return {"error": "not found"}
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(tokens(run_id, runs[run_id]), media_type="text/event-stream", headers=headers)


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
