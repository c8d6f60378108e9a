"""Play fixed policies on single levels: episode summaries (``impetus rollout``) and frames
(``impetus render``).

An episode starts from the level's initial state and runs until it terminates, is truncated,
or ``steps`` env steps have passed.  Policies are those of ``actions.POLICIES``: ``noop``,
``random`` (uniform over the action space) and ``full`` (every motor at +1 and every thruster
fully on).
"""

import functools

import jax
import numpy as np

from ..levels import Level
from ..levels.world import local_centres
from .actions import policy_action
from .env import ImpetusEnv
from .params import EnvParams, EnvState, StaticEnvParams


class Jitted:
    """Jitted ``reset_to_level``, ``step`` and ``render`` of one env, shared through :func:`jitted`."""

    def __init__(self, static: StaticEnvParams):
        self.env = ImpetusEnv(static)
        self.reset = jax.jit(self.env.reset_to_level)
        self.step = jax.jit(self.env.step)
        self.render = jax.jit(self.env.render, static_argnums=1)


@functools.lru_cache(maxsize=32)
def jitted(static: StaticEnvParams) -> Jitted:
    """The (cached) jitted functions of the env of ``static``: one compile per configuration."""
    return Jitted(static)


def shape_poses(state: EnvState) -> list[dict]:
    """Final pose of every active shape in slot order (polygons ``p<k>``, then circles ``c<k>``).

    ``position`` is the shape-frame origin (the level file's convention, not the centre of
    mass) [m]; ``rotation`` is unwrapped [rad].
    """
    level, body = state.level, state.sim.body
    offset = np.asarray(local_centres(level))
    position, rotation = np.asarray(body.position), np.asarray(body.rotation)
    active = np.asarray(body.active)
    P = level.static.num_polygons
    out = []
    for k in np.nonzero(active)[0]:
        c, s = np.cos(rotation[k]), np.sin(rotation[k])
        ox, oy = offset[k]
        origin = position[k] - np.array([c * ox - s * oy, s * ox + c * oy])
        out.append({"id": f"p{k}" if k < P else f"c{k - P}", "position": [float(origin[0]), float(origin[1])],
                    "rotation": float(rotation[k])})
    return out


def play(level: Level, policy: str = "noop", steps: int = 256, seed: int = 0, params: EnvParams | None = None,
         **static_overrides) -> dict:
    """Play one episode; returns a JSON-ready summary.

    Keys: ``terminated``, ``truncated`` (the episode ended without a goal or death contact: the
    level's time limit, ``steps`` running out, or a non-finite physics step), ``return``,
    ``length`` (env steps), ``outcome`` (``goal``, ``death`` or ``timeout``), ``nonfinite`` and
    ``shapes`` (:func:`shape_poses`).
    """
    fns = jitted(StaticEnvParams(sim=level.static, **static_overrides))
    params = params or fns.env.default_params
    key = jax.random.key(seed)
    _, state = fns.reset(key, level, params)
    total, length, info, terminated = 0.0, 0, {}, False
    for k in jax.random.split(key, steps):
        _, state, reward, term, trunc, info = fns.step(k, state, policy_action(policy, k, fns.env.static), params)
        total, length, terminated = total + float(reward), length + 1, bool(term)
        if terminated or bool(trunc):
            break
    goal, death = bool(info.get("goal", False)), bool(info.get("death", False))
    outcome = "death" if terminated and death else "goal" if terminated and goal else "timeout"
    return {"terminated": terminated, "truncated": not terminated, "return": total, "length": length,
            "outcome": outcome, "nonfinite": bool(info.get("nonfinite", False)), "shapes": shape_poses(state)}


def frames(level: Level, policy: str = "noop", steps: int = 256, seed: int = 0, params: EnvParams | None = None,
           config=None, **static_overrides):
    """Yield RGB frames (``uint8 (H, W, 3)``): the initial state, then one per env step until the end."""
    fns = jitted(StaticEnvParams(sim=level.static, **static_overrides))
    params = params or fns.env.default_params
    key = jax.random.key(seed)
    _, state = fns.reset(key, level, params)
    yield np.asarray(fns.render(state, config))
    for k in jax.random.split(key, steps):
        _, state, _, terminated, truncated, _ = fns.step(k, state, policy_action(policy, k, fns.env.static), params)
        yield np.asarray(fns.render(state, config))
        if bool(terminated) or bool(truncated):
            return
