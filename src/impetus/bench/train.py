"""``impetus bench train``: PPO training throughput (rollout + GAE + update), env steps per second.

Set-up (outside the timing): the config (a preset, or the Kinetix reference settings, with
``size``, ``network`` and ``num_envs`` set), ``num_levels`` generated levels of that size, and
the training state.  Like Kinetix's anchor benchmark (``bench_kinetix_ppo.py``: one random level
per env, drawn once), envs restart on levels of that fixed set (``reset="levels"``); with
``reset="random"`` they restart on freshly generated levels (``AutoResetRandomWrapper``).

The timed function is the jitted ``update_step`` (``updates`` PPO updates per call); compile
time (lower + compile) is measured separately and excluded, as is one warm-up call.
``steps_per_s`` = ``num_envs * num_steps * updates * calls / seconds`` (median over reps).
"""

import functools
import time

import jax

from ..agents.config import resolve
from ..agents.networks import param_count
from ..agents.train import make_train
from ..engine import PHYSICS_VERSION
from .common import cpu_rate, device_name, load_average, median_rate, peak_rss_mb, time_calls

RESET_MODES = ("levels", "random")


def make_levels(size: str, num_levels: int, seed: int):
    """``num_levels`` generated levels of ``size`` (stacked)."""
    from ..engine.scenes import static_for_size
    from ..levels.generate import sample_level

    keys = jax.random.split(jax.random.key(seed + 1), num_levels)
    return jax.block_until_ready(jax.jit(jax.vmap(functools.partial(sample_level,
                                                                    static=static_for_size(size))))(keys))


def run(size: str = "m", network: str = "transformer", envs: int = 256, preset: str | None = None,
        updates: int = 1, reps: int = 2, min_seconds: float = 0.0, seed: int = 0, reset: str = "levels",
        num_levels: int | None = None, overrides=(), warmup: int = 1, progress=None) -> dict:
    """Benchmark one training configuration; returns the result record."""
    if reset not in RESET_MODES:
        raise ValueError(f"reset must be one of {RESET_MODES}, got {reset!r}")
    say = progress or (lambda msg: None)
    config = resolve(preset, [f"size={size}", f"network={network}", f"num_envs={envs}", "train_levels=random",
                              "curriculum=none", *overrides])  # PPO itself; a curriculum is a --set away
    levels = None
    if reset == "levels":
        num_levels = num_levels or envs
        say(f"generating {num_levels} {size.upper()} levels")
        levels = make_levels(size, num_levels, seed)
    train = make_train(config, levels)
    state = jax.block_until_ready(train.init(jax.random.key(seed)))
    say("compiling the update")
    t0 = time.perf_counter()
    compiled = train.update_step.lower(state, updates).compile()
    compile_s = time.perf_counter() - t0

    def call(s):
        return compiled(s)[0]

    for _ in range(warmup):
        say("warm-up call")
        state = jax.block_until_ready(call(state))
    say("timing")
    state, samples = time_calls(call, state, min_seconds, reps)
    steps_per_call = config.batch_size * updates
    rate, spread = median_rate(samples, steps_per_call)
    ppo, net = config.ppo, config.network
    return {
        "benchmark": "train", "size": size, "network": network, "preset": preset or "reference", "envs": envs,
        "num_steps": ppo.num_steps, "update_epochs": ppo.update_epochs, "num_minibatches": ppo.num_minibatches,
        "observation": config.observation, "params": param_count(state.params), "head": [net.head_width,
                                                                                          net.head_depth],
        "updates_per_call": updates, "steps_per_s": rate,
        "steps_per_cpu_s": cpu_rate(samples, steps_per_call), "load_avg": load_average(),
        "seconds_per_update": steps_per_call / rate / updates,
        "spread": spread, "compile_s": compile_s, "reset": reset, "num_levels": num_levels,
        "timed_calls": sum(s.calls for s in samples), "device": device_name(), "peak_rss_mb": peak_rss_mb(),
        "devices": config.run.devices, "reps": reps, "physics_version": PHYSICS_VERSION, "jax_version": jax.__version__,
    }
