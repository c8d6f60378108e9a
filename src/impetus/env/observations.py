"""Observation builders and their spaces (reference sections 3.2, 3.3 and 3.5).

* ``entity`` (a dict): per-entity feature rows (``features``) with gravity_y / 10 appended to
  shape rows, activity masks, joint and thruster index arrays, and a ``(4, N, N)`` attention
  mask: all active shapes; same jointed component (self included); directly jointed; touching
  now.  Every channel is ANDed with "row and column active".  The contact channel is
  symmetric and uses the same touch test as the reward (Kinetix's is one-sided and stale,
  reference Appendix A item 9).
* ``flat`` (one vector): the floor and the non-static polygons (walls and ceiling dropped),
  circles, the b -> a joint rows with one-hots of both shape indices, thrusters with a one-hot of
  their shape, then gravity_y / 10; clipped to [-10, 10].  Fixed length per size (M: 249).
* ``pixels`` (a dict): ``image`` ``uint8 (H, W, 3)`` from ``render.pixels`` and ``global_info``
  ``[gravity_y / 10]``.

All values pass through ``nan_to_num``.
"""

import jax.numpy as jnp
import numpy as np

from ..render.pixels import PixelConfig, render_level_scene
from . import features
from .events import contact_matrix
from .params import EnvParams, EnvState, StaticEnvParams
from .spaces import Box, Dict

ATTENTION_CHANNELS = ("all", "component", "joint", "contact")


def feature_widths(static: StaticEnvParams) -> dict[str, int]:
    """Row widths of polygon, circle, joint and thruster features (before any gravity column)."""
    V = static.sim.max_polygon_vertices
    return {"polygon": 18 + 2 * V, "circle": 18, "joint": 19 + static.num_motor_bindings,
            "thruster": 6 + static.num_thruster_bindings}


def pixel_config(static: StaticEnvParams) -> PixelConfig:
    """The renderer geometry of the pixel observation."""
    return PixelConfig.for_screen(static.screen_size, static.pixels_per_metre, static.downscale)


def _gravity(state: EnvState):
    return state.sim.gravity[1] / 10.0


def attention_mask(state: EnvState, params: EnvParams):
    """``(4, N, N)`` bool: all, same component, directly jointed, touching (each row & column active)."""
    sim = state.sim
    N = sim.static.num_bodies
    active = sim.body.active
    both = active[:, None] & active[None, :]
    j = sim.joint
    ends_a = (j.body_a[:, None] == jnp.arange(N)[None, :]) & j.active[:, None]
    ends_b = (j.body_b[:, None] == jnp.arange(N)[None, :]) & j.active[:, None]
    joined = jnp.any(ends_a[:, :, None] & ends_b[:, None, :], axis=0)
    channels = [both, ~sim.collision_matrix, joined | joined.T, contact_matrix(sim, params.touch_distance)]
    return jnp.stack(channels) & both[None]


def entity_observation(state: EnvState, params: EnvParams, static: StaticEnvParams) -> dict:
    """The entity observation of one env (see the module docstring)."""
    sim, level = state.sim, state.level
    P = static.sim.num_polygons
    base = features.shape_base(sim, level)
    gravity = _gravity(state)
    polygons, circles = features.polygon_features(sim, base), features.circle_features(sim, base)
    active = sim.body.active
    obs = {
        "polygons": jnp.concatenate([polygons, jnp.full((P, 1), gravity) * active[:P, None]], axis=1),
        "circles": jnp.concatenate([circles, jnp.full((circles.shape[0], 1), gravity) * active[P:, None]], axis=1),
        "joints": features.joint_features(sim, level, static.num_motor_bindings),
        "thrusters": features.thruster_features(sim, level, static.num_thruster_bindings),
        "polygon_mask": active[:P],
        "circle_mask": active[P:],
        "joint_mask": jnp.concatenate([sim.joint.active, sim.joint.active]),
        "thruster_mask": sim.thruster.active,
        "joint_indexes": features.joint_indexes(sim),
        "thruster_indexes": jnp.where(sim.thruster.active, sim.thruster.body, 0).astype(jnp.int32),
        "attention_mask": attention_mask(state, params),
    }
    return {k: jnp.nan_to_num(v) if jnp.issubdtype(v.dtype, jnp.floating) else v for k, v in obs.items()}


