"""Make the README's editor screenshots: build a car level (size M) by clicking in the real page,
then drive it to the goal with the arrow key.  Needs Debian's chromium and the dev extra.

    .venv/bin/python docs/make_editor_screenshots.py docs
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from impetus.editor.serve import BackgroundServer
from impetus.editor.server import create_app

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main(out: Path) -> None:
    server = BackgroundServer(create_app(tempfile.mkdtemp(), "car.json", size="m"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 960, "height": 720})
        page.goto(server.url)
        page.wait_for_selector("body[data-ready='1']")

        def at(x, y):
            left, top = page.evaluate("(() => { const c = document.getElementById('canvas'),"
                                      " r = c.getBoundingClientRect(); return [r.left + c.clientLeft, r.top + c.clientTop]; })()")
            return left + x * 120, top + (5 - y) * 120

        def settle():
            page.wait_for_function("document.body.dataset.busy === '0'")

        def click(x, y):
            page.mouse.click(*at(x, y))
            settle()

        def drag(a, b):
            page.mouse.move(*at(*a))
            page.mouse.down()
            page.mouse.move(*at(*b), steps=4)
            page.mouse.up()
            settle()

        def role(name, fixed=False):
            page.select_option("#panel select[name=role]", name)
            settle()
            if fixed:
                page.check("#panel input[name=fixed]")
                settle()

        page.click("[data-tool=rectangle]")
        drag((0.6, 0.75), (1.8, 0.9))  # the car's body
        role("green")
        page.click("[data-tool=circle]")
        drag((0.85, 0.6), (1.05, 0.6))  # wheels: drag out the radius
        drag((1.55, 0.6), (1.75, 0.6))
        page.click("[data-tool=joint]")  # motorised pins where wheel and body overlap
        click(0.85, 0.75)
        click(1.55, 0.75)
        page.click("[data-tool=polygon]")  # the goal: a blue ramp
        for x, y in ((3.9, 0.4), (4.6, 0.4), (4.6, 1.3)):
            click(x, y)
        page.keyboard.press("Enter")
        settle()
        role("blue", fixed=True)
        page.click("[data-tool=circle]")  # a red hazard
        drag((2.6, 2.4), (2.9, 2.4))
        role("red", fixed=True)
        page.click("[data-tool=thruster]")
        page.fill("#thrust-direction", "90")
        click(1.2, 0.85)
        page.click("[data-tool=select]")
        click(0.75, 0.82)
        page.screenshot(path=str(out / "editor-edit.png"))
        page.click("#play")
        page.wait_for_selector("#hud:not(:empty)", timeout=300_000)
        page.keyboard.down("ArrowRight")
        page.wait_for_function("parseInt(document.getElementById('hud').textContent.split(' ')[1]) > 40")
        page.screenshot(path=str(out / "editor-play.png"))
        page.wait_for_selector("#outcome[data-outcome=goal]", timeout=60_000)
        page.keyboard.up("ArrowRight")
        browser.close()
    server.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
