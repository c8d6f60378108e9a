"""``impetus bench env``: environment steps per second with auto-reset, random actions.

Set-up (outside the timing): ``num_levels`` random levels from ``levels.generate.sample_level``.
Two reset modes:

* ``levels``: ``AutoResetFromSetWrapper`` over that fixed set (envs start on its first levels);
* ``random``: ``AutoResetRandomWrapper``, which restarts finished episodes on freshly generated
  levels from a pool refilled by the same sampler inside the timed step.

The timed function is a jitted ``lax.scan`` of ``steps`` env steps (random actions from the
action space, the observation carried, as a policy would read it) over ``batch`` envs.  Compile
time (lower + compile) is measured separately and never included.  One env step is
``frame_skip`` physics steps, so ``physics_steps_per_s = steps_per_s * frame_skip``.
"""

import functools
import time

import jax
import jax.numpy as jnp

from ..engine import PHYSICS_VERSION
from ..env import AutoResetFromSetWrapper, AutoResetRandomWrapper, ImpetusEnv, make_static_env_params
from .common import cpu_rate, device_name, load_average, median_rate, peak_rss_mb, shard_batch, time_calls

RESET_MODES = ("levels", "random")


def make_level_set(static_sim, num_levels: int, seed: int):
    """``num_levels`` generated levels (stacked) and the seconds it took (compile included)."""
    from ..levels.generate import sample_level

    t0 = time.perf_counter()
    keys = jax.random.split(jax.random.key(seed + 1), num_levels)
    levels = jax.jit(jax.vmap(functools.partial(sample_level, static=static_sim)))(keys)
    return jax.block_until_ready(levels), time.perf_counter() - t0


def make_env(size: str, obs: str, reset: str, batch: int, levels, final_observation: bool):
    """The wrapped env and a batched ``step(key, state, actions, params)``."""
    env = ImpetusEnv(make_static_env_params(size, observation=obs))
    if reset == "levels":
        wrapped = AutoResetFromSetWrapper(env, levels, final_observation=final_observation)
        return wrapped, jax.vmap(wrapped.step, (0, 0, 0, None)), jax.vmap(wrapped.reset, (0, None))
    from ..levels.generate import sample_level

    sampler = functools.partial(sample_level, static=env.static.sim)
    wrapped = AutoResetRandomWrapper(env, sampler, batch, final_observation=final_observation)
    return wrapped, wrapped.step, wrapped.reset


def make_rollout(wrapped, step, batch: int, steps: int, params, per_env_keys: bool):
    space = wrapped.action_space()

    def rollout(carry):
        state, obs, key, ended = carry

        def body(c, k):
            state, obs, ended = c
            k_act, k_step = jax.random.split(k)
            acts = jax.vmap(space.sample)(jax.random.split(k_act, batch))
            step_key = jax.random.split(k_step, batch) if per_env_keys else k_step
            obs, state, _, terminated, truncated, _ = step(step_key, state, acts, params)
            return (state, obs, ended + jnp.sum(terminated | truncated)), None

        key, sub = jax.random.split(key)
        (state, obs, ended), _ = jax.lax.scan(body, (state, obs, ended), jax.random.split(sub, steps))
        return state, obs, key, ended

    return rollout


def default_steps(batch: int) -> int:
    return 32 if batch <= 256 else 8


def run(size: str = "m", obs: str = "entity", reset: str = "levels", batch: int = 2048, steps: int | None = None,
        reps: int = 3, min_seconds: float = 1.0, seed: int = 0, num_levels: int = 256,
        final_observation: bool = False, progress=None, levels=None, devices: int = 1) -> dict:
    """Benchmark one configuration; returns the result record (``levels``: a stacked set to use
    instead of generating ``num_levels``)."""
    if reset not in RESET_MODES:
        raise ValueError(f"reset must be one of {RESET_MODES}, got {reset!r}")
    say = progress or (lambda msg: None)
    steps = steps or default_steps(batch)
    static_sim = make_static_env_params(size).sim
    if levels is None:
        say(f"generating {num_levels} {size.upper()} levels")
        levels, setup_s = make_level_set(static_sim, num_levels, seed)
    else:
        setup_s = 0.0
    wrapped, step, reset_fn = make_env(size, obs, reset, batch, levels, final_observation)
    params = wrapped.default_params
    key = jax.random.key(seed)
    if reset == "levels":
        obs0, state0 = jax.jit(reset_fn)(jax.random.split(key, batch), params)
    else:
        obs0, state0 = jax.jit(reset_fn)(key, params)
    obs0, state0 = shard_batch((obs0, state0), devices, batch)
    fn = jax.jit(make_rollout(wrapped, step, batch, steps, params, reset == "levels"))
    carry = (state0, obs0, jax.random.fold_in(key, 1), jnp.zeros((), jnp.int32))
    say("compiling")
    t0 = time.perf_counter()
    compiled = fn.lower(carry).compile()
    compile_s = time.perf_counter() - t0
    say(f"compiled in {compile_s:.2f} s; timing")
    carry = jax.block_until_ready(compiled(carry))  # warm-up
    ended0 = int(carry[3])
    carry, samples = time_calls(compiled, carry, min_seconds, reps)
    rate, spread = median_rate(samples, batch * steps)
    timed_steps = batch * steps * sum(s.calls for s in samples)
    frame_skip = wrapped.static.frame_skip
    return {
        "benchmark": "env", "size": size, "obs": obs, "reset": reset, "batch": batch, "steps_per_call": steps,
        "steps_per_s": rate,
        "steps_per_cpu_s": cpu_rate(samples, batch * steps), "load_avg": load_average(),
        "physics_steps_per_s": rate * frame_skip, "spread": spread, "compile_s": compile_s,
        "setup_s": setup_s, "episodes_ended_per_step": (int(carry[3]) - ended0) / max(timed_steps, 1),
        "final_observation": final_observation, "frame_skip": frame_skip, "num_levels": num_levels,
        "device": device_name(), "devices": devices, "peak_rss_mb": peak_rss_mb(), "reps": reps,
        "physics_version": PHYSICS_VERSION,
        "jax_version": jax.__version__,
    }
