"""``impetus levels ...``: check, convert and picture level files (Impetus or Kinetix JSON).

    impetus levels validate PATH...           ok / one error line per file; exit 1 if any is invalid
    impetus levels convert IN OUT [--to F]    either format in; F = impetus (default) or kinetix
    impetus levels show NAME|PATH [-o OUT.png]  a picture of a library level or level file at t = 0
    impetus levels sample --size m -n 16 DIR  random levels from the generator (``levels_sample``)
    impetus levels list [--size s]            the level library (``levels_library``)
    impetus levels solve NAME [--write]       open-loop solutions of library levels (``levels_library``)
"""

from pathlib import Path

from . import levels_library, levels_sample
from .args import positive

#: Callables ``register(levels_subparsers)`` that add more ``levels`` subcommands.
EXTRA_SUBCOMMANDS = [levels_sample.register, levels_library.register]

#: Picture colours (RGB): roles, and neutral fixed scenery.
ROLE_RGB = {0: (150, 150, 150), 1: (0, 200, 0), 2: (0, 110, 230), 3: (230, 40, 40)}
SCENERY_RGB = (70, 70, 70)
THRUSTER_RGB = (255, 140, 0)


def register(sub) -> None:
    levels = sub.add_parser("levels", help="check, convert and picture level files")
    lsub = levels.add_subparsers(dest="levels_command", required=True)
    val = lsub.add_parser("validate", help="check level files (one line per file; exit 1 if any is invalid)")
    val.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    val.add_argument("--all", action="store_true", help="print every problem, not only the first of each file")
    val.set_defaults(func=_validate)
    conv = lsub.add_parser("convert", help="convert a level file (Impetus or Kinetix JSON) to another format")
    conv.add_argument("src", type=Path, metavar="IN")
    conv.add_argument("dst", type=Path, metavar="OUT")
    conv.add_argument("--to", choices=("impetus", "kinetix"), default="impetus", help="output format")
    conv.set_defaults(func=_convert)
    show = lsub.add_parser("show", help="draw a library level or a level file at t = 0 (PNG)")
    show.add_argument("path", metavar="NAME|PATH", help="a library name (s/thrust_up) or a level file")
    show.add_argument("-o", "--out", type=Path, default=None, help="picture to write (default: ./<name>.png)")
    show.add_argument("--pixels", type=positive, default=500, help="picture width and height [px]")
    show.set_defaults(func=_show)
    for extra in EXTRA_SUBCOMMANDS:
        extra(lsub)


def _validate(args, console) -> int:
    from ..levels.io import load_level
    from ..levels.validate import LevelError

    bad = 0
    for path in args.paths:
        try:
            load_level(path)
            print(f"ok: {path}")
        except LevelError as err:
            bad += 1
            print("\n".join(err.problems) if args.all else err.first)
    return 1 if bad else 0


def _fail(console, message: str) -> int:
    """Print ``error: message`` as one line (no wrapping, no markup) and return exit status 2."""
    console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    return 2


def _convert(args, console) -> int:
    from ..levels.io import load_level, save_level
    from ..levels.validate import LevelError

    if args.dst.exists() and args.src.exists() and args.dst.samefile(args.src):
        return _fail(console, f"{args.dst}: refusing to overwrite the input file; choose another output path")
    try:
        save_level(load_level(args.src), args.dst, format=args.to)
    except LevelError as err:
        return _fail(console, err.first)
    console.print(f"wrote {args.dst} ({args.to})", markup=False, highlight=False, soft_wrap=True)
    return 0


def _load_named(text: str):
    """The level of a library name, or else of a level file (``LevelError`` / ``LibraryError``)."""
    from ..levels import library
    from ..levels.io import load_level

    if Path(text).is_file() or text.endswith(".json"):
        return load_level(text)
    return library.load_library_level(library.entry(text).name)


def _show(args, console) -> int:
    from ..levels.library import LibraryError
    from ..levels.validate import LevelError

    out = args.out or Path(Path(args.path).stem + ".png")
    try:
        image = picture(_load_named(args.path), args.pixels)
        image.save(out)
    except LevelError as err:
        return _fail(console, err.first)
    except LibraryError as err:
        return _fail(console, f"{args.path}: not a level file, and {err}")
    except (OSError, ValueError) as err:
        return _fail(console, f"{out}: cannot write the picture: {err}")
    console.print(f"wrote {out}", markup=False, highlight=False, soft_wrap=True)
    return 0


def picture(level, pixels: int = 500):
    """A PIL image of ``level`` at t = 0 in the 5 m x 5 m Kinetix world, with thrusters marked."""
    import math

    import numpy as np
    from PIL import ImageDraw

    from ..levels import to_sim_state
    from ..render.draw import draw_scene

    state = to_sim_state(level)
    role, fixed = np.asarray(level.shape.role), np.asarray(level.shape.fixed)
    colours = [SCENERY_RGB if fixed[i] and role[i] == 0 else ROLE_RGB.get(int(role[i]), ROLE_RGB[0])
               for i in range(len(role))]
    image = draw_scene(state, size=(pixels, pixels), colours=colours)
    draw, scale = ImageDraw.Draw(image), pixels / 5.0
    pos, rot = np.asarray(state.body.position), np.asarray(state.body.rotation)
    th = state.thruster
    for t in np.nonzero(np.asarray(th.active))[0]:
        b, (ax, ay), angle = int(th.body[t]), np.asarray(th.anchor[t]), float(th.angle[t])
        c, s = math.cos(rot[b]), math.sin(rot[b])
        x, y = pos[b, 0] + c * ax - s * ay, pos[b, 1] + s * ax + c * ay
        d = rot[b] + angle
        start = (x * scale, pixels - y * scale)
        end = ((x - 0.25 * math.cos(d)) * scale, pixels - (y - 0.25 * math.sin(d)) * scale)
        draw.line([start, end], fill=THRUSTER_RGB, width=max(2, pixels // 150))
    return image
