"""``impetus``: the command line.

Each subcommand lives in its own module of this package with ``register(subparsers)``, which adds
its parser and sets ``func(args, console) -> int``.  Heavy imports happen inside ``func``.
"""

import argparse
import sys

from . import bench, demo, edit, evaluate, levels, render, rollout, train
from .args import CLIError

COMMANDS = [demo, train, evaluate, bench, levels, rollout, render, edit]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="impetus", description="Impetus: 2D physics control tasks in JAX.")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from rich.console import Console

    console = Console(stderr=True)
    try:
        return int(args.func(args, console) or 0)
    except CLIError as err:
        console.print(f"error: {err}", highlight=False, markup=False, soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        console.print("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
