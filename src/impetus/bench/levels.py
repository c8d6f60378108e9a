"""``impetus bench levels``: generated levels per second (``sample_level`` + ``to_sim_state``).

A jitted call draws ``batch`` fresh levels with ``vmap(sample_level)`` and turns them into
engine scenes with ``vmap(to_sim_state)``; the key is carried from call to call so each call
generates new levels.  Compile time (lower + compile) is measured separately, and the rate is
the median over ``reps`` repetitions.  With ``filter_steps > 0`` the no-op filter
(``sample_filtered_levels``: twice the levels, a no-op rollout of that many physics steps) is
timed the same way and reported under ``filter_*`` keys.
"""

import time

import jax
import jax.numpy as jnp

from ..engine.scenes import static_for_size
from ..levels.generate import sample_level
from ..levels.noop_filter import sample_filtered_levels, sim_states
from ..levels.predicates import is_valid
from .common import device_name, load_average, median_rate, peak_rss_mb, time_calls


def make_generator(static, batch: int):
    """``carry -> carry`` with ``carry = (key, (levels, states))``: ``batch`` new levels and their
    engine scenes."""

    def generate(carry):
        key, _ = carry
        key, sub = jax.random.split(key)
        levels = jax.vmap(sample_level, in_axes=(0, None))(jax.random.split(sub, batch), static)
        return key, (levels, sim_states(levels))

    return generate


def _time(fn, carry, min_seconds: float, reps: int, items: int):
    t0 = time.perf_counter()
    compiled = jax.jit(fn).lower(carry).compile()
    compile_s = time.perf_counter() - t0
    carry = compiled(carry)  # warm-up
    carry, samples = time_calls(compiled, carry, min_seconds, reps)
    rate, spread = median_rate(samples, items)
    return carry, rate, spread, compile_s


def run(size: str = "m", batch: int = 2048, reps: int = 3, min_seconds: float = 1.0, seed: int = 0,
        filter_steps: int = 0, progress=None) -> dict:
    """Benchmark one configuration; returns the result record."""
    static = static_for_size(size)
    say = progress or (lambda msg: None)
    key = jax.random.key(seed)
    fn = make_generator(static, batch)
    say(f"compiling the generator for {batch} {size.upper()} levels")
    shapes = jax.eval_shape(fn, (key, None))[1]
    carry = (key, jax.tree_util.tree_map(lambda s: jnp.zeros(s.shape, s.dtype), shapes))
    carry, rate, spread, compile_s = _time(fn, carry, min_seconds, reps, batch)
    result = {
        "benchmark": "levels", "size": size, "batch": batch, "levels_per_s": rate,
        "load_avg": load_average(),
        "seconds_per_batch": batch / rate, "spread": spread, "compile_s": compile_s,
        "valid_fraction": float(jnp.mean(jax.jit(jax.vmap(is_valid))(carry[1][0]))), "device": device_name(),
        "peak_rss_mb": peak_rss_mb(), "reps": reps,
        "jax_version": jax.__version__,
    }
    if filter_steps:
        say(f"compiling the no-op filter ({filter_steps} physics steps)")

        def filtered(carry):
            key, _ = carry
            key, sub = jax.random.split(key)
            return key, sample_filtered_levels(sub, static, batch, steps=filter_steps)[1]

        carry = (key, jnp.zeros((batch,), bool))
        carry, f_rate, f_spread, f_compile = _time(filtered, carry, min_seconds, reps, batch)
        result |= {"filter_steps": filter_steps, "filter_levels_per_s": f_rate, "filter_seconds_per_batch":
                   batch / f_rate, "filter_spread": f_spread, "filter_compile_s": f_compile,
                   "filter_still_solved": float(jnp.mean(carry[1]))}
    say("done")
    return result
