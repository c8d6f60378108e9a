"""``impetus``: the command line. Subcommands parse arguments and call into the packages."""

import argparse
import json
import sys
from pathlib import Path


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _size(text: str) -> str:
    if text.lower() not in ("s", "m", "l"):
        raise argparse.ArgumentTypeError(f"size must be s, m or l (got {text!r})")
    return text.lower()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="impetus", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="simulate a batch of random scenes and write a GIF of one")
    demo.add_argument("--size", type=_size, default="m")
    demo.add_argument("--batch", type=_positive, default=256)
    demo.add_argument("--steps", type=_positive, default=240)
    demo.add_argument("--seed", type=int, default=0)
    demo.add_argument("-o", "--out", type=Path, default=Path("out/demo.gif"))

    bench = sub.add_parser("bench", help="benchmarks")
    bsub = bench.add_subparsers(dest="what", required=True)
    eng = bsub.add_parser("engine", help="physics steps/s of random Kinetix-sized scenes")
    eng.add_argument("--size", type=_size, default="m")
    eng.add_argument("--batch", type=_positive, default=2048)
    eng.add_argument("--steps", type=_positive, default=None, help="steps per timed call (scan length)")
    eng.add_argument("--reps", type=_positive, default=3)
    eng.add_argument("--min-seconds", type=float, default=1.0)
    eng.add_argument("--seed", type=int, default=0)
    eng.add_argument("--json", action="store_true", help="print one JSON object and nothing else")
    eng.add_argument("--cache", action="store_true", help="use the persistent compilation cache (compile_s ~ 0)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from rich.console import Console

    console = Console(stderr=True)
    if args.command == "demo":
        from .demo import run
        from .jaxsetup import enable_compilation_cache

        enable_compilation_cache()
        run(args.size, args.batch, args.steps, args.out, args.seed, console)
        return 0
    if args.command == "bench" and args.what == "engine":
        return _bench_engine(args, console)
    return 2


def _bench_engine(args, console) -> int:
    from ..bench import engine

    if args.cache:
        from .jaxsetup import enable_compilation_cache

        enable_compilation_cache()
    progress = None if args.json else console.print
    result = engine.run(args.size, args.batch, args.steps, args.reps, args.min_seconds, args.seed, progress)
    if args.json:
        print(json.dumps(result))
        return 0
    from rich.table import Table

    table = Table(title="impetus bench engine")
    for key in ("size", "batch", "steps_per_s", "spread", "compile_s", "peak_rss_mb", "device"):
        table.add_column(key)
    table.add_row(result["size"], str(result["batch"]), f"{result['steps_per_s']:,.0f}", f"{result['spread']:.0%}",
                  f"{result['compile_s']:.2f}", f"{result['peak_rss_mb']:.0f}", result["device"])
    console.print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
