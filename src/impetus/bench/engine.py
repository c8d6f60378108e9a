"""``impetus bench engine``: physics steps per second of random Kinetix-sized scenes.

Random scenes (``engine.scenes.random_scene``) with the Kinetix S/M/L capacities are
stacked into a batch (up to 256 distinct scenes, tiled), and a jitted ``lax.scan`` of
``steps`` calls of ``vmap(step)`` with fresh random motor ([-1, 1]) and thruster
([0, 1]) actions per step is timed.  Compile time (lower + compile of that function) is
measured separately and never included in the throughput.
"""

import time

import jax
import jax.numpy as jnp
import numpy as np

from ..engine import PHYSICS_VERSION, SimParams, step
from ..engine.scenes import random_scene, static_for_size
from .common import cpu_rate, device_name, load_average, median_rate, peak_rss_mb, shard_batch, time_calls


def stacked_random_scenes(size: str, batch: int, seed: int = 0, distinct: int = 256):
    static = static_for_size(size)
    rng = np.random.default_rng(seed)
    scenes = [random_scene(rng, static) for _ in range(min(batch, distinct))]
    stacked = jax.tree_util.tree_map(lambda *xs: np.stack(xs), *scenes)
    reps = -(-batch // len(scenes))
    return jax.tree_util.tree_map(lambda x: jnp.asarray(np.concatenate([x] * reps)[:batch]), stacked)


def make_rollout(static, steps: int, params: SimParams):
    J, T = static.num_joints, static.num_thrusters

    def rollout(carry):
        states, key = carry

        def body(states, k):
            km, kt = jax.random.split(k)
            batch = states.body.active.shape[0]
            actions = jnp.concatenate([jax.random.uniform(km, (batch, J), minval=-1.0, maxval=1.0),
                                       jax.random.uniform(kt, (batch, T))], axis=1)
            return jax.vmap(step, in_axes=(0, None, 0))(states, params, actions), None

        key, sub = jax.random.split(key)
        states, _ = jax.lax.scan(body, states, jax.random.split(sub, steps))
        return states, key

    return rollout


def default_steps(batch: int) -> int:
    return 64 if batch <= 256 else (16 if batch <= 2048 else 8)


def run(size: str = "m", batch: int = 2048, steps: int | None = None, reps: int = 3, min_seconds: float = 1.0,
        seed: int = 0, progress=None, devices: int = 1) -> dict:
    """Benchmark one configuration; returns the result record."""
    steps = steps or default_steps(batch)
    static = static_for_size(size)
    say = progress or (lambda msg: None)
    say(f"building {min(batch, 256)} random {size.upper()} scenes")
    states = shard_batch(stacked_random_scenes(size, batch, seed), devices, batch)
    fn = jax.jit(make_rollout(static, steps, SimParams()))
    carry = (states, jax.random.key(seed))
    say("compiling")
    t0 = time.perf_counter()
    compiled = fn.lower(carry).compile()
    compile_s = time.perf_counter() - t0
    say(f"compiled in {compile_s:.2f} s; timing")
    carry = compiled(carry)  # warm-up
    carry, samples = time_calls(compiled, carry, min_seconds, reps)
    rate, spread = median_rate(samples, batch * steps)
    nonfinite = int(jnp.sum(carry[0].nonfinite))
    return {
        "benchmark": "engine", "size": size, "batch": batch, "steps_per_call": steps, "steps_per_s": rate,
        "steps_per_cpu_s": cpu_rate(samples, batch * steps), "load_avg": load_average(),
        "spread": spread, "compile_s": compile_s, "device": device_name(), "peak_rss_mb": peak_rss_mb(),
        "devices": devices, "reps": reps, "nonfinite_scenes": nonfinite, "physics_version": PHYSICS_VERSION,
        "jax_version": jax.__version__,
    }
