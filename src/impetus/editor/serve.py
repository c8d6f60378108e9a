"""Running the editor app with uvicorn on 127.0.0.1: in the foreground (``impetus edit``) or in
a background thread (tests, notebooks).  Port 0 picks a free port; the URL is known before
the server starts because the socket is bound here."""

import socket
import threading
import time
import webbrowser

import uvicorn

HOST = "127.0.0.1"


def bind(port: int = 0) -> socket.socket:
    """A listening TCP socket on 127.0.0.1:``port`` (``OSError`` if the port is taken)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError:
        sock.close()
        raise
    sock.listen(64)
    return sock


def url_of(sock: socket.socket) -> str:
    return f"http://{HOST}:{sock.getsockname()[1]}/"


def _server(app) -> uvicorn.Server:
    return uvicorn.Server(uvicorn.Config(app, log_level="warning", ws="auto", lifespan="off"))


def serve(app, port: int = 8765, open_browser: bool = True, announce=print) -> None:
    """Serve ``app`` until Ctrl-C; ``announce`` gets the URL first, the browser opens it if asked."""
    sock = bind(port)
    url = url_of(sock)
    announce(url)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    _server(app).run(sockets=[sock])


class BackgroundServer:
    """``app`` served from a daemon thread: ``url``, and ``stop()`` to shut it down."""

    def __init__(self, app, port: int = 0, timeout: float = 30.0):
        self._sock = bind(port)
        self.url = url_of(self._sock)
        self._server = _server(app)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True,
                                        name="impetus-editor-server")
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the editor server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()
