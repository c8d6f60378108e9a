"""The editor's web server: a Starlette app bound to 127.0.0.1 (JSON API, play websocket, page).

HTTP API (JSON bodies; every answer carries the editor state ``{"doc", "file", "format",
"can_undo", "can_redo", "capacity"}`` or ``{"error": one line}`` with status 400):

=========================  ===================================================================
``GET  /api/state``        the current document and file
``POST /api/edit``         ``{"op": NAME, "args": {...}}`` (``ops.OPERATIONS``), validated
``POST /api/undo|redo``    step through the history
``POST /api/new``          ``{"size": "s"|"m"|"l"}``: an empty level (floor, walls, ceiling)
``POST /api/document``     ``{"doc": {...}}``: replace the whole document (validated)
``GET  /api/files``        ``{"files": [...]}``: level files in the editor's folder
``POST /api/open``         ``{"path": "a.json"}``: load a file of either format (Kinetix import)
``POST /api/save``         ``{"path": "a.json", "format": "impetus"|"kinetix"}`` (Kinetix export)
``WS   /api/play``         play mode (:mod:`.playsocket`), by keyboard or by a checkpoint's agent
=========================  ===================================================================

Requests are only served for the Host ``127.0.0.1``/``localhost``; POSTs must be
``application/json`` and websockets must come from the page's own origin, so other web sites
open in the same browser cannot drive the editor.  No request can crash the server: expected
problems are 400s, anything else a 500 with one line.
"""

import json
import logging
import threading
import traceback
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from ..levels import LevelError
from ..levels.format import to_document
from . import files, play
from .history import History, problem_text
from .model import EditError, new_document, static_of
from .playsocket import play_socket

STATIC = Path(__file__).parent / "static"
HOSTS = ["127.0.0.1", "localhost"]
MAX_BODY = 8 * 2**20
log = logging.getLogger("impetus.editor")


class EditorState:
    """What one editor server holds: its folder, the document history and the current file."""

    def __init__(self, root: Path, level_file: str | None = None, size: str = "s", warm: bool = True,
                 agent=None):
        self.root = Path(root)
        self.agent = agent  # an editor.agent.Agent, or None
        self.lock = threading.Lock()
        self.file, self.format, self.warm_play = level_file, "impetus", warm
        if level_file is not None and files.resolve(self.root, level_file).is_file():
            level, self.format = files.read(self.root, level_file)
            self.history = History(to_document(level), level_file)
        else:
            self.history = History(new_document(size))
        self.warm()

    def warm(self) -> None:
        """Compile play mode for the current level's size in a background thread (if ``warm``)."""
        if not self.warm_play:
            return
        level = self.history.level
        threading.Thread(target=play.warm, args=(level,), daemon=True, name="impetus-editor-warm").start()

    def payload(self, **extra) -> dict:
        doc = self.history.doc
        static = static_of(doc["size"])
        capacity = {k: getattr(static, k) for k in ("num_polygons", "num_circles", "num_joints", "num_thrusters",
                                                    "max_polygon_vertices", "num_static_polygons")}
        return {"doc": doc, "file": self.file, "format": self.format, "can_undo": self.history.can_undo,
                "can_redo": self.history.can_redo, "capacity": capacity,
                "agent": self.agent.name if self.agent is not None else None, **extra}


# ---------------------------------------------------------------------------------------------- handlers
class RequestError(ValueError):
    """A malformed request (one line)."""


async def _body(request: Request) -> dict:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise RequestError("requests must be sent as application/json")
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise RequestError(f"request too large ({len(raw)} bytes)")
    try:
        body = json.loads(raw or b"{}")
    except (ValueError, RecursionError):
        raise RequestError("request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise RequestError("request body must be a JSON object")
    return body


def _field(body: dict, key: str, default=None):
    value = body.get(key, default)
    if value is None:
        raise RequestError(f"missing field {key!r}")
    return value


def endpoint(fn):
    """An async handler ``fn(state, body) -> payload`` run in a worker thread under the state's
    lock; known errors become 400s with one line, the rest 500s."""

    async def handler(request: Request):
        state: EditorState = request.app.state.editor
        try:
            body = await _body(request) if request.method == "POST" else {}

            def run():
                with state.lock:
                    return fn(state, body)

            return JSONResponse(await run_in_threadpool(run))
        except (RequestError, EditError, files.FileError) as err:
            return JSONResponse({"error": str(err)}, status_code=400)
        except LevelError as err:
            return JSONResponse({"error": problem_text(err)}, status_code=400)
        except Exception as err:  # never let a request take the server down
            log.error("editor: internal error\n%s", traceback.format_exc())
            return JSONResponse({"error": f"internal error: {type(err).__name__}: {err}"}, status_code=500)

    handler.__name__ = fn.__name__
    return handler


@endpoint
def get_state(state, body):
    return state.payload()


@endpoint
def edit(state, body):
    state.history.edit(_field(body, "op"), body.get("args", {}))
    return state.payload()


@endpoint
def undo(state, body):
    state.history.undo()
    return state.payload()


@endpoint
def redo(state, body):
    state.history.redo()
    return state.payload()


@endpoint
def new(state, body):
    size = body.get("size", "s")
    if size not in ("s", "m", "l"):
        raise RequestError(f"size: expected 's', 'm' or 'l', got {size!r}")
    state.history.replace(new_document(size))
    state.file, state.format = None, "impetus"
    state.warm()
    return state.payload()


@endpoint
def replace_document(state, body):
    doc = _field(body, "doc")
    if not isinstance(doc, dict):
        raise RequestError("doc: expected a level document (a JSON object)")
    state.history.replace(doc)
    return state.payload()


@endpoint
def list_files(state, body):
    return {"files": files.list_files(state.root)}


@endpoint
def open_file(state, body):
    path = _field(body, "path")
    level, fmt = files.read(state.root, path)
    state.history.replace(to_document(level), path)
    state.file, state.format = path, fmt
    state.warm()
    return state.payload(message=f"opened {path} ({fmt})")


@endpoint
def save_file(state, body):
    path, fmt = _field(body, "path"), body.get("format", "impetus")
    if fmt not in ("impetus", "kinetix"):
        raise RequestError(f"format: expected 'impetus' or 'kinetix', got {fmt!r}")
    files.write(state.root, path, state.history.level, fmt)
    state.file, state.format = path, fmt
    return state.payload(message=f"saved {path} ({fmt})")


async def index(request: Request):
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})


def create_app(root, level_file: str | None = None, size: str = "s", warm: bool = True,
               checkpoint=None) -> Starlette:
    """The editor app on folder ``root``, starting with ``level_file`` (relative to ``root``; a new
    level of ``size`` if it is ``None`` or does not exist yet).  With ``checkpoint`` (a checkpoint
    or run folder) a trained agent can play the level (``CheckpointError`` if it is unreadable)."""
    agent = None
    if checkpoint is not None:
        from .agent import Agent

        agent = Agent(checkpoint)
    routes = [
        Route("/", index), Route("/api/state", get_state), Route("/api/files", list_files),
        Route("/api/edit", edit, methods=["POST"]), Route("/api/undo", undo, methods=["POST"]),
        Route("/api/redo", redo, methods=["POST"]), Route("/api/new", new, methods=["POST"]),
        Route("/api/document", replace_document, methods=["POST"]), Route("/api/open", open_file, methods=["POST"]),
        Route("/api/save", save_file, methods=["POST"]), WebSocketRoute("/api/play", play_socket),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=HOSTS)])
    app.state.editor = EditorState(Path(root), level_file, size, warm, agent)
    return app
