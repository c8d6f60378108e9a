"""``impetus eval CHECKPOINT LEVELS...``: solve rate, return and length per level and group."""

import json
import time
from pathlib import Path

from .args import CLIError, positive


def register(sub) -> None:
    p = sub.add_parser("eval", help="evaluate a trained policy on levels",
                       description="LEVELS: library names or patterns (s/thrust_right, s/*, library:m, group:car), "
                                   "example/<name>, level files, "
                                   "folders or globs. CHECKPOINT: a checkpoint folder or a run folder (latest).")
    p.add_argument("checkpoint")
    p.add_argument("levels", nargs="+")
    p.add_argument("--attempts", type=positive, default=20, help="episodes per level (default 20)")
    p.add_argument("--mode", choices=("stochastic", "deterministic", "both"), default="both")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", help="JSON output file (default: eval_<time>.json beside the checkpoint)")
    p.add_argument("--json", action="store_true", help="print the JSON result and nothing else")
    p.set_defaults(func=_eval)


def _table(result: dict, mode: str, console) -> None:
    from rich.table import Table

    summary = result[mode]
    table = Table(title=f"{mode} policy, {summary['attempts']} attempts per level")
    for column in ("level", "group", "solve rate", "return", "length"):
        table.add_column(column, justify="left" if column in ("level", "group") else "right")

    def row(name, group, s, style=None):
        table.add_row(name, group, f"{s['solve_rate']:.0%}", f"{s['return']:.3f}", f"{s['length']:.1f}", style=style)

    for name, stats in summary["levels"].items():
        row(name, result["levels"][name], stats)
    for group, stats in summary["groups"].items():
        row(f"group {group}", "", stats, style="italic")
    row("overall", "", summary["overall"], style="bold")
    console.print(table)


def _eval(args, console) -> int:
    from ..agents.checkpoint import CheckpointError
    from ..agents.evaluate import MODES, evaluate_checkpoint
    from ..agents.levelsets import LevelSetError
    from ..levels import LevelError

    modes = MODES if args.mode == "both" else (args.mode,)
    try:
        result = evaluate_checkpoint(args.checkpoint, ",".join(args.levels), args.attempts, modes, args.seed)
    except (CheckpointError, LevelSetError, LevelError) as err:
        raise CLIError(str(err).splitlines()[0]) from None
    out = Path(args.out) if args.out else Path(result["checkpoint"]) / f"eval_{time.strftime('%Y%m%d-%H%M%S')}.json"
    try:
        out.write_text(json.dumps(result, indent=2))
    except OSError as err:
        raise CLIError(f"{out}: cannot write ({err.strerror or err})") from None
    if args.json:
        print(json.dumps(result))
        return 0
    for mode in modes:
        _table(result, mode, console)
    console.print(f"written to {out}")
    return 0
