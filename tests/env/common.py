"""Shared helpers: one jitted S-size env (compiled once per test session) and episode runners."""

import jax
import numpy as np

from impetus.engine import StaticSimParams
from impetus.env import EnvParams, make_static_env_params
from impetus.env.rollout import jitted

STATIC_S = make_static_env_params("s")
#: a small custom capacity (4 walls + 1 free polygon, 1 circle, 1 joint, 1 thruster): cheaper compiles
TINY = StaticSimParams(num_polygons=5, num_circles=1, num_joints=1, num_thrusters=1)


def s_env():
    """Jitted reset/step/render of the S env (entity observation, multi-discrete actions)."""
    return jitted(STATIC_S)


def run(level, actions, params: EnvParams | None = None, seed: int = 0, stop_at_end: bool = True):
    """Step the S env through ``actions`` (a list); returns (initial obs, initial state, [step outputs])."""
    fns = s_env()
    params = params or fns.env.default_params
    key = jax.random.key(seed)
    obs, state = fns.reset(key, level, params)
    first = (obs, state)
    out = []
    for k, action in zip(jax.random.split(key, len(actions)), actions, strict=True):
        obs, state, reward, terminated, truncated, info = fns.step(k, state, action, params)
        out.append((obs, state, float(reward), bool(terminated), bool(truncated), jax.device_get(info)))
        if stop_at_end and (bool(terminated) or bool(truncated)):
            break
    return first[0], first[1], out


def all_finite(tree) -> bool:
    leaves = [np.asarray(x) for x in jax.tree_util.tree_leaves(tree)]
    return all(np.all(np.isfinite(x)) for x in leaves if np.issubdtype(x.dtype, np.floating))
