"""An agent loop over one WebSocket, as the common "REST vs SSE vs WebSocket for live AI"
tutorials write it: every connection starts the conversation, messages have no sequence number,
and the question carries no resume token.

WS /ws/agent/{id}   server -> client:
    {"type": "status", "state": "connected"}          (also "planning", "waiting_for_approval", "deploying")
    {"type": "step", "name": "Plan the release"}
    {"type": "tool_call", "name": "run_tests", "args": {...}}   {"type": "tool_result", "summary": "..."}
    {"type": "progress", "pct": 40, "message": "Tests passed"}
    {"type": "need_input", "prompt": "Confirm deploy?"}
    {"type": "done", "result": "deployed"}   or   {"type": "done", "state": "cancelled"}
client -> server:
    {"type": "user_reply", "text": "yes"}     {"type": "cancel"}     {"type": "ping"} -> {"type": "pong"}

Show it with agentwire (any id: the conversation lives as long as the connection):
  <agent-run base-url="http://127.0.0.1:8000" run-id="session-1" transport="websocket"
             socket-path="/ws/agent/{id}">

Run:  PORT=8000 python3 ws_agent.py        (needs fastapi, uvicorn and websockets)
Test switches (query string of the WebSocket URL, or environment): speed=0 runs without pauses,
speed=2 twice as fast (SPEED); ignore_pings=1 never answers {"type": "ping"} (IGNORE_PINGS);
questions=2 asks "Notify the team?" after a yes (QUESTIONS); cancel_as=result ends a "no" with
{"type": "done", "result": "cancelled"} instead of {"state": "cancelled"} (CANCEL_AS).
"""
import asyncio
import os

import uvicorn
from fastapi import FastAPI, WebSocket, WebSocketDisconnect

app = FastAPI()


def switch(ws: WebSocket, name: str, default: str) -> str:
    return ws.query_params.get(name, os.environ.get(name.upper(), default))


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


@app.websocket("/ws/agent/{session_id}")
async def agent(ws: WebSocket, session_id: str):
    await ws.accept()
    speed = float(switch(ws, "speed", "1"))
    ignore_pings = switch(ws, "ignore_pings", "0") == "1"

    async def pause(seconds: float) -> None:
        if speed > 0:
            await asyncio.sleep(seconds / speed)

    try:
        await ws.send_json({"type": "status", "state": "connected"})
        await pause(0.3)
        await ws.send_json({"type": "status", "state": "planning"})
        await ws.send_json({"type": "step", "name": "Plan the release"})
        await pause(0.3)
        await ws.send_json({"type": "tool_call", "name": "run_tests", "args": {"suite": "all"}})
        await pause(0.3)
        await ws.send_json({"type": "tool_result", "summary": "128 passed"})
        await ws.send_json({"type": "progress", "pct": 40, "message": "Tests passed"})
        await ws.send_json({"type": "tool_call", "name": "build_image", "args": {"tag": "v1.2.0"}})
        await pause(0.3)
        await ws.send_json({"type": "progress", "pct": 60, "message": "Image built"})
        await ws.send_json({"type": "status", "state": "waiting_for_approval"})
        await ws.send_json({"type": "need_input", "prompt": "Confirm deploy?"})
        answer = await reply(ws, ignore_pings)
        if answer is not None and answer.strip().lower() == "yes":
            if switch(ws, "questions", "1") == "2":
                await ws.send_json({"type": "need_input", "prompt": "Notify the team?"})
                await reply(ws, ignore_pings)
            await ws.send_json({"type": "status", "state": "deploying"})
            await ws.send_json({"type": "progress", "pct": 80, "message": "Deploying v1.2.0"})
            await pause(0.3)
            await ws.send_json({"type": "done", "result": "deployed"})
        elif switch(ws, "cancel_as", "state") == "result":
            await ws.send_json({"type": "done", "result": "cancelled"})
        else:
            await ws.send_json({"type": "done", "state": "cancelled"})
        while True:  # the conversation is over; keep the socket until the client leaves
            await reply(ws, ignore_pings)
    except WebSocketDisconnect:
        pass
    finally:
        print(f"disconnected /ws/agent/{session_id}", flush=True)


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
