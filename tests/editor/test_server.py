"""The editor's HTTP API and play websocket (Starlette TestClient; no browser)."""

import json
import os
import subprocess
import sys
import warnings

import pytest

with warnings.catch_warnings():  # starlette may prefer httpx2 to httpx; either works for the tests
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from impetus.cli.args import CLIError
from impetus.cli.edit import locate
from impetus.editor.play import PlaySession
from impetus.editor.server import create_app
from impetus.levels import load_level
from impetus.levels.format import dumps, to_document

BASE = "http://127.0.0.1"
BALL_AND_GOAL = [
    ("add_circle", {"position": [1.0, 0.6], "radius": 0.2, "role": "green"}),
    ("add_rectangle", {"position": [4.0, 0.6], "half_size": [0.2, 0.2], "role": "blue", "fixed": True}),
    ("add_thruster", {"shape": "c0", "anchor": [1.0, 0.6], "direction": 0.0}),
]


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return tmp_path_factory.mktemp("levels")


@pytest.fixture(scope="module")
def client(root):
    app = create_app(root, "ball.json", warm=False)
    with TestClient(app, base_url=BASE) as c:
        for op, args in BALL_AND_GOAL:
            assert c.post("/api/edit", json={"op": op, "args": args}).status_code == 200
        yield c


def error_of(response, status=400) -> str:
    assert response.status_code == status, response.text
    text = response.json()["error"]
    assert "\n" not in text and "Traceback" not in text
    return text


def test_state_and_page(client):
    state = client.get("/api/state").json()
    assert state["file"] == "ball.json" and state["format"] == "impetus"
    assert state["capacity"]["num_circles"] == 2 and state["can_undo"]
    assert [s["id"] for s in state["doc"]["shapes"]] == ["p0", "p1", "p2", "p3", "p4", "c0"]
    page = client.get("/")
    assert page.status_code == 200 and '<canvas id="canvas"' in page.text
    assert "export class Player" in client.get("/static/play.js").text


def test_edit_undo_redo(client):
    moved = client.post("/api/edit", json={"op": "move_shape", "args": {"id": "p4", "position": [3.5, 0.6]}}).json()
    assert moved["doc"]["shapes"][4]["position"] == [3.5, 0.6]
    undone = client.post("/api/undo", json={}).json()
    assert undone["doc"]["shapes"][4]["position"] == [4.0, 0.6] and undone["can_redo"]
    redone = client.post("/api/redo", json={}).json()
    assert redone["doc"] == moved["doc"]
    client.post("/api/undo", json={})


def test_bad_requests_get_one_clear_line(client):
    before = client.get("/api/state").json()["doc"]
    form = {"content-type": "application/x-www-form-urlencoded"}
    assert "application/json" in error_of(client.post("/api/edit", content=b"op=x", headers=form))
    raw = {"content-type": "application/json"}
    assert "not valid JSON" in error_of(client.post("/api/edit", content=b"{", headers=raw))
    assert "must be a JSON object" in error_of(client.post("/api/edit", json=[1, 2]))
    assert error_of(client.post("/api/edit", json={})) == "missing field 'op'"
    big = {"op": "add_circle", "args": {"position": [1, 1], "radius": "big"}}
    assert error_of(client.post("/api/edit", json=big)) == "add_circle: radius: expected a finite number, got 'big'"
    assert error_of(client.post("/api/edit", json={"op": "set_shape", "args": {"id": "c0", "density": 0.0}})) \
        == "set_shape: shape c0 density: a movable shape needs density > 0 (got 0.0)"
    assert "Invalid host header" in client.get("/api/state", headers={"host": "attacker.example"}).text
    assert client.get("/api/state").json()["doc"] == before


def test_internal_errors_do_not_stop_the_server(client, monkeypatch):
    history = client.app.state.editor.history
    monkeypatch.setattr(history, "edit", lambda op, args: 1 / 0)
    text = error_of(client.post("/api/edit", json={"op": "add_circle", "args": {}}), status=500)
    assert text == "internal error: ZeroDivisionError: division by zero"
    monkeypatch.undo()
    assert client.get("/api/state").status_code == 200


def test_paths_stay_inside_the_folder(client, root, tmp_path):
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    (root / "link.json").symlink_to(outside)
    (root / "linkdir").symlink_to(tmp_path, target_is_directory=True)
    cases = {"../x.json": "'..' is not allowed", "/etc/x.json": "absolute paths are not allowed",
             "a/../../x.json": "'..' is not allowed", "C:\\x.json": "absolute paths are not allowed",
             "link.json": "leads outside the editor's folder", "linkdir/outside.json": "leads outside",
             "level.txt": "level files end in .json", "missing.json": "no such file", "": "expected a file name"}
    for path, problem in cases.items():
        assert problem in error_of(client.post("/api/open", json={"path": path})), path
        if path != "missing.json":
            assert problem in error_of(client.post("/api/save", json={"path": path})), path
    assert "does not exist" in error_of(client.post("/api/save", json={"path": "no/such/dir/x.json"}))
    assert outside.read_text() == "{}"
    assert "link.json" not in client.get("/api/files").json()["files"]


