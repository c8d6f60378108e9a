"""The local web level editor with play mode (``impetus edit``), on the real engine.

Modules:

* ``model``, ``links``, ``ops``: pure edit operations on a level *document* (the Impetus JSON
  format): shapes; joints and thrusters; gravity, episode length and size, and the table of
  edits by name (``ops.apply``).
* ``history``: the current document, validated after every change, with undo/redo.
* ``files``: reading and writing level files inside the folder the editor was opened on.
* ``play``: play mode: the jitted environment stepped on the server, frames for the page.
* ``agent``: play mode driven by a trained checkpoint's policy instead of the keyboard.
* ``playsocket``: the play websocket (keys in, frames out, in real time).
* ``server``: the Starlette app (JSON API, the play websocket, the static page); ``serve``: uvicorn
  on 127.0.0.1, in the foreground or a background thread.
* ``static/``: the page (``index.html``, ``editor.js``, ``style.css``; no build step).

This package sits at the top of the layers: it may import everything and nothing imports it.
"""
