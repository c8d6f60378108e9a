"""The play-mode websocket ``/api/play``: the server steps the real engine and streams frames.

Messages from the page (JSON objects with a ``type``):

* ``start`` (``{"paused": false, "agent": false}``): a new episode on the editor's current level,
  played by the keyboard or (``agent``) by the checkpoint the editor was started with.  Answers
  ``status`` (compiling) and then ``scene`` (geometry and the first frame; ``play.PlaySession``).
* ``keys`` (``{"motors": [m0, m1, m2, m3], "thrusters": [t0, t1]}``): the motor channels in
  [-1, 1] and thruster channels in [0, 1] held from now on (the page maps arrow and number keys).
* ``reset``: back to the start (answers ``scene``) and running.
* ``pause`` / ``resume``; ``step`` (``{"count": n}``): n steps at once, answering the last frame.

While running, the server takes ``steps_per_second`` steps a second (real time), sending a
``frame`` after each; once the episode ends (goal, death or timeout) it stops until ``reset``.
A bad message is answered by ``{"type": "error", "error": one line}``; the socket stays open.
"""

import asyncio
import logging
import math
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect

from ..levels import LevelError
from .play import PlaySession

MAX_CHANNELS, MAX_STEPS = 8, 10_000
log = logging.getLogger("impetus.editor")


class PlayError(ValueError):
    """A bad play message (one line)."""


def _values(msg: dict, key: str) -> list[float]:
    values = msg.get(key, [])
    if not isinstance(values, list) or len(values) > MAX_CHANNELS or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values):
        raise PlayError(f"keys: {key!r} must be a list of at most {MAX_CHANNELS} finite numbers")
    return values


class Player:
    """The play state of one websocket connection."""

    def __init__(self, ws: WebSocket, editor):
        self.ws, self.editor = ws, editor
        self.session: PlaySession | None = None
        self.action = None
        self.running = False
        self.wake = asyncio.Event()
        self.send_lock, self.busy = asyncio.Lock(), asyncio.Lock()

    async def send(self, message: dict) -> None:
        async with self.send_lock:
            await self.ws.send_json(message)

    async def run(self) -> None:
        """Step while running, at the session's steps per second, and send each frame."""
        try:
            await self._run()
        except (WebSocketDisconnect, RuntimeError, OSError):  # the page went away mid-send
            return

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time()
        while True:
            if not (self.running and self.session is not None):
                self.wake.clear()
                await self.wake.wait()
                deadline = loop.time()
                continue
            try:
                async with self.busy:
                    frame = await run_in_threadpool(self.session.step, self.action)
            except Exception as err:  # a failing step stops play, not the server
                log.exception("editor: play step failed")
                self.running = False
                await self.send({"type": "error", "error": f"internal error: {type(err).__name__}: {err}"})
                continue
            await self.send(frame)
            if frame["outcome"] is not None:
                self.running = False
            deadline = max(deadline + 1.0 / self.session.steps_per_second, loop.time())
            await asyncio.sleep(deadline - loop.time())

    def _session(self) -> PlaySession:
        if self.session is None:
            raise PlayError("no episode: send 'start' first")
        return self.session

    async def handle(self, msg) -> None:
        kind = msg.get("type") if isinstance(msg, dict) else None
        if kind == "start":
            level, agent = self.editor.history.level, None
            if msg.get("agent"):
                agent = self.editor.agent
                if agent is None:
                    raise PlayError("no agent: start the editor with --checkpoint RUN_OR_CHECKPOINT")
            await self.send({"type": "status", "text": "compiling the level's size (first time only)..."})
            async with self.busy:
                self.session = await run_in_threadpool(_session, level, agent)
                self.action = self.session.channels()
            await self.send(self.session.scene())
            self.running = not msg.get("paused", False)
        elif kind == "keys":
            session = self._session()
            self.action = session.channels(_values(msg, "motors"), _values(msg, "thrusters"))
        elif kind == "reset":
            async with self.busy:
                await run_in_threadpool(self._session().reset)
            await self.send(self._session().scene())
            self.running = True
        elif kind in ("pause", "resume"):
            self.running = kind == "resume" and self._session().outcome is None
        elif kind == "step":
            count = msg.get("count", 1)
            if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_STEPS:
                raise PlayError(f"step: 'count' must be an integer in 1..{MAX_STEPS}")
            session = self._session()
            async with self.busy:
                frame = await run_in_threadpool(_steps, session, self.action, count)
            await self.send(frame)
        else:
            raise PlayError(f"unknown message type {kind!r}; expected start, keys, reset, pause, resume or step")
        self.wake.set()


def _session(level, agent) -> PlaySession:
    if agent is None:
        return PlaySession(level)
    from .agent import AgentSession

    return AgentSession(level, agent)


def _steps(session: PlaySession, action, count: int) -> dict:
    frame = session.frame()
    for _ in range(count):
        frame = session.step(action)
        if frame["outcome"] is not None:
            break
    return frame


def _same_origin(ws: WebSocket) -> bool:
    origin = ws.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == ws.headers.get("host")


async def play_socket(ws: WebSocket) -> None:
    if not _same_origin(ws):
        await ws.close(code=1008)
        return
    await ws.accept()
    player = Player(ws, ws.app.state.editor)
    ticker = asyncio.create_task(player.run())
    try:
        while True:
            try:
                msg = await ws.receive_json()
            except (ValueError, KeyError):
                await player.send({"type": "error", "error": "messages must be JSON objects"})
                continue
            try:
                await player.handle(msg)
            except PlayError as err:
                await player.send({"type": "error", "error": str(err)})
            except LevelError as err:
                await player.send({"type": "error", "error": err.first})
            except Exception as err:  # a failing step must not end the server
                log.exception("editor: play error")
                await player.send({"type": "error", "error": f"internal error: {type(err).__name__}: {err}"})
    except WebSocketDisconnect:
        pass
    finally:
        ticker.cancel()