def flat_observation(state: EnvState, params: EnvParams, static: StaticEnvParams):
    """The flat observation vector of one env (see the module docstring)."""
    del params
    sim, level = state.sim, state.level
    N, S = static.sim.num_bodies, static.sim.num_static_polygons
    base = features.shape_base(sim, level)
    keep = np.r_[0:min(S, 1), S:static.sim.num_polygons]  # the floor and the free polygons
    polygons = features.polygon_features(sim, base)[keep]
    J = static.sim.num_joints
    j = sim.joint
    joints = jnp.concatenate([features.joint_features(sim, level, static.num_motor_bindings)[:J],
                              features.onehot(j.body_b, N), features.onehot(j.body_a, N)], axis=1) * j.active[:, None]
    t = sim.thruster
    thrusters = jnp.concatenate([features.thruster_features(sim, level, static.num_thruster_bindings),
                                 features.onehot(t.body, N)], axis=1) * t.active[:, None]
    parts = [polygons.ravel(), features.circle_features(sim, base).ravel(), joints.ravel(), thrusters.ravel(),
             _gravity(state)[None]]
    return jnp.nan_to_num(jnp.clip(jnp.concatenate(parts), -10.0, 10.0))


def flat_size(static: StaticEnvParams) -> int:
    """Length of the flat observation."""
    s, w = static.sim, feature_widths(static)
    polygons = min(s.num_static_polygons, 1) + s.num_polygons - s.num_static_polygons
    return (polygons * w["polygon"] + s.num_circles * w["circle"] + s.num_joints * (w["joint"] + 2 * s.num_bodies)
            + s.num_thrusters * (w["thruster"] + s.num_bodies) + 1)


def pixel_observation(state: EnvState, params: EnvParams, static: StaticEnvParams) -> dict:
    """``image`` uint8 (H, W, 3) and ``global_info`` (1,) of one env."""
    del params
    image = render_level_scene(state.sim, state.level, pixel_config(static))
    return {"image": image, "global_info": jnp.nan_to_num(_gravity(state))[None]}


def observe(state: EnvState, params: EnvParams, static: StaticEnvParams):
    """The observation of type ``static.observation``."""
    builder = {"entity": entity_observation, "flat": flat_observation, "pixels": pixel_observation}
    return builder[static.observation](state, params, static)


def observation_space(static: StaticEnvParams) -> Box | Dict:
    """The space of :func:`observe`'s output."""
    s, w = static.sim, feature_widths(static)
    P, C, J, T, N = s.num_polygons, s.num_circles, s.num_joints, s.num_thrusters, s.num_bodies
    inf = np.inf
    if static.observation == "flat":
        return Box(-10.0, 10.0, (flat_size(static),), jnp.float32)
    if static.observation == "pixels":
        H, W = static.image_size
        return Dict({"image": Box(0, 255, (H, W, 3), jnp.uint8), "global_info": Box(-inf, inf, (1,), jnp.float32)})
    return Dict({
        "polygons": Box(-inf, inf, (P, w["polygon"] + 1)),
        "circles": Box(-inf, inf, (C, w["circle"] + 1)),
        "joints": Box(-inf, inf, (2 * J, w["joint"])),
        "thrusters": Box(-inf, inf, (T, w["thruster"])),
        "polygon_mask": Box(0, 1, (P,), jnp.bool_),
        "circle_mask": Box(0, 1, (C,), jnp.bool_),
        "joint_mask": Box(0, 1, (2 * J,), jnp.bool_),
        "thruster_mask": Box(0, 1, (T,), jnp.bool_),
        "joint_indexes": Box(0, max(N - 1, 0), (2 * J, 2), jnp.int32),
        "thruster_indexes": Box(0, max(N - 1, 0), (T,), jnp.int32),
        "attention_mask": Box(0, 1, (len(ATTENTION_CHANNELS), N, N), jnp.bool_),
    })
