"""``impetus bench WHAT``: throughput benchmarks (one JSON object with ``--json``)."""

import json

from .args import CLIError, positive, positive_or_auto, size


def register(sub) -> None:
    bench = sub.add_parser("bench", help="benchmarks")
    bsub = bench.add_subparsers(dest="what", required=True)
    eng = bsub.add_parser("engine", help="physics steps/s of random Kinetix-sized scenes")
    eng.add_argument("--size", type=size, default="m")
    eng.add_argument("--batch", type=positive, default=2048)
    eng.add_argument("--steps", type=positive, default=None, help="steps per timed call (scan length)")
    eng.add_argument("--reps", type=positive, default=3)
    eng.add_argument("--min-seconds", type=float, default=1.0)
    eng.add_argument("--seed", type=int, default=0)
    eng.add_argument("--json", action="store_true", help="print one JSON object and nothing else")
    eng.add_argument("--cache", action="store_true", help="use the persistent compilation cache (compile_s ~ 0)")
    eng.add_argument("--devices", type=positive_or_auto, default="auto",
                     help="shard the batch over this many devices (on CPU: split the host into that many); "
                          "auto (default): one per CPU core, or per accelerator, that divides the batch")
    eng.set_defaults(func=_engine)
    lev = bsub.add_parser("levels", help="generated levels/s (sample_level + to_sim_state)")
    lev.add_argument("--size", type=size, default="m")
    lev.add_argument("--batch", type=positive, default=2048)
    lev.add_argument("--reps", type=positive, default=3)
    lev.add_argument("--min-seconds", type=float, default=1.0)
    lev.add_argument("--seed", type=int, default=0)
    lev.add_argument("--filter-steps", type=int, default=0,
                     help="also time the no-op filter with this many physics steps (Kinetix: 128)")
    lev.add_argument("--json", action="store_true", help="print one JSON object and nothing else")
    lev.add_argument("--cache", action="store_true", help="use the persistent compilation cache (compile_s ~ 0)")
    lev.set_defaults(func=_levels)
    env = bsub.add_parser("env", help="env steps/s with auto-reset and random actions")
    env.add_argument("--size", type=size, default="m")
    env.add_argument("--obs", choices=("entity", "flat", "pixels"), default="entity")
    env.add_argument("--reset", choices=("levels", "random"), default="levels",
                     help="levels: draw from a fixed set of generated levels; random: fresh generated levels")
    env.add_argument("--batch", type=positive, default=2048)
    env.add_argument("--steps", type=positive, default=None, help="env steps per timed call (scan length)")
    env.add_argument("--reps", type=positive, default=3)
    env.add_argument("--min-seconds", type=float, default=1.0)
    env.add_argument("--num-levels", type=positive, default=256, help="size of the level set")
    env.add_argument("--final-obs", action="store_true", help="also build info['final_observation']")
    env.add_argument("--seed", type=int, default=0)
    env.add_argument("--devices", type=positive_or_auto, default="auto",
                     help="shard the envs over this many devices (as for bench engine; auto: one per core)")
    env.add_argument("--json", action="store_true", help="print one JSON object and nothing else")
    env.add_argument("--cache", action="store_true", help="use the persistent compilation cache")
    env.set_defaults(func=_env)
    tr = bsub.add_parser("train", help="PPO training env steps/s (rollout + GAE + update)")
    tr.add_argument("--size", type=size, default="m")
    tr.add_argument("--network", choices=("transformer", "pi-mlp", "flat-mlp", "cnn"), default="transformer")
    tr.add_argument("--envs", type=positive, default=256)
    tr.add_argument("--preset", default=None, help="config preset (default: the Kinetix reference settings)")
    tr.add_argument("--updates", type=positive, default=1, help="PPO updates per timed call")
    tr.add_argument("--reps", type=positive, default=2)
    tr.add_argument("--min-seconds", type=float, default=0.0, help="minimum duration of each repetition")
    tr.add_argument("--warmup", type=int, default=1, help="untimed calls after compiling")
    tr.add_argument("--reset", choices=("levels", "random"), default="levels",
                    help="levels: restart on a fixed set of generated levels (as Kinetix's anchor); random: fresh ones")
    tr.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="config override (repeatable)")
    tr.add_argument("--seed", type=int, default=0)
    tr.add_argument("--devices", type=positive, default=1, help="data-parallel learners (run.devices)")
    tr.add_argument("--json", action="store_true", help="print one JSON object and nothing else")
    tr.add_argument("--cache", action="store_true", help="use the persistent compilation cache")
    tr.set_defaults(func=_train)