def test_save_and_open_both_formats(client, root):
    state = client.post("/api/save", json={"path": "ball.json"}).json()
    assert state["message"] == "saved ball.json (impetus)"
    level = load_level(root / "ball.json")
    assert (root / "ball.json").read_text() == dumps(level)
    assert to_document(level) == state["doc"]
    exported = client.post("/api/save", json={"path": "ball_kinetix.json", "format": "kinetix"}).json()
    assert exported["format"] == "kinetix"
    assert {"env_state", "env_params", "static_env_params"} <= set(json.loads((root / "ball_kinetix.json").read_text()))
    assert "format: expected 'impetus' or 'kinetix'" in error_of(
        client.post("/api/save", json={"path": "x.json", "format": "pickle"}))
    client.post("/api/new", json={"size": "m"})
    opened = client.post("/api/open", json={"path": "ball_kinetix.json"}).json()
    assert opened["format"] == "kinetix" and opened["message"] == "opened ball_kinetix.json (kinetix)"
    kinetix_shapes = {s["id"]: (s["role"], s["position"]) for s in opened["doc"]["shapes"]}
    assert kinetix_shapes["c0"] == ("green", [1.0, 0.6]) and kinetix_shapes["p4"] == ("blue", [4.0, 0.6])
    reopened = client.post("/api/open", json={"path": "ball.json"}).json()
    assert reopened["doc"] == state["doc"] and reopened["file"] == "ball.json"
    assert sorted(client.get("/api/files").json()["files"]) == ["ball.json", "ball_kinetix.json"]


def test_broken_files_are_refused_and_change_nothing(client, root):
    client.post("/api/save", json={"path": "ball.json"})
    before = client.get("/api/state").json()
    (root / "broken.json").write_text('{"schema_version": 1,')
    assert error_of(client.post("/api/open", json={"path": "broken.json"})).startswith(
        "broken.json:1:22: invalid JSON")
    doc = json.loads((root / "ball.json").read_text())
    doc["shapes"][5]["radius"] = -1
    (root / "bad_radius.json").write_text(json.dumps(doc))
    assert "$.shapes[5].radius: radius must be a finite number > 0" in error_of(
        client.post("/api/open", json={"path": "bad_radius.json"}))
    assert "not a level file" in error_of(client.post("/api/document", json={"doc": {"hello": 1}}))
    assert client.get("/api/state").json() == before


def test_play_to_the_goal_over_the_websocket(client):
    with client.websocket_connect("ws://127.0.0.1/api/play") as ws:
        ws.send_json({"type": "keys", "thrusters": [1]})
        assert ws.receive_json() == {"type": "error", "error": "no episode: send 'start' first"}
        ws.send_json({"type": "start", "paused": True})
        assert ws.receive_json()["type"] == "status"
        scene = ws.receive_json()
        assert scene["type"] == "scene" and scene["steps_per_second"] == 30
        assert {s["index"]: s["role"] for s in scene["shapes"]}[5] == 1 and len(scene["thrusters"]) == 1
        assert scene["frame"]["t"] == 0 and scene["frame"]["outcome"] is None
        ws.send_json({"type": "step", "count": 10})  # no keys held: the ball stays put
        idle = ws.receive_json()
        assert idle["t"] == 10 and idle["outcome"] is None and abs(idle["position"][5][0] - 1.0) < 1e-3
        ws.send_json({"type": "keys", "motors": [0, 0, 0, 0], "thrusters": [1, 0]})
        ws.send_json({"type": "step", "count": 200})
        goal = ws.receive_json()
        assert goal["outcome"] == "goal" and goal["t"] < 60 and goal["return"] > 1.0
        ws.send_json({"type": "keys", "thrusters": ["on"]})
        assert "finite numbers" in ws.receive_json()["error"]
        ws.send_json({"type": "warp"})
        assert "unknown message type 'warp'" in ws.receive_json()["error"]
        ws.send_json({"type": "reset"})  # and now in real time, streamed
        assert ws.receive_json()["frame"]["t"] == 0
        frames = [ws.receive_json() for _ in range(3)]
        assert [f["t"] for f in frames] == [1, 2, 3]
        ws.send_json({"type": "pause"})


def test_play_refuses_other_origins(client):
    from starlette.websockets import WebSocketDisconnect

    with pytest.raises(WebSocketDisconnect), \
            client.websocket_connect("ws://127.0.0.1/api/play", headers={"origin": "http://evil.example"}) as ws:
        ws.receive_json()


def test_play_channels_map_keys_to_bindings(client):
    session = PlaySession(client.app.state.editor.history.level)
    action = session.channels(motors=[1, -1, 5], thrusters=[1, float("nan")])
    assert action.tolist() == [1.0, -1.0, 1.0, 0.0, 1.0, 0.0]


def test_cli_arguments(tmp_path):
    assert locate(None, tmp_path) == (tmp_path.resolve(), None)
    assert locate(tmp_path / "a.json", None) == (tmp_path.resolve(), "a.json")
    (tmp_path / "sub").mkdir()
    with pytest.raises(CLIError, match="not inside the editor's folder"):
        locate(tmp_path / "a.json", tmp_path / "sub")
    with pytest.raises(CLIError, match="no such folder"):
        locate(None, tmp_path / "nope")
    with pytest.raises(CLIError, match=r"end in \.json"):
        locate(tmp_path / "sub" / "a.txt", None)


def test_impetus_edit_prints_the_url_and_serves(tmp_path):
    env = {**os.environ, "JAX_PLATFORMS": "cpu", "IMPETUS_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "impetus.cli.main", "edit", "new.json", "--dir", str(tmp_path),
                             "--port", "0", "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        line = proc.stdout.readline()
        assert line.startswith("Impetus level editor: http://127.0.0.1:"), line + proc.stderr.read()
        url = line.split()[3]
        import httpx

        state = httpx.get(url + "api/state", timeout=30).json()
        assert state["file"] == "new.json" and state["doc"]["size"] == "s"
    finally:
        proc.kill()
        proc.communicate(timeout=30)
    bad = subprocess.run([sys.executable, "-m", "impetus.cli.main", "edit", "--port", "70000", "--no-browser"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and bad.stderr.strip() == "error: --port: must be in 0..65535 (got 70000)"
