"""``impetus render LEVEL --policy {noop,random,full} --steps N -o out.gif`` (or ``.mp4``).

Plays one episode of a level file with a fixed policy and writes a video drawn by the JAX pixel
renderer.  The logic is ``impetus.env.rollout.frames`` and ``impetus.render.video``.
"""

from pathlib import Path

from .args import CLIError, positive

POLICIES = ("noop", "random", "full")


def register(sub) -> None:
    p = sub.add_parser("render", help="write a GIF/MP4 of one episode of a level with a fixed policy")
    p.add_argument("level", type=Path, metavar="LEVEL", help="level file (Impetus or Kinetix JSON)")
    p.add_argument("--policy", choices=POLICIES, default="noop")
    p.add_argument("--steps", type=positive, default=256, help="at most this many env steps")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--frame-skip", type=positive, default=2, help="physics steps per env step (and frame)")
    p.add_argument("--pixels", type=positive, default=500, help="frame width and height [px]")
    p.add_argument("--fps", type=positive, default=30)
    p.add_argument("-o", "--out", type=Path, default=Path("out/render.gif"), help=".gif or .mp4")
    p.set_defaults(func=_main)


def _main(args, console) -> int:
    from ..env.rollout import frames
    from ..levels.io import load_level
    from ..levels.validate import LevelError
    from ..render.pixels import PixelConfig
    from ..render.video import FORMATS, VideoError, write_video

    if args.out.suffix.lower() not in FORMATS:
        raise CLIError(f"{args.out}: unsupported video format; use .gif or .mp4")
    try:
        level = load_level(args.level)
    except LevelError as err:
        raise CLIError(str(err)) from None
    config = PixelConfig.for_screen((args.pixels, args.pixels), args.pixels / 5.0, 1)
    images = frames(level, args.policy, args.steps, args.seed, config=config, frame_skip=args.frame_skip)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    try:
        count = write_video(images, args.out, args.fps)
    except VideoError as err:
        raise CLIError(str(err)) from None
    console.print(f"wrote {args.out} ({count} frames)")
    return 0
