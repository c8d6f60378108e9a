"""``impetus levels sample``: write N random levels (the Kinetix distribution) as level files.

    impetus levels sample --size m -n 100 [--seed S] [--filter/--no-filter] [--format F] OUT_DIR

Files are ``OUT_DIR/<size>-<seed>-<i>.json``.  ``--filter`` (the default) drops levels that the
do-nothing policy solves within Kinetix's 64 environment steps, as Kinetix's SFL and PLR do.
"""

import argparse
from pathlib import Path

from .args import CLIError, positive, size


def register(levels_subparsers) -> None:
    """Add ``sample`` to the ``impetus levels`` subcommands."""
    p = levels_subparsers.add_parser("sample", help="write N random levels (Kinetix distribution) as files")
    p.add_argument("--size", type=size, default="m")
    p.add_argument("-n", type=positive, default=16, help="number of levels")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--filter", action=argparse.BooleanOptionalAction, default=True,
                   help="drop levels the no-op policy solves (default: on)")
    p.add_argument("--format", choices=("impetus", "kinetix"), default="impetus", help="file format")
    p.add_argument("out", type=Path, metavar="OUT_DIR")
    p.set_defaults(func=_sample)


def generate(size_name: str, n: int, seed: int, filtered: bool):
    """``n`` levels as one batched ``Level`` on the host, and how many are still no-op solvable."""
    import jax
    import numpy as np

    from ..engine.scenes import static_for_size
    from ..levels.generate import sample_level
    from ..levels.noop_filter import sample_filtered_levels

    static = static_for_size(size_name)
    key = jax.random.key(seed)
    if filtered:
        levels, solved = sample_filtered_levels(key, static, n)
        return jax.device_get(levels), int(np.sum(solved))
    keys = jax.random.split(key, n)
    levels = jax.jit(jax.vmap(sample_level, in_axes=(0, None)), static_argnums=1)(keys, static)
    return jax.device_get(levels), 0


def _sample(args, console) -> int:
    import jax

    from ..levels.io import save_level
    from ..levels.validate import LevelError

    if args.out.exists() and not args.out.is_dir():
        raise CLIError(f"{args.out}: exists and is not a folder")
    args.out.mkdir(parents=True, exist_ok=True)
    console.print(f"generating {args.n} {args.size.upper()} levels" + (" (no-op filter)" if args.filter else ""))
    levels, solved = generate(args.size, args.n, args.seed, args.filter)
    for i in range(args.n):
        path = args.out / f"{args.size}-{args.seed}-{i:05d}.json"
        try:
            save_level(jax.tree_util.tree_map(lambda x, i=i: x[i], levels), path, args.format)
        except LevelError as err:
            raise CLIError(err.first) from None
    note = f"; {solved} are still solved by doing nothing (too few others)" if solved else ""
    console.print(f"wrote {args.n} levels to {args.out}{note}")
    return 0
