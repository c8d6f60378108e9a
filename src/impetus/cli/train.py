"""``impetus train [key=value ...] [--preset NAME] [--resume RUN_DIR] [--init-from CHECKPOINT]``."""

import argparse
from pathlib import Path

EPILOG = """examples:
  impetus train                                   # cpu preset: random S levels, ~5-10 min on a laptop
  impetus train train_levels=s/thrust_right total_timesteps=1e6
  impetus train --preset reference num_envs=256   # the Kinetix settings
  impetus train curriculum=sfl                    # or dr / plr / accel; plr.robust=true, num_to_save=256, ...
  impetus train --resume runs/pi-mlp-s-20260101-120000
keys: any field of the config (see impetus.agents.config), as `name=value` or `section.name=value`."""


def register(sub) -> None:
    p = sub.add_parser("train", help="train a PPO agent", epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("overrides", nargs="*", metavar="key=value", help="config overrides")
    p.add_argument("--preset", default="cpu", help="reference, cpu (default) or tiny")
    p.add_argument("--resume", metavar="RUN_DIR", help="continue a run from its latest checkpoint")
    p.add_argument("--init-from", metavar="CHECKPOINT", help="start from these network parameters")
    p.add_argument("--no-cache", action="store_true", help="do not use the persistent compilation cache")
    p.set_defaults(func=_train)


def _setup(args, console):
    from ..agents import checkpoint
    from ..agents.checkpoint import CheckpointError
    from ..agents.config import ConfigError, resolve
    from ..agents.levelsets import LevelSetError
    from ..agents.run import TrainingRun, default_run_name
    from ..levels import LevelError
    from .args import CLIError
    from .jaxsetup import use_host_devices

    try:
        if args.resume:
            if args.overrides or args.init_from:
                raise CLIError("--resume continues a run with its saved config; drop the overrides and --init-from")
            saved = checkpoint.config_of(checkpoint.read(args.resume)[1], args.resume)
            use_host_devices(saved.run.devices, strict=False)
            with console.status(f"resuming {args.resume} (compiling)"):
                return TrainingRun.resume(args.resume)
        config = resolve(args.preset, args.overrides)
        use_host_devices(config.run.devices, strict=False)  # on CPU: before JAX starts
        run_dir = Path(config.run.run_dir) / (config.run.name or default_run_name(config))
        if (run_dir / "checkpoints").exists():
            raise CLIError(f"{run_dir} already holds a run; use --resume {run_dir} or choose another name=")
        with console.status("building the environment and network (compiling)"):
            run = TrainingRun(config, run_dir)
            if args.init_from:
                run.init_from(args.init_from)
        return run
    except (ConfigError, CheckpointError, LevelSetError, LevelError) as err:
        raise CLIError(str(err).splitlines()[0]) from None


def _header(run, console) -> None:
    c = run.config
    console.print(f"[bold]impetus train[/bold]: {c.network.network} ({run.param_count:,} params) on "
                  f"{c.env.train_levels} {c.env.size.upper()} levels, {c.ppo.num_envs} envs x {c.ppo.num_steps} steps"
                  f"{f' on {c.run.devices} devices' if c.run.devices > 1 else ''}, {run.total_updates} updates "
                  f"({run.total_updates * c.batch_size:,} env steps)")
    console.print(f"run folder: {run.run_dir}   (config.json, metrics.jsonl, eval/, checkpoints/)")
    console.print(f"TensorBoard: tensorboard --logdir {run.run_dir.parent}")


def _progress(console):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[steps]}"), TextColumn("{task.fields[sps]}"),
                    TextColumn("{task.fields[ret]}"), TextColumn("{task.fields[solve]}"),
                    TextColumn("{task.fields[eval]}"), TimeElapsedColumn(), console=console)


def _fields(run, values: dict) -> dict:
    import math

    def fmt(x, spec):
        return "-" if x is None or (isinstance(x, float) and not math.isfinite(x)) else format(x, spec)

    ev = (run.last_eval or {}).get("stochastic", {}).get("overall", {}).get("solve_rate")
    return {"steps": f"{run.env_steps:,} steps", "sps": f"{fmt(values.get('timing/steps_per_s'), ',.0f')} steps/s",
            "ret": f"return {fmt(values.get('train/episode_return'), '.2f')}",
            "solve": f"solved {fmt(values.get('train/episode_solved'), '.0%')}",
            "eval": f"eval solve {fmt(ev, '.0%')}"}


def _summary(summary: dict, console) -> None:
    from rich.table import Table

    table = Table(title=f"training {summary['status']}")
    table.add_column("")
    table.add_column("value")
    table.add_row("env steps", f"{summary['env_steps']:,} ({summary['update']} updates)")
    table.add_row("wall time", f"{summary['wall_s']:.0f} s")
    for mode, result in (summary.get("eval") or {}).items():
        if isinstance(result, dict) and "overall" in result:
            o = result["overall"]
            table.add_row(f"eval ({mode})", f"solve {o['solve_rate']:.0%}, return {o['return']:.2f}, "
                                            f"length {o['length']:.0f}")
    table.add_row("checkpoint", summary["checkpoint"])
    table.add_row("logs", f"{summary['run_dir']} (tensorboard --logdir {Path(summary['run_dir']).parent})")
    console.print(table)


def _train(args, console) -> int:
    if not args.no_cache:
        from .jaxsetup import enable_compilation_cache

        enable_compilation_cache()
    run = _setup(args, console)
    _header(run, console)
    with _progress(console) as progress:
        task = progress.add_task("training", total=run.total_updates, completed=run.update,
                                 **_fields(run, {}))

        def callback(r, values):
            progress.update(task, completed=r.update, **_fields(r, values))

        summary = run.run(callback)
    _summary(summary, console)
    if summary["status"] == "interrupted":
        console.print(f"interrupted: checkpoint saved; continue with impetus train --resume {run.run_dir}")
        return 130
    return 0