def report(result: dict, columns: list[str], title: str, args, console) -> int:
    """Print ``result`` as one JSON line (``--json``) or as a rich table."""
    if args.json:
        print(json.dumps(result))
        return 0
    from rich.table import Table

    table = Table(title=title)
    for key in columns:
        table.add_column(key)
    table.add_row(*[f"{result[k]:,.2f}" if isinstance(result[k], float) else str(result[k]) for k in columns])
    console.print(table)
    return 0


def _devices(requested: int | str, batch: int) -> int:
    """Split the host (before JAX starts) and return the device count to shard ``batch`` over;
    ``auto``: one per usable CPU core (or per accelerator) that divides the batch."""
    from .jaxsetup import largest_divisor, usable_cores, use_host_devices

    auto = requested == "auto"
    devices = largest_divisor(batch, usable_cores()) if auto else requested
    use_host_devices(devices, strict=not auto)
    if auto:  # on an accelerator, or where JAX was started before us: the devices JAX has
        import jax

        devices = largest_divisor(batch, min(devices, jax.device_count()))
    return devices


def _engine(args, console) -> int:
    devices = _devices(args.devices, args.batch)
    from ..bench import engine

    if args.cache:
        from .jaxsetup import enable_compilation_cache

        enable_compilation_cache()
    progress = None if args.json else console.print
    try:
        result = engine.run(args.size, args.batch, args.steps, args.reps, args.min_seconds, args.seed, progress,
                            devices)
    except ValueError as err:
        raise CLIError(str(err)) from None
    cols = ["size", "batch", "devices", "steps_per_s", "spread", "compile_s", "peak_rss_mb", "device"]
    return report(result, cols, "impetus bench engine", args, console)


def _env(args, console) -> int:
    devices = _devices(args.devices, args.batch)
    from ..bench import env

    if args.cache:
        from .jaxsetup import enable_compilation_cache

        enable_compilation_cache()
    progress = None if args.json else console.print
    try:
        result = env.run(args.size, args.obs, args.reset, args.batch, args.steps, args.reps, args.min_seconds,
                         args.seed, args.num_levels, args.final_obs, progress, devices=devices)
    except ValueError as err:
        raise CLIError(str(err)) from None
    cols = ["size", "obs", "reset", "batch", "devices", "steps_per_s", "physics_steps_per_s", "spread", "compile_s",
            "device"]
    return report(result, cols, "impetus bench env", args, console)


def _levels(args, console) -> int:
    from ..bench import levels

    if args.cache:
        from .jaxsetup import enable_compilation_cache

        enable_compilation_cache()
    progress = None if args.json else console.print
    result = levels.run(args.size, args.batch, args.reps, args.min_seconds, args.seed, args.filter_steps, progress)
    cols = ["size", "batch", "levels_per_s", "seconds_per_batch", "spread", "compile_s", "device"]
    cols += ["filter_levels_per_s", "filter_compile_s"] if args.filter_steps else []
    return report(result, cols, "impetus bench levels", args, console)


def _train(args, console) -> int:
    from .jaxsetup import use_host_devices

    use_host_devices(args.devices, strict=False)  # too few devices: a one-line ConfigError below
    from ..agents.config import ConfigError
    from ..bench import train

    if args.cache:
        from .jaxsetup import enable_compilation_cache

        enable_compilation_cache()
    progress = None if args.json else console.print
    try:
        result = train.run(args.size, args.network, args.envs, args.preset, args.updates, args.reps,
                           args.min_seconds, args.seed, args.reset, overrides=[*args.set, f"devices={args.devices}"],
                           warmup=args.warmup, progress=progress)
    except ConfigError as err:
        raise CLIError(str(err)) from None
    cols = ["size", "network", "preset", "envs", "devices", "params", "steps_per_s", "seconds_per_update", "spread",
            "compile_s", "device"]
    return report(result, cols, "impetus bench train", args, console)
