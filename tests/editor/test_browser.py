"""End to end in a real headless browser (Debian's chromium driven by Playwright): build a small
level by clicking, play it to the goal with key presses, save it, and reload it identically.

Set ``IMPETUS_EDITOR_SCREENSHOTS=DIR`` to also write ``editor-edit.png`` and ``editor-play.png``
into DIR (the README's screenshots are made this way, with ``DIR=docs``).
"""

import os
from pathlib import Path

import pytest

from impetus.editor.serve import BackgroundServer
from impetus.editor.server import create_app
from impetus.levels import load_level
from impetus.levels.format import dumps, to_document

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PX_PER_M = 120  # the canvas is 600 px for the 5 m world

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                                                              "(apt-get install chromium; .ci/run installs it)")


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return tmp_path_factory.mktemp("browser_levels")


@pytest.fixture(scope="module")
def server(root):
    # warm=False: play mode compiles when Play is pressed (no compile thread left behind if a test fails early)
    server = BackgroundServer(create_app(root, "built.json", size="s", warm=False))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1000, "height": 740})
        errors = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(server.url)
        page.wait_for_selector("body[data-ready='1']")
        yield page
        browser.close()
        assert errors == []


def at(page, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of world point (x, y) [m] (inside the canvas border)."""
    left, top = page.evaluate("(() => { const c = document.getElementById('canvas'), r = c.getBoundingClientRect();"
                              " return [r.left + c.clientLeft, r.top + c.clientTop]; })()")
    return left + x * PX_PER_M, top + (5.0 - y) * PX_PER_M


def settle(page) -> None:
    page.wait_for_function("document.body.dataset.busy === '0'")


def doc(page) -> dict:
    settle(page)
    return page.evaluate("window.editor.state.doc")


def click(page, x: float, y: float) -> None:
    page.mouse.click(*at(page, x, y))
    settle(page)


def canvas_image(page) -> str:
    page.keyboard.press("Escape")  # no selection highlight
    return page.evaluate("document.getElementById('canvas').toDataURL()")


def shots() -> Path | None:
    folder = os.environ.get("IMPETUS_EDITOR_SCREENSHOTS")
    return Path(folder) if folder else None


def build_level(page) -> None:
    page.click("[data-tool=circle]")
    click(page, 1.0, 0.6)  # a 0.2 m ball resting on the floor (top at y = 0.4)
    page.select_option("#panel select[name=role]", "green")
    page.click("[data-tool=rectangle]")
    page.mouse.move(*at(page, 3.8, 0.4))
    page.mouse.down()
    page.mouse.move(*at(page, 4.2, 0.8), steps=4)
    page.mouse.up()
    settle(page)
    page.select_option("#panel select[name=role]", "blue")
    settle(page)
    page.check("#panel input[name=fixed]")
    page.click("[data-tool=thruster]")
    page.fill("#thrust-direction", "0")
    click(page, 1.0, 0.6)


def test_build_play_save_reload(page, root):
    build_level(page)
    built = doc(page)
    shapes = {s["id"]: s for s in built["shapes"]}
    assert shapes["c0"]["role"] == "green" and shapes["c0"]["radius"] == 0.2
    assert shapes["p4"]["role"] == "blue" and shapes["p4"]["fixed"]
    assert shapes["p4"]["position"] == [4.0, 0.6] and shapes["c0"]["position"] == [1.0, 0.6]  # 5 cm snap
    assert built["thrusters"] == [{"shape": "c0", "anchor": [0.0, 0.0], "angle": 0.0, "power": 1.0, "binding": 0}]
    if shots():
        shots().mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots() / "editor-edit.png"))

    # undo and redo from the toolbar
    page.click("#undo")
    assert doc(page)["thrusters"] == []
    page.click("#redo")
    assert doc(page) == built

    # an edit the level does not allow: a clear line in the page, nothing changed
    page.click("[data-tool=polygon]")
    for x, y in ((2.0, 2.0), (2.5, 2.0), (2.2, 2.6)):
        click(page, x, y)
    page.keyboard.press("Enter")
    settle(page)
    assert "no free polygon slot" in page.text_content("#message")
    assert page.get_attribute("#message", "class") == "error"
    assert doc(page) == built

    # save, and the file is the validated level
    page.fill("#path", "built.json")
    page.click("#save")
    settle(page)
    assert page.text_content("#message") == "saved built.json (impetus)"
    saved_text = (root / "built.json").read_text()
    assert saved_text == dumps(load_level(root / "built.json"))
    assert to_document(load_level(root / "built.json")) == built
    picture = canvas_image(page)

    # play: arrow keys drive motor channels, key 1 fires the thruster into the goal
    page.click("#play")
    page.wait_for_selector("#hud:not(:empty)", timeout=240_000)  # the first play compiles the size
    page.keyboard.down("ArrowRight")
    page.wait_for_function("document.getElementById('action').textContent.startsWith('motors +1 0 0 0')")
    page.keyboard.up("ArrowRight")
    page.keyboard.down("1")
    page.wait_for_selector("#outcome[data-outcome=goal]", timeout=60_000)
    page.keyboard.up("1")
    assert page.text_content("#outcome") == "GOAL!"
    if shots():
        page.screenshot(path=str(shots() / "editor-play.png"))
    page.keyboard.press("Escape")  # back to editing
    page.wait_for_function("!document.body.classList.contains('playing')")

    # a new empty level, then open the saved file: the same document and the same picture
    page.click("#new")
    assert [s["id"] for s in doc(page)["shapes"]] == ["p0", "p1", "p2", "p3"]
    page.fill("#path", "built.json")
    page.click("#open")
    assert doc(page) == built
    assert canvas_image(page) == picture
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert doc(page) == built and canvas_image(page) == picture
    assert (root / "built.json").read_text() == saved_text


def test_drag_rotate_delete_and_bad_input(page, root):
    page.click("[data-tool=select]")
    before = doc(page)
    # drag the ball by its rim (its centre holds the thruster marker): it and nothing else moves
    page.mouse.move(*at(page, 0.85, 0.6))
    page.mouse.down()
    page.mouse.move(*at(page, 1.35, 0.9), steps=5)
    page.mouse.up()
    moved = {s["id"]: s for s in doc(page)["shapes"]}
    assert moved["c0"]["position"] == [1.5, 0.9] and moved["p4"]["position"] == [4.0, 0.6]
    page.keyboard.press("q")  # +15 degrees
    assert next(s for s in doc(page)["shapes"] if s["id"] == "c0")["rotation"] == pytest.approx(0.2617994)
    page.keyboard.press("Delete")  # the ball, and its thruster with it
    after = doc(page)
    assert "c0" not in {s["id"] for s in after["shapes"]} and after["thrusters"] == []
    for _ in range(3):
        page.click("#undo")
    assert doc(page) == before

    # a value the validator refuses, and a path outside the folder: one line each, nothing changes
    click(page, 0.85, 0.6)
    page.fill("#panel input[name=density]", "0")
    page.press("#panel input[name=density]", "Tab")
    settle(page)
    assert page.text_content("#message") == "set_shape: shape c0 density: a movable shape needs density > 0 (got 0.0)"
    page.fill("#path", "../escape.json")
    page.click("#save")
    settle(page)
    assert page.text_content("#message") == "../escape.json: '..' is not allowed; files stay inside the editor's folder"
    assert not (root.parent / "escape.json").exists()
    assert doc(page) == before
