"""Write the level-library gallery of the README: ``python docs/make_library_gallery.py``.

    docs/library/<size>_levels.png    every library level of a size at t = 0, labelled
    docs/library/<name>.gif           recorded solutions of a few levels, replayed

Pictures come from ``impetus levels show``'s drawing (``impetus.cli.levels.picture``) and the
GIFs from the recorded solutions (``impetus levels replay NAME -o FILE.gif`` does one).
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw

from impetus.agents.planner import episode_frames
from impetus.cli.levels import picture
from impetus.levels import library
from impetus.render.video import write_video

OUT = Path(__file__).resolve().parent / "library"
GIFS = ("s/swing_up", "s/lander_glide", "m/angry_birds", "m/lunar_lander", "m/pinball", "m/whegs",
        "l/claw_crane", "l/lever_puzzle", "l/drawbridge", "l/acrobot", "l/waiter", "l/car_gaps")
TILE, COLUMNS, LABEL = 200, 6, 14


def contact_sheet(size: str) -> Path | None:
    """A grid of every level of ``size`` at t = 0 with its name above it."""
    found = library.names(f"{size}/*")
    if not found:
        return None
    rows = -(-len(found) // COLUMNS)
    sheet = Image.new("RGB", (COLUMNS * TILE, rows * (TILE + LABEL)), "white")
    draw = ImageDraw.Draw(sheet)
    for i, name in enumerate(found):
        x, y = (i % COLUMNS) * TILE, (i // COLUMNS) * (TILE + LABEL)
        sheet.paste(picture(library.load_library_level(name), TILE), (x, y + LABEL))
        draw.text((x + 4, y + 1), name, fill="black")
    path = OUT / f"{size}_levels.png"
    sheet.save(path, optimize=True)
    return path


def solution_gif(name: str) -> Path | None:
    solution = library.load_solution(name)
    if solution is None:
        return None
    path = OUT / f"{name.replace('/', '_')}.gif"
    frames = episode_frames(library.load_library_level(name), solution.actions, solution.frame_skip, pixels=TILE)
    write_video(frames, path, fps=30)
    return path


def main(names=GIFS) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for path in [contact_sheet(size) for size in library.SIZES] + [solution_gif(n) for n in names]:
        if path is not None:
            print(f"wrote {path.relative_to(OUT.parent.parent)} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main(sys.argv[1:] or GIFS)
