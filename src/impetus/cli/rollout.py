"""``impetus rollout LEVEL... --steps N --policy {noop,random,full} --seed S [--json]``.

Plays one episode per level file from its initial state and prints, per level, one JSON object
on one line (``--json``) or a table row.  The logic is ``impetus.env.rollout.play``.
"""

from pathlib import Path

from .args import CLIError, positive

POLICIES = ("noop", "random", "full")


def register(sub) -> None:
    p = sub.add_parser("rollout", help="play one episode per level with a fixed policy; print the outcomes")
    p.add_argument("levels", nargs="+", type=Path, metavar="LEVEL", help="level files (Impetus or Kinetix JSON)")
    p.add_argument("--steps", type=positive, default=256, help="at most this many env steps per episode")
    p.add_argument("--policy", choices=POLICIES, default="noop",
                   help="noop; random (uniform actions); full (every motor +1, every thruster on)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--frame-skip", type=positive, default=2, help="physics steps per env step")
    p.add_argument("--json", action="store_true", help="one JSON object per level, one per line")
    p.set_defaults(func=_main)


def _main(args, console) -> int:
    import json

    from ..env.rollout import play
    from ..levels.io import load_level
    from ..levels.validate import LevelError

    rows = []
    for path in args.levels:
        try:
            level = load_level(path)
        except LevelError as err:
            raise CLIError(str(err)) from None
        result = {"level": str(path), **play(level, args.policy, args.steps, args.seed, frame_skip=args.frame_skip)}
        if args.json:
            print(json.dumps(result), flush=True)
        rows.append(result)
    if not args.json:
        _table(rows, console)
    return 0


def _table(rows: list[dict], console) -> None:
    from rich.table import Table

    table = Table(title="impetus rollout")
    for column in ("level", "outcome", "return", "length"):
        table.add_column(column)
    for r in rows:
        table.add_row(r["level"], r["outcome"], f"{r['return']:.3f}", str(r["length"]))
    console.print(table)
